package dev.kizuna.ingest;

import dev.kizuna.common.JsonText;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;

/** The raw calls, one per messageId: a repeated messageId is recognised and has no second effect. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
class EventLog {

    /** Stores the call; false if a call with the same messageId was stored before. */
    boolean append(SegmentCall call) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("traits", call.traits());
        payload.put("properties", call.properties());
        payload.put("context", call.context());
        int inserted = Panache.getEntityManager().createNativeQuery("""
                insert into event (message_id, type, name, user_id, anonymous_id, account_id, payload, occurred_at, received_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) on conflict do nothing""")
                .setParameter(1, call.messageId())
                .setParameter(2, call.type().wireName())
                .setParameter(3, call.event())
                .setParameter(4, call.userId())
                .setParameter(5, call.anonymousId())
                .setParameter(6, call.groupId())
                .setParameter(7, JsonText.write(payload))
                .setParameter(8, Timestamp.from(call.timestamp()))
                .setParameter(9, Timestamp.from(call.receivedAt()))
                .executeUpdate();
        return inserted == 1;
    }
}
