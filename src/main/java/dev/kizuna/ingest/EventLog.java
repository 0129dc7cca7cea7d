package dev.kizuna.ingest;

import dev.kizuna.common.JsonText;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The raw calls, for timelines and reprocessing, and the de-duplication record of every
 * accepted messageId: a repeated messageId is recognised and has no second effect.
 */
@ApplicationScoped
public class EventLog {

    /**
     * Claims the calls' messageIds, in id order (so that two requests carrying the same ids, such
     * as a batch sent to two instances, cannot deadlock); returns those accepted for the first time,
     * the others being client retries or already taken by another instance.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Set<String> claim(List<SegmentCall> calls) {
        Map<String, Instant> receivedAt = new TreeMap<>();
        calls.forEach(call -> receivedAt.putIfAbsent(call.messageId(), call.receivedAt()));
        Set<String> claimed = new HashSet<>();
        receivedAt.forEach((messageId, at) -> {
            int inserted = Panache.getEntityManager()
                    .createNativeQuery("insert into ingested_message (message_id, received_at) values (?1, ?2) on conflict do nothing")
                    .setParameter(1, messageId)
                    .setParameter(2, Timestamp.from(at))
                    .executeUpdate();
            if (inserted == 1) {
                claimed.add(messageId);
            }
        });
        return claimed;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void append(SegmentCall call, String userId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("traits", call.traits());
        payload.put("properties", call.properties());
        payload.put("context", call.context());
        if (call.previousId() != null) {
            payload.put("previousId", call.previousId());
        }
        RawEvent event = new RawEvent();
        event.messageId = call.messageId();
        event.type = call.type().wireName();
        event.name = call.event();
        event.userId = userId;
        event.anonymousId = call.anonymousId();
        event.accountId = call.groupId();
        event.payload = JsonText.write(payload);
        event.occurredAt = call.timestamp();
        event.receivedAt = call.receivedAt();
        event.persist();
    }

    /** A raw event as the API shows it. */
    public record EventView(long id, String messageId, String type, String name, String userId, String anonymousId,
            String accountId, Map<String, Object> payload, Instant occurredAt, Instant receivedAt) {}

    /** An account's events, newest first, before an id. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EventView> ofAccount(String accountId, Long beforeId, int limit) {
        String query = beforeId == null ? "accountId = ?1" : "accountId = ?1 and id < ?2";
        Object[] parameters = beforeId == null ? new Object[] {accountId} : new Object[] {accountId, beforeId};
        return RawEvent.<RawEvent>find(query, Sort.descending("id"), parameters)
                .page(0, limit)
                .list()
                .stream()
                .map(event -> new EventView(event.id, event.messageId, event.type, event.name, event.userId, event.anonymousId,
                        event.accountId, JsonText.readObject(event.payload), event.occurredAt, event.receivedAt))
                .toList();
    }

    /** Erasure: the user's raw events go. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long eraseUser(String userId) {
        return RawEvent.delete("userId", userId);
    }

    /** Removes raw events received before one cut-off and de-duplication records before another. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long purge(Instant eventsBefore, Instant messageIdsBefore) {
        long events = RawEvent.delete("receivedAt < ?1", eventsBefore);
        Panache.getEntityManager().createNativeQuery("delete from ingested_message where received_at < ?1")
                .setParameter(1, Timestamp.from(messageIdsBefore))
                .executeUpdate();
        return events;
    }
}
