package dev.kizuna.accounts;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** track, page, screen: counts the event for the user and for each account it is about. */
    public void recordEvent(String userId, List<String> accountIds, String eventName, Instant at) {
        if (userId != null) {
            AccountWriter.lockUser(userId, at);
            count(USER, userId, eventName, at);
        }
        for (String accountId : accountIds) {
            AccountWriter.lockAccount(accountId, at);
            count(ACCOUNT, accountId, eventName, at);
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
        // Values, not entities: a snapshot is read far more often than written, and managed rows cost a dirty check at every flush.
        List<Object[]> aggregates = em().createQuery("""
                select e.subjectId, e.eventName, e.eventCount, e.firstAt, e.lastAt from EventAggregate e
                 where e.subjectType = :type and e.subjectId in :ids""", Object[].class)
                .setParameter("type", subjectType)
                .setParameter("ids", subjectIds)
                .getResultList();
        Map<String, Map<String, EventStats>> events = new HashMap<>();
        for (Object[] row : aggregates) {
            String subjectId = (String) row[0];
            String name = (String) row[1];
            long count = (Long) row[2];
            Instant firstAt = (Instant) row[3];
            Instant lastAt = (Instant) row[4];
            Map<LocalDate, Long> recent = Map.copyOf(daily.getOrDefault(subjectId, Map.of()).getOrDefault(name, Map.of()));
            EventStats partial = new EventStats(count, firstAt, lastAt, 0, 0, recent);
            events.computeIfAbsent(subjectId, id -> new LinkedHashMap<>())
                    .put(name, new EventStats(count, firstAt, lastAt, partial.countInLast(7, today), partial.countInLast(30, today), recent));
        }
        return events;
    }

    /** Forgets every count of a user, for erasure. */
    void forgetUser(String userId) {
        em().createNativeQuery("delete from event_aggregate where subject_type = 'user' and subject_id = ?1").setParameter(1, userId).executeUpdate();
        em().createNativeQuery("delete from event_daily where subject_type = 'user' and subject_id = ?1").setParameter(1, userId).executeUpdate();
    }

    /**
     * Counts one event for a subject. The caller holds the subject's row lock, so an update that
     * finds no row can insert it without racing another transaction: two statements, not four.
     */
    private void count(String subjectType, String subjectId, String eventName, Instant at) {
        Timestamp when = Timestamp.from(at);
        int counted = em().createNativeQuery("""
                update event_aggregate
                   set event_count = event_count + 1,
                       first_at = case when first_at > ?4 then ?4 else first_at end,
                       last_at = case when last_at < ?4 then ?4 else last_at end
                 where subject_type = ?1 and subject_id = ?2 and event_name = ?3""")
                .setParameter(1, subjectType)
                .setParameter(2, subjectId)
                .setParameter(3, eventName)
                .setParameter(4, when)
                .executeUpdate();
        if (counted == 0) {
            em().createNativeQuery("""
                    insert into event_aggregate (subject_type, subject_id, event_name, event_count, first_at, last_at)
                    values (?1, ?2, ?3, 1, ?4, ?4)""")
                    .setParameter(1, subjectType)
                    .setParameter(2, subjectId)
                    .setParameter(3, eventName)
                    .setParameter(4, when)
                    .executeUpdate();
        }
        Date day = Date.valueOf(LocalDate.ofInstant(at, ZoneOffset.UTC));
        int countedThatDay = em().createNativeQuery("""
                update event_daily set event_count = event_count + 1
                 where subject_type = ?1 and subject_id = ?2 and event_name = ?3 and event_day = ?4""")
                .setParameter(1, subjectType)
                .setParameter(2, subjectId)
                .setParameter(3, eventName)
                .setParameter(4, day)
                .executeUpdate();
        if (countedThatDay == 0) {
            em().createNativeQuery("""
                    insert into event_daily (subject_type, subject_id, event_name, event_day, event_count)
                    values (?1, ?2, ?3, ?4, 1)""")
                    .setParameter(1, subjectType)
                    .setParameter(2, subjectId)
                    .setParameter(3, eventName)
                    .setParameter(4, day)
                    .executeUpdate();
        }
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
