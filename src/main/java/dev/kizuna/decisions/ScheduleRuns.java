package dev.kizuna.decisions;

import dev.kizuna.accounts.AccountDirectory;
import dev.kizuna.common.MultiRowInsert;
import dev.kizuna.common.SqlTimes;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.segments.SegmentMembers;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The firings of scheduled rules and the profile refreshes. A firing sweeps the accounts once for
 * all the rules due together: every account, or, when each of its rules has an audience, only the
 * stored members of the audiences' segments. A profile refresh is a firing without rules over
 * every account. A firing is recorded with its rules and split into pages of accounts, which any
 * instance claims. A page is claimed by locking its row in the transaction that sweeps it and is marked
 * done in that same transaction, so an instance that dies mid-page loses nothing: its lock goes
 * with its connection and another instance sweeps the page again from the start.
 */
@ApplicationScoped
public class ScheduleRuns {

    /** Accounts per page. */
    static final int PAGE = 500;

    private final AccountDirectory directory;
    private final SegmentMembers members;

    ScheduleRuns(AccountDirectory directory, SegmentMembers members) {
        this.directory = directory;
        this.members = members;
    }
    /** A page that failed this many times is given up (logged, counted in the firing) so that the firing can end. */
    static final int MAX_PAGE_FAILURES = 3;

    /**
     * One firing as seen from one of its rules; finishedAt is null while it runs (or if it died
     * before pages were kept). rules are all the rules of the firing; emailsQueued counts for all
     * of them. accountsTotal is the number of accounts when it started (null for firings recorded
     * before it was kept); progress is the share of them swept (at most 1: accounts added
     * meanwhile are swept too), and projectedFinishAt, while it runs, when it should end at the
     * rate so far.
     */
    public record Run(
            String firingId,
            String ruleId,
            List<String> rules,
            Instant startedAt,
            Instant finishedAt,
            long accountsSeen,
            long emailsQueued,
            Long accountsTotal,
            Double progress,
            Instant projectedFinishAt,
            int pagesFailed) {

        public static Run of(
                String firingId,
                String ruleId,
                List<String> rules,
                Instant startedAt,
                Instant finishedAt,
                long accountsSeen,
                long emailsQueued,
                Long accountsTotal,
                int pagesFailed,
                Instant now) {
            Double progress = finishedAt != null
                    ? Double.valueOf(1.0)
                    : accountsTotal == null
                            ? null
                            : accountsTotal == 0
                                    ? Double.valueOf(0.0)
                                    : Double.valueOf(Math.min(1.0, accountsSeen / (double) accountsTotal));
            Instant projected = null;
            if (finishedAt == null && accountsTotal != null && accountsSeen > 0 && now.isAfter(startedAt)) {
                long elapsedMillis = now.toEpochMilli() - startedAt.toEpochMilli();
                long leftMillis =
                        (long) (elapsedMillis * Math.max(0, accountsTotal - accountsSeen) / (double) accountsSeen);
                projected = now.plusMillis(leftMillis);
            }
            return new Run(
                    firingId,
                    ruleId,
                    rules,
                    startedAt,
                    finishedAt,
                    accountsSeen,
                    emailsQueued,
                    accountsTotal,
                    progress,
                    projected,
                    pagesFailed);
        }
    }

    /** A page of a firing: the accounts with ids in (afterAccount, throughAccount], open where null. */
    public record Page(String firingId, int number, String afterAccount, String throughAccount, int failures) {}

    /**
     * Starts a firing of these rules: records it and splits its accounts into pages, in one
     * transaction. {@code audience} is the segments whose stored members are swept; empty, every
     * account is. False if a firing of this id was started before (by another instance, or by an
     * earlier attempt of this one): the firing is the same and is not started twice.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean start(String firingId, Collection<String> ruleIds, Collection<String> audience, Instant at) {
        int inserted = em().createNativeQuery(
                        "insert into sweep_firing (firing_id, started_at) values (?1, ?2) on conflict do nothing")
                .setParameter(1, firingId)
                .setParameter(2, Timestamp.from(at))
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }
        MultiRowInsert.insert(
                "sweep_firing_rule",
                List.of("firing_id", "rule_id"),
                ruleIds.stream()
                        .distinct()
                        .map(rule -> new Object[] {firingId, rule})
                        .toList());
        MultiRowInsert.insert(
                "sweep_firing_segment",
                List.of("firing_id", "segment"),
                audience.stream()
                        .distinct()
                        .map(segment -> new Object[] {firingId, segment})
                        .toList());
        // Every PAGE-th account id ends a page; the first page starts before every id and the last
        // is open-ended, so that the pages cover every id, those added while the firing runs too.
        List<String> pageEnds = audience.isEmpty() ? directory.pageEnds(PAGE) : members.pageEnds(audience, PAGE);
        long accountsTotal = audience.isEmpty() ? directory.count() : members.count(audience);
        List<Object[]> pages = new ArrayList<>();
        String after = null;
        for (int i = 0; i <= pageEnds.size(); i++) {
            String through = i < pageEnds.size() ? pageEnds.get(i) : null;
            pages.add(new Object[] {firingId, i, at, after, through});
            after = through;
        }
        MultiRowInsert.insert(
                "sweep_page",
                List.of("firing_id", "page_no", "firing_started_at", "after_account", "through_account"),
                pages);
        em().createNativeQuery("update sweep_firing set accounts_total = ?2, pages_total = ?3 where firing_id = ?1")
                .setParameter(1, firingId)
                .setParameter(2, accountsTotal)
                .setParameter(3, pages.size())
                .executeUpdate();
        return true;
    }

    /**
     * Claims the next page to sweep, in the caller's transaction: locked until it commits, skipped
     * by every other instance meanwhile. Firings are swept one after another, in the order they
     * started, so that no account is swept by two firings at the same time.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<Page> claim() {
        List<?> rows = em().createNativeQuery("""
                        select firing_id, page_no, after_account, through_account, failures from sweep_page
                         where done_at is null
                           and firing_id = (select firing_id from sweep_page where done_at is null
                                             order by firing_started_at, firing_id limit 1)
                         order by page_no limit 1 for update skip locked""").getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new Page(
                (String) row[0],
                ((Number) row[1]).intValue(),
                (String) row[2],
                (String) row[3],
                ((Number) row[4]).intValue()));
    }

    /** The rules of a firing. */
    @Transactional(Transactional.TxType.SUPPORTS)
    List<String> rulesOf(String firingId) {
        return em().createNativeQuery(
                        "select rule_id from sweep_firing_rule where firing_id = ?1 order by rule_id", String.class)
                .setParameter(1, firingId)
                .getResultList();
    }

    /** The account ids of a page, in order: every account in its range, or the members of the firing's audience. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<String> accountsOf(Page page) {
        @SuppressWarnings("unchecked")
        List<String> audience = em().createNativeQuery(
                        "select segment from sweep_firing_segment where firing_id = ?1", String.class)
                .setParameter(1, page.firingId())
                .getResultList();
        // Account ids are never empty: "" is before the first.
        String after = page.afterAccount() == null ? "" : page.afterAccount();
        return audience.isEmpty()
                ? directory.between(after, page.throughAccount())
                : members.between(audience, after, page.throughAccount());
    }

    /** Marks the page done and counts its accounts and emails, in the transaction of its decisions. */
    @Transactional(Transactional.TxType.MANDATORY)
    void done(Page page, String by, int accounts, int emails, Instant at) {
        em().createNativeQuery("update sweep_page set done_at = ?3, done_by = ?4 where firing_id = ?1 and page_no = ?2")
                .setParameter(1, page.firingId())
                .setParameter(2, page.number())
                .setParameter(3, Timestamp.from(at))
                .setParameter(4, by)
                .executeUpdate();
        em().createNativeQuery(
                        "update sweep_firing set accounts_seen = accounts_seen + ?2, emails_queued = emails_queued + ?3 where firing_id = ?1")
                .setParameter(1, page.firingId())
                .setParameter(2, accounts)
                .setParameter(3, emails)
                .executeUpdate();
    }

    /**
     * Records that sweeping the page failed; the page comes up again, until it has failed
     * {@link #MAX_PAGE_FAILURES} times: then it is given up and counted in the firing. True if given up.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    boolean failed(Page page, String by, String failure, Instant at) {
        boolean givenUp = page.failures() + 1 >= MAX_PAGE_FAILURES;
        String message = failure == null ? "" : failure.length() > 2000 ? failure.substring(0, 2000) : failure;
        em().createNativeQuery("""
                        update sweep_page set failures = failures + 1, last_failure = ?3,
                               done_at = case when ?4 then ?5 else done_at end, done_by = case when ?4 then ?6 else done_by end
                         where firing_id = ?1 and page_no = ?2""")
                .setParameter(1, page.firingId())
                .setParameter(2, page.number())
                .setParameter(3, message)
                .setParameter(4, givenUp)
                .setParameter(5, Timestamp.from(at))
                .setParameter(6, by)
                .executeUpdate();
        if (givenUp) {
            em().createNativeQuery("update sweep_firing set pages_failed = pages_failed + 1 where firing_id = ?1")
                    .setParameter(1, page.firingId())
                    .executeUpdate();
        }
        return givenUp;
    }

    /**
     * Ends the firing if none of its pages is left: records when, and forgets its pages. Any
     * instance may call it after a page; only the first call that finds the firing done ends it.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    boolean finishIfDone(String firingId, Instant at) {
        int finished = em().createNativeQuery("""
                        update sweep_firing set finished_at = ?2
                         where firing_id = ?1 and finished_at is null
                           and not exists (select 1 from sweep_page where firing_id = ?1 and done_at is null)""")
                .setParameter(1, firingId)
                .setParameter(2, Timestamp.from(at))
                .executeUpdate();
        if (finished > 0) {
            em().createNativeQuery("delete from sweep_page where firing_id = ?1")
                    .setParameter(1, firingId)
                    .executeUpdate();
        }
        return finished > 0;
    }

    /** Ends every firing whose pages are all done but which was not ended (its last sweeper died first); returns their ids. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    List<String> finishAllDone(Instant at) {
        @SuppressWarnings("unchecked")
        List<String> done = em().createNativeQuery("""
                        select distinct firing_id from sweep_page p
                         where not exists (select 1 from sweep_page q where q.firing_id = p.firing_id and q.done_at is null)""").getResultList();
        return done.stream().filter(firingId -> finishIfDone(firingId, at)).toList();
    }

    /** Whether the firing has finished: all its pages swept (or given up). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean finished(String firingId) {
        return !em().createNativeQuery("select 1 from sweep_firing where firing_id = ?1 and finished_at is not null")
                .setParameter(1, firingId)
                .getResultList()
                .isEmpty();
    }

    /** When the firing started; empty for a firing not on record. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Optional<Instant> startedAt(String firingId) {
        List<?> started = em().createNativeQuery("select started_at from sweep_firing where firing_id = ?1")
                .setParameter(1, firingId)
                .getResultList();
        return started.isEmpty() ? Optional.empty() : Optional.of(SqlTimes.toInstant(started.get(0)));
    }

    /** The latest profile refreshes (firings without rules), newest first, their progress as of {@code now}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Run> latestRefreshes(int limit, Instant now) {
        requireListLimit(limit);
        List<?> rows = em().createNativeQuery("""
                        select f.firing_id, f.started_at, f.finished_at, f.accounts_seen, f.emails_queued, f.accounts_total, f.pages_failed
                          from sweep_firing f
                         where not exists (select 1 from sweep_firing_rule r where r.firing_id = f.firing_id)
                         order by f.started_at desc, f.firing_id desc""").setMaxResults(limit).getResultList();
        return rows.stream()
                .map(row -> runOf((Object[]) row, null, List.of(), now))
                .toList();
    }

    /** The latest firings of a rule, newest first, their progress as of {@code now}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Run> latest(String ruleId, int limit, Instant now) {
        requireListLimit(limit);
        List<?> rows = em().createNativeQuery("""
                        select f.firing_id, f.started_at, f.finished_at, f.accounts_seen, f.emails_queued, f.accounts_total, f.pages_failed
                          from sweep_firing f join sweep_firing_rule r on r.firing_id = f.firing_id
                         where r.rule_id = ?1 order by f.started_at desc, f.firing_id desc""")
                .setParameter(1, ruleId)
                .setMaxResults(limit)
                .getResultList();
        Map<String, List<String>> rulesByFiring = new HashMap<>();
        List<String> firingIds =
                rows.stream().map(row -> (String) ((Object[]) row)[0]).toList();
        if (!firingIds.isEmpty()) {
            List<?> rules = em().createNativeQuery(
                            "select firing_id, rule_id from sweep_firing_rule where firing_id in (?1) order by rule_id")
                    .setParameter(1, firingIds)
                    .getResultList();
            for (Object rule : rules) {
                Object[] columns = (Object[]) rule;
                rulesByFiring
                        .computeIfAbsent((String) columns[0], firing -> new ArrayList<>())
                        .add((String) columns[1]);
            }
        }
        return rows.stream()
                .map(row -> {
                    Object[] columns = (Object[]) row;
                    return runOf(
                            columns, ruleId, rulesByFiring.getOrDefault((String) columns[0], List.of(ruleId)), now);
                })
                .toList();
    }

    /** How many runs a listing may ask for: 1 to 500. */
    private static void requireListLimit(int limit) {
        if (limit < 1 || limit > 500) {
            throw ProblemException.badField("limit", "must be between 1 and 500");
        }
    }

    /** A run from a row of firing_id, started_at, finished_at, accounts_seen, emails_queued, accounts_total, pages_failed. */
    private static Run runOf(Object[] columns, String ruleId, List<String> rules, Instant now) {
        return Run.of(
                (String) columns[0],
                ruleId,
                rules,
                SqlTimes.toInstant(columns[1]),
                columns[2] == null ? null : SqlTimes.toInstant(columns[2]),
                ((Number) columns[3]).longValue(),
                ((Number) columns[4]).longValue(),
                columns[5] == null ? null : ((Number) columns[5]).longValue(),
                ((Number) columns[6]).intValue(),
                now);
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
