package dev.kizuna.ingest;

import dev.kizuna.common.Databases;
import dev.kizuna.common.JsonText;
import dev.kizuna.common.MultiRowInsert;
import dev.kizuna.common.SqlTimes;
import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The log of acknowledged calls waiting to be processed (table pending_call). Appended to by the
 * request that acknowledges the calls, in its commit; read in id order by the processor, which
 * removes each call in the transaction that applies it.
 */
@ApplicationScoped
public class PendingCalls {

    private final AgroalDataSource dataSource;

    PendingCalls(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A call in the log, with its place and partition in it. */
    public record Pending(long id, int partition, SegmentCall call) {}

    /** How far processing is behind: calls waiting, the age of the oldest, and calls set aside as failed. */
    public record Backlog(long calls, Duration oldest, long failed) {
        static final Backlog NONE = new Backlog(0, Duration.ZERO, 0);
    }

    private static final List<String> CALL_COLUMNS = List.of(
            "message_id",
            "type",
            "user_id",
            "anonymous_id",
            "previous_id",
            "group_id",
            "event_name",
            "payload",
            "occurred_at",
            "received_at",
            "partition_no");

    /**
     * Appends the calls in their order, with one multi-row insert, each in the partition of the
     * account it is about: the one it names, else the first account its user joined (given, by
     * user or anonymous id), else its user's own.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void append(List<SegmentCall> calls, Map<String, String> firstAccounts) {
        MultiRowInsert.insert(
                "pending_call",
                CALL_COLUMNS,
                calls.stream()
                        .map(call -> new Object[] {
                            call.messageId(),
                            call.type().wireName(),
                            call.userId(),
                            call.anonymousId(),
                            call.previousId(),
                            call.groupId(),
                            call.event(),
                            JsonText.write(call.payload()),
                            call.timestamp(),
                            call.receivedAt(),
                            (short) LogPartitions.of(routingKey(call, firstAccounts))
                        })
                        .toList());
    }

    /** The user or anonymous id whose first account routes a call that names no account. */
    static String subject(SegmentCall call) {
        return call.userId() != null ? call.userId() : call.anonymousId();
    }

    private static String routingKey(SegmentCall call, Map<String, String> firstAccounts) {
        if (call.groupId() != null) {
            return call.groupId();
        }
        String subject = subject(call);
        return subject == null ? null : firstAccounts.getOrDefault(subject, subject);
    }

    /**
     * The oldest calls still to be processed after {@code afterId}, in log order. Processed calls
     * leave dead rows behind until the table is vacuumed; starting the scan near the last call
     * processed keeps it from stepping over all of them every time.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    List<Pending> oldest(Set<Integer> partitions, long afterId, int limit) {
        boolean all = partitions.size() == LogPartitions.COUNT;
        var query = Panache.getEntityManager()
                .createNativeQuery("""
                        select id, message_id, type, user_id, anonymous_id, previous_id, group_id, event_name, payload,
                               occurred_at, received_at, partition_no
                          from pending_call where id > ?1 and failed_at is null""" + (all ? "" : " and partition_no in (?2)") + " order by id")
                .setParameter(1, afterId)
                .setMaxResults(limit);
        if (!all) {
            query.setParameter(2, partitions.stream().map(Integer::shortValue).toList());
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        List<Pending> pending = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            long id = ((Number) row[0]).longValue();
            try {
                Map<String, Object> payload = JsonText.readObject((String) row[8]);
                SegmentCall call = new SegmentCall(
                        CallType.fromWire((String) row[2]),
                        (String) row[1],
                        (String) row[3],
                        (String) row[4],
                        (String) row[5],
                        (String) row[6],
                        (String) row[7],
                        mapIn(payload, "traits"),
                        mapIn(payload, "properties"),
                        mapIn(payload, "context"),
                        SqlTimes.toInstant(row[9]),
                        SqlTimes.toInstant(row[10]));
                pending.add(new Pending(id, ((Number) row[11]).intValue(), call));
            } catch (RuntimeException unreadable) {
                // Written by no version of Kizuna: set aside rather than block every call behind it.
                setAside(id, "the stored call cannot be read: " + unreadable.getMessage(), Instant.now());
            }
        }
        return pending;
    }

    /**
     * The calls of a batch taken from some partitions that share a user, anonymous or previous id
     * with an earlier call still waiting in a partition not held here (a user whose calls were
     * routed by different accounts): to keep that user's order, they wait for it. Empty when this
     * instance holds every partition, as its batches then follow the whole log's order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Set<Long> behindCallsElsewhere(List<Pending> batch, Set<Integer> held) {
        if (batch.isEmpty() || held.size() == LogPartitions.COUNT) {
            return Set.of();
        }
        @SuppressWarnings("unchecked")
        List<Number> waiting = Panache.getEntityManager()
                .createNativeQuery("""
                        select b.id from pending_call b
                         where b.id in (?1) and exists (
                               select 1 from pending_call o
                                where o.id < b.id and o.failed_at is null and o.partition_no not in (?2)
                                  and (o.user_id in (b.user_id, b.anonymous_id, b.previous_id)
                                       or o.anonymous_id in (b.user_id, b.anonymous_id, b.previous_id)
                                       or o.previous_id in (b.user_id, b.anonymous_id, b.previous_id)))""")
                .setParameter(1, batch.stream().map(Pending::id).toList())
                .setParameter(2, held.stream().map(Integer::shortValue).toList())
                .getResultList();
        return waiting.stream().map(Number::longValue).collect(Collectors.toSet());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapIn(Map<String, Object> payload, String key) {
        Object value = payload.get(key);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
    }

    /**
     * The calls have taken effect: they leave the log, in the transaction that applied them.
     * Returns how many were still there; fewer than asked means another transaction took some
     * away meanwhile (an erasure, or a processor that took over), and this one must roll back.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    int remove(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return Panache.getEntityManager()
                .createNativeQuery("delete from pending_call where id in (?1)")
                .setParameter(1, ids)
                .executeUpdate();
    }

    /**
     * The call failed when processed on its own, for a reason retrying will not cure: it is set
     * aside with the error, so that the calls behind it go on, and kept for an operator.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void setAside(long id, String error, Instant at) {
        Panache.getEntityManager()
                .createNativeQuery("update pending_call set failed_at = ?1, error = ?2 where id = ?3")
                .setParameter(1, Timestamp.from(at))
                .setParameter(2, error.length() > 2000 ? error.substring(0, 2000) : error)
                .setParameter(3, id)
                .executeUpdate();
    }

    /** How many of the calls with these messageIds are still waiting to be processed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    long waiting(Collection<String> messageIds) {
        return ((Number) Panache.getEntityManager()
                        .createNativeQuery(
                                "select count(*) from pending_call where message_id in (?1) and failed_at is null")
                        .setParameter(1, messageIds)
                        .getSingleResult())
                .longValue();
    }

    /** Measured in the database's time, which every instance shares. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Backlog backlog() {
        Object[] row =
                (Object[]) Panache.getEntityManager().createNativeQuery("""
                        select count(*), min(appended_at), current_timestamp,
                               (select count(*) from pending_call where failed_at is not null)
                          from pending_call where failed_at is null""").getSingleResult();
        Instant oldest = SqlTimes.toInstant(row[1]);
        Instant now = SqlTimes.toInstant(row[2]);
        return new Backlog(
                ((Number) row[0]).longValue(),
                oldest == null || oldest.isAfter(now) ? Duration.ZERO : Duration.between(oldest, now),
                ((Number) row[3]).longValue());
    }

    /**
     * Reclaims the rows of processed calls on PostgreSQL, where each processed call leaves a dead
     * row that scans of the log step over until the table is vacuumed. Autovacuum does that when
     * it is on and keeps up; a log that churns thousands of rows a second is vacuumed here as well,
     * on an autocommit connection (VACUUM cannot run in a transaction). Nothing on H2.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    void vacuum() {
        try (Connection connection = dataSource.getConnection()) {
            if (Databases.isPostgres(connection)) {
                connection.setAutoCommit(true);
                try (var statement = connection.createStatement()) {
                    statement.execute("vacuum pending_call");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the log could not be vacuumed: " + e.getMessage(), e);
        }
    }

    /** Erasure: the user's calls not yet processed go too, so that processing cannot bring the user back. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long eraseUser(String userId) {
        return Panache.getEntityManager()
                .createNativeQuery(
                        "delete from pending_call where user_id = ?1 or anonymous_id = ?1 or previous_id = ?1")
                .setParameter(1, userId)
                .executeUpdate();
    }
}
