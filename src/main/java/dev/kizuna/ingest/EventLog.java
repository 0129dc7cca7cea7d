package dev.kizuna.ingest;

import dev.kizuna.common.Databases;
import dev.kizuna.common.JsonText;
import dev.kizuna.common.MultiRowInsert;
import dev.kizuna.common.SqlTimes;
import dev.kizuna.common.StatementCount;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hibernate.Session;

/**
 * The raw calls, for timelines and reprocessing, and the de-duplication record of every
 * accepted messageId: a repeated messageId is recognised and has no second effect.
 */
@ApplicationScoped
public class EventLog {

    private final PendingCalls pending;
    private final EventPartitions partitions;

    EventLog(PendingCalls pending, EventPartitions partitions) {
        this.pending = pending;
        this.partitions = partitions;
    }

    /**
     * Claims the calls' messageIds, in id order (so that two requests carrying the same ids, such
     * as a batch sent to two instances, cannot deadlock); returns those accepted for the first time,
     * the others being client retries or already taken by another instance. On PostgreSQL this is
     * one statement for the whole request.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Set<String> claim(List<SegmentCall> calls) {
        Map<String, Instant> receivedAt = new TreeMap<>();
        calls.forEach(call -> receivedAt.putIfAbsent(call.messageId(), call.receivedAt()));
        Set<String> claimed = new HashSet<>();
        Panache.getEntityManager().unwrap(Session.class).doWork(connection -> {
            if (Databases.isPostgres(connection)) {
                claimAtOnce(connection, receivedAt, claimed);
                StatementCount.countOutsideHibernate(1);
            } else {
                claimOneByOne(connection, receivedAt, claimed);
                StatementCount.countOutsideHibernate(receivedAt.size());
            }
        });
        return claimed;
    }

    private static void claimAtOnce(Connection connection, Map<String, Instant> receivedAt, Set<String> claimed)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into ingested_message (message_id, received_at)
                select message_id, received_at::timestamptz from unnest(?::text[], ?::text[]) as claim (message_id, received_at)
                    on conflict do nothing
                returning message_id""")) {
            insert.setArray(
                    1, connection.createArrayOf("text", receivedAt.keySet().toArray()));
            insert.setArray(
                    2,
                    connection.createArrayOf(
                            "text",
                            receivedAt.values().stream().map(Instant::toString).toArray()));
            try (ResultSet inserted = insert.executeQuery()) {
                while (inserted.next()) {
                    claimed.add(inserted.getString(1));
                }
            }
        }
    }

    /** H2 reports each row's own count in a batch, which tells the first-time ids apart. */
    private static void claimOneByOne(Connection connection, Map<String, Instant> receivedAt, Set<String> claimed)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into ingested_message (message_id, received_at) values (?, ?) on conflict do nothing")) {
            List<String> ids = new ArrayList<>(receivedAt.keySet());
            for (String messageId : ids) {
                insert.setString(1, messageId);
                insert.setObject(2, SqlTimes.toParameter(receivedAt.get(messageId)));
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 1) {
                    claimed.add(ids.get(i));
                }
            }
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void append(SegmentCall call, String userId) {
        RawEvent event = new RawEvent();
        event.messageId = call.messageId();
        event.type = call.type().wireName();
        event.name = call.event();
        event.userId = userId;
        event.anonymousId = call.anonymousId();
        event.accountId = call.groupId();
        event.payload = JsonText.write(call.payload());
        event.occurredAt = call.timestamp();
        event.receivedAt = call.receivedAt();
        event.persist();
    }

    private static final List<String> EVENT_COLUMNS = List.of(
            "message_id",
            "type",
            "name",
            "user_id",
            "anonymous_id",
            "account_id",
            "payload",
            "occurred_at",
            "received_at");

    /** Stores many calls as raw events with one multi-row insert, each under the user it counts for. */
    @Transactional(Transactional.TxType.MANDATORY)
    void appendAll(List<SegmentCall> calls, List<String> userIds) {
        List<Object[]> rows = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            SegmentCall call = calls.get(i);
            rows.add(new Object[] {
                call.messageId(),
                call.type().wireName(),
                call.event(),
                userIds.get(i),
                call.anonymousId(),
                call.groupId(),
                JsonText.write(call.payload()),
                call.timestamp(),
                call.receivedAt()
            });
        }
        MultiRowInsert.insert("event", EVENT_COLUMNS, rows);
    }

    /** A raw event as the API shows it. */
    public record EventView(
            long id,
            String messageId,
            String type,
            String name,
            String userId,
            String anonymousId,
            String accountId,
            Map<String, Object> payload,
            Instant occurredAt,
            Instant receivedAt) {}

    /** An account's events, newest first, before an id. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EventView> ofAccount(String accountId, Long beforeId, int limit) {
        String query = beforeId == null ? "accountId = ?1" : "accountId = ?1 and id < ?2";
        Object[] parameters = beforeId == null ? new Object[] {accountId} : new Object[] {accountId, beforeId};
        return RawEvent.<RawEvent>find(query, Sort.descending("id"), parameters).page(0, limit).list().stream()
                .map(event -> new EventView(
                        event.id,
                        event.messageId,
                        event.type,
                        event.name,
                        event.userId,
                        event.anonymousId,
                        event.accountId,
                        JsonText.readObject(event.payload),
                        event.occurredAt,
                        event.receivedAt))
                .toList();
    }

    /** Erasure: the user's raw events go, and so do the user's calls not yet processed, which would bring the user back. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long eraseUser(String userId) {
        return RawEvent.delete("userId", userId) + pending.eraseUser(userId);
    }

    /**
     * Removes raw events received before one cut-off and de-duplication records before another;
     * returns how many raw events went. On PostgreSQL the days wholly before the cut-off go as
     * whole partitions first (see {@link EventPartitions#dropWhollyBefore}, which counts their rows
     * exactly); the rest, the cut-off's own day and the default partition, is deleted row by row.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public long purge(Instant eventsBefore, Instant messageIdsBefore) {
        long dropped = partitions.dropWhollyBefore(eventsBefore);
        long deleted = QuarkusTransaction.requiringNew().call(() -> {
            long events = RawEvent.delete("receivedAt < ?1", eventsBefore);
            Panache.getEntityManager()
                    .createNativeQuery("delete from ingested_message where received_at < ?1")
                    .setParameter(1, Timestamp.from(messageIdsBefore))
                    .executeUpdate();
            return events;
        });
        return dropped + deleted;
    }
}
