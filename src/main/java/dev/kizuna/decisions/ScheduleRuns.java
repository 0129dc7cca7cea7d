package dev.kizuna.decisions;

import dev.kizuna.common.SqlTimes;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** The record of each scheduled sweep: started, how many accounts of how many so far, finished. */
@ApplicationScoped
public class ScheduleRuns {

    /**
     * One firing of a scheduled rule as recorded; finishedAt is null while it runs (or if it died).
     * accountsTotal is the number of accounts when it started (null for firings recorded before it
     * was kept); progress is the share of them swept (at most 1: accounts added meanwhile are swept
     * too), and projectedFinishAt, while it runs, when it should end at the rate so far.
     */
    public record Run(String firingId, String ruleId, Instant startedAt, Instant finishedAt, long accountsSeen, long emailsQueued,
            Long accountsTotal, Double progress, Instant projectedFinishAt) {

        public static Run of(String firingId, String ruleId, Instant startedAt, Instant finishedAt, long accountsSeen, long emailsQueued,
                Long accountsTotal, Instant now) {
            Double progress = finishedAt != null ? Double.valueOf(1.0)
                    : accountsTotal == null ? null
                    : accountsTotal == 0 ? Double.valueOf(0.0) : Double.valueOf(Math.min(1.0, accountsSeen / (double) accountsTotal));
            Instant projected = null;
            if (finishedAt == null && accountsTotal != null && accountsSeen > 0 && now.isAfter(startedAt)) {
                long elapsedMillis = now.toEpochMilli() - startedAt.toEpochMilli();
                long leftMillis = (long) (elapsedMillis * Math.max(0, accountsTotal - accountsSeen) / (double) accountsSeen);
                projected = now.plusMillis(leftMillis);
            }
            return new Run(firingId, ruleId, startedAt, finishedAt, accountsSeen, emailsQueued, accountsTotal, progress, projected);
        }
    }

    /** Records the start of a firing and the accounts it sets out to sweep; a firing run again after its instance died keeps its first start. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void started(String firingId, String ruleId, Instant at) {
        long accounts = ((Number) em().createNativeQuery("select count(*) from account").getSingleResult()).longValue();
        em().createNativeQuery("""
                        insert into schedule_run (firing_id, rule_id, started_at, accounts_total) values (?1, ?2, ?3, ?4)
                        on conflict do nothing""")
                .setParameter(1, firingId)
                .setParameter(2, ruleId)
                .setParameter(3, Timestamp.from(at))
                .setParameter(4, accounts)
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

    /** The latest firings of a rule, newest first, their progress as of {@code now}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Run> latest(String ruleId, int limit, Instant now) {
        List<?> rows = em().createNativeQuery("""
                select firing_id, rule_id, started_at, finished_at, accounts_seen, emails_queued, accounts_total
                  from schedule_run where rule_id = ?1 order by started_at desc, firing_id desc""")
                .setParameter(1, ruleId)
                .setMaxResults(limit)
                .getResultList();
        return rows.stream().map(row -> {
            Object[] columns = (Object[]) row;
            return Run.of((String) columns[0], (String) columns[1], SqlTimes.toInstant(columns[2]),
                    columns[3] == null ? null : SqlTimes.toInstant(columns[3]), ((Number) columns[4]).longValue(),
                    ((Number) columns[5]).longValue(), columns[6] == null ? null : ((Number) columns[6]).longValue(), now);
        }).toList();
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
