package dev.kizuna.decisions;

import dev.kizuna.common.SqlTimes;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** The record of each scheduled sweep: started, how many accounts so far, finished. */
@ApplicationScoped
public class ScheduleRuns {

    /** One firing of a scheduled rule as recorded; finishedAt is null while it runs (or if it died). */
    public record Run(String firingId, String ruleId, Instant startedAt, Instant finishedAt, long accountsSeen, long emailsQueued) {}

    /** Records the start of a firing; a firing run again after its instance died keeps its first start. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void started(String firingId, String ruleId, Instant at) {
        em().createNativeQuery("insert into schedule_run (firing_id, rule_id, started_at) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, firingId)
                .setParameter(2, ruleId)
                .setParameter(3, Timestamp.from(at))
                .executeUpdate();
    }

    /** Progress, in the transaction of the page it counts: a page's count commits with its decisions. */
    @Transactional(Transactional.TxType.MANDATORY)
    void progressed(String firingId, int accounts, int emails) {
        em().createNativeQuery("update schedule_run set accounts_seen = accounts_seen + ?2, emails_queued = emails_queued + ?3 where firing_id = ?1")
                .setParameter(1, firingId)
                .setParameter(2, accounts)
                .setParameter(3, emails)
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void finished(String firingId, Instant at) {
        em().createNativeQuery("update schedule_run set finished_at = ?2 where firing_id = ?1")
                .setParameter(1, firingId)
                .setParameter(2, Timestamp.from(at))
                .executeUpdate();
    }

    /** The latest firings of a rule, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Run> latest(String ruleId, int limit) {
        List<?> rows = em().createNativeQuery("""
                select firing_id, rule_id, started_at, finished_at, accounts_seen, emails_queued
                  from schedule_run where rule_id = ?1 order by started_at desc, firing_id desc""")
                .setParameter(1, ruleId)
                .setMaxResults(limit)
                .getResultList();
        return rows.stream().map(row -> {
            Object[] columns = (Object[]) row;
            return new Run((String) columns[0], (String) columns[1], SqlTimes.toInstant(columns[2]),
                    columns[3] == null ? null : SqlTimes.toInstant(columns[3]), ((Number) columns[4]).longValue(),
                    ((Number) columns[5]).longValue());
        }).toList();
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
