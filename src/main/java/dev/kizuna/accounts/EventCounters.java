package dev.kizuna.accounts;

import dev.kizuna.common.SqlTimes;
import dev.kizuna.common.StatementChunks;
import dev.kizuna.common.StatementCount;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.Session;

/**
 * How often users and accounts did each thing: a total with its first and last time, and a count
 * per day for the recent days. Counting joins the caller's transaction, like every state change.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class EventCounters {

    static final String ACCOUNT = "account";
    static final String USER = "user";
    /** How many days of per-day counts a snapshot carries for "in the last N days". */
    public static final int RECENT_DAYS = 90;

    private final Clock clock;

    EventCounters(Clock clock) {
        this.clock = clock;
    }

    /** One track, page or screen to count: for its user (if known) and each account it is about. */
    public record Occurrence(String userId, List<String> accountIds, String eventName, Instant at) {}

    /**
     * Counts many events at once, folded per subject, event and day: one statement for the totals
     * and one for the per-day counts, however many events. The caller holds the row lock of every
     * subject (so no other transaction inserts the same counters meanwhile).
     */
    public void recordEvents(List<Occurrence> occurrences) {
        Map<List<String>, long[]> totals = new TreeMap<>(EventCounters::compareKeys);
        Map<List<String>, long[]> perDay = new TreeMap<>(EventCounters::compareKeys);
        for (Occurrence occurrence : occurrences) {
            List<List<String>> subjects = new ArrayList<>();
            if (occurrence.userId() != null) {
                subjects.add(List.of(USER, occurrence.userId()));
            }
            occurrence.accountIds().forEach(accountId -> subjects.add(List.of(ACCOUNT, accountId)));
            long at = occurrence.at().toEpochMilli();
            String day = LocalDate.ofInstant(occurrence.at(), ZoneOffset.UTC).toString();
            for (List<String> subject : subjects) {
                long[] total =
                        totals.computeIfAbsent(List.of(subject.get(0), subject.get(1), occurrence.eventName()), key ->
                                new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
                total[0]++;
                total[1] = Math.min(total[1], at);
                total[2] = Math.max(total[2], at);
                perDay.computeIfAbsent(
                                List.of(subject.get(0), subject.get(1), occurrence.eventName(), day),
                                key -> new long[1])[0]++;
            }
        }
        if (totals.isEmpty()) {
            return;
        }
        Session session = em().unwrap(Session.class);
        for (List<Map.Entry<List<String>, long[]>> chunk : chunks(totals)) {
            session.doWork(connection -> mergeTotals(connection, chunk));
            StatementCount.countOutsideHibernate(1);
        }
        for (List<Map.Entry<List<String>, long[]>> chunk : chunks(perDay)) {
            session.doWork(connection -> mergePerDay(connection, chunk));
            StatementCount.countOutsideHibernate(1);
        }
    }

    /** Rows per merge statement, at most (512, a power of two): six parameters each, far below the drivers' limit. */
    private static final int ROWS_PER_MERGE = 1000;

    private static List<List<Map.Entry<List<String>, long[]>>> chunks(Map<List<String>, long[]> rows) {
        return StatementChunks.of(new ArrayList<>(rows.entrySet()), ROWS_PER_MERGE);
    }

    /** Keys compared element by element, so that rows are written in one order by every transaction. */
    private static int compareKeys(List<String> left, List<String> right) {
        for (int i = 0; i < left.size(); i++) {
            int compared = left.get(i).compareTo(right.get(i));
            if (compared != 0) {
                return compared;
            }
        }
        return 0;
    }

    private static void mergeTotals(Connection connection, List<Map.Entry<List<String>, long[]>> totals)
            throws SQLException {
        String rows = String.join(", ", Collections.nCopies(totals.size(), """
                (cast(? as varchar(8)), cast(? as varchar(255)), cast(? as varchar(255)), cast(? as bigint),
                 cast(? as timestamp with time zone), cast(? as timestamp with time zone))"""));
        try (PreparedStatement merge = connection.prepareStatement("""
                merge into event_aggregate t
                using (values %s) as s (subject_type, subject_id, event_name, event_count, first_at, last_at)
                   on t.subject_type = s.subject_type and t.subject_id = s.subject_id and t.event_name = s.event_name
                 when matched then update set event_count = t.event_count + s.event_count,
                      first_at = case when t.first_at > s.first_at then s.first_at else t.first_at end,
                      last_at = case when t.last_at < s.last_at then s.last_at else t.last_at end
                 when not matched then insert (subject_type, subject_id, event_name, event_count, first_at, last_at)
                      values (s.subject_type, s.subject_id, s.event_name, s.event_count, s.first_at, s.last_at)""".formatted(rows))) {
            int parameter = 0;
            for (Map.Entry<List<String>, long[]> total : totals) {
                merge.setString(++parameter, total.getKey().get(0));
                merge.setString(++parameter, total.getKey().get(1));
                merge.setString(++parameter, total.getKey().get(2));
                merge.setLong(++parameter, total.getValue()[0]);
                merge.setObject(++parameter, SqlTimes.toParameter(Instant.ofEpochMilli(total.getValue()[1])));
                merge.setObject(++parameter, SqlTimes.toParameter(Instant.ofEpochMilli(total.getValue()[2])));
            }
            merge.executeUpdate();
        }
    }

    private static void mergePerDay(Connection connection, List<Map.Entry<List<String>, long[]>> perDay)
            throws SQLException {
        String rows = String.join(", ", Collections.nCopies(perDay.size(), """
                (cast(? as varchar(8)), cast(? as varchar(255)), cast(? as varchar(255)), cast(? as date), cast(? as bigint))"""));
        try (PreparedStatement merge = connection.prepareStatement("""
                merge into event_daily t
                using (values %s) as s (subject_type, subject_id, event_name, event_day, event_count)
                   on t.subject_type = s.subject_type and t.subject_id = s.subject_id and t.event_name = s.event_name
                  and t.event_day = s.event_day
                 when matched then update set event_count = t.event_count + s.event_count
                 when not matched then insert (subject_type, subject_id, event_name, event_day, event_count)
                      values (s.subject_type, s.subject_id, s.event_name, s.event_day, s.event_count)""".formatted(rows))) {
            int parameter = 0;
            for (Map.Entry<List<String>, long[]> day : perDay) {
                merge.setString(++parameter, day.getKey().get(0));
                merge.setString(++parameter, day.getKey().get(1));
                merge.setString(++parameter, day.getKey().get(2));
                merge.setObject(++parameter, LocalDate.parse(day.getKey().get(3)));
                merge.setLong(++parameter, day.getValue()[0]);
            }
            merge.executeUpdate();
        }
    }

    /** Counts by event name of each subject, with the per-day counts of the recent days. */
    @Transactional(Transactional.TxType.SUPPORTS)
    Map<String, Map<String, EventStats>> eventsOf(String subjectType, Collection<String> subjectIds) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, Map<String, Map<LocalDate, Long>>> daily = new HashMap<>();
        List<?> rows = em().createNativeQuery("""
                select subject_id, event_name, event_day, event_count from event_daily
                 where subject_type = :type and subject_id in (:ids) and event_day > :since""")
                .setParameter("type", subjectType)
                .setParameter("ids", subjectIds)
                .setParameter("since", Date.valueOf(today.minusDays(RECENT_DAYS)))
                .getResultList();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            LocalDate day = columns[2] instanceof Date date ? date.toLocalDate() : (LocalDate) columns[2];
            daily.computeIfAbsent((String) columns[0], id -> new HashMap<>())
                    .computeIfAbsent((String) columns[1], name -> new HashMap<>())
                    .put(day, ((Number) columns[3]).longValue());
        }
        // Values, not entities: a snapshot is read far more often than written, and managed rows cost a
        // dirty check at every flush. Native SQL: a query language query is translated anew for every
        // number of ids.
        @SuppressWarnings("unchecked")
        List<Object[]> aggregates = em().createNativeQuery("""
                select subject_id, event_name, event_count, first_at, last_at from event_aggregate
                 where subject_type = :type and subject_id in (:ids)""")
                .setParameter("type", subjectType)
                .setParameter("ids", subjectIds)
                .getResultList();
        Map<String, Map<String, EventStats>> events = new HashMap<>();
        for (Object[] row : aggregates) {
            String subjectId = (String) row[0];
            String name = (String) row[1];
            long count = ((Number) row[2]).longValue();
            Instant firstAt = SqlTimes.toInstant(row[3]);
            Instant lastAt = SqlTimes.toInstant(row[4]);
            Map<LocalDate, Long> recent =
                    Map.copyOf(daily.getOrDefault(subjectId, Map.of()).getOrDefault(name, Map.of()));
            EventStats partial = new EventStats(count, firstAt, lastAt, 0, 0, recent);
            events.computeIfAbsent(subjectId, id -> new LinkedHashMap<>())
                    .put(
                            name,
                            new EventStats(
                                    count,
                                    firstAt,
                                    lastAt,
                                    partial.countInLast(7, today),
                                    partial.countInLast(30, today),
                                    recent));
        }
        return events;
    }

    /** Forgets every count of a user, for erasure. */
    void forgetUser(String userId) {
        em().createNativeQuery("delete from event_aggregate where subject_type = 'user' and subject_id = ?1")
                .setParameter(1, userId)
                .executeUpdate();
        em().createNativeQuery("delete from event_daily where subject_type = 'user' and subject_id = ?1")
                .setParameter(1, userId)
                .executeUpdate();
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
