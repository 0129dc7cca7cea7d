package dev.kizuna.rules;

import dev.kizuna.common.SqlTimes;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The clocks of "N after X unless Y" and inactivity rules: one row per rule and recipient in
 * due_trigger, never a Quartz job per account. An "after" clock starts at the first X; an
 * inactivity clock restarts at every X, so it only comes due after N without one.
 */
@ApplicationScoped
public class TriggerTimers {

    /** A clock that came due. */
    public record DueTimer(
            String ruleId, String accountId, String userId, Instant dueAt, String causeRef, Instant causedAt) {}

    @Transactional(Transactional.TxType.MANDATORY)
    public void eventHappened(Rule rule, String accountId, String userId, String messageId, Instant at) {
        if (rule.triggerKind() == Rule.TriggerKind.AFTER) {
            insert(rule.id(), accountId, userId, at.plus(rule.timing().delay()), messageId, at);
        } else if (rule.triggerKind() == Rule.TriggerKind.INACTIVITY) {
            Instant due = at.plus(rule.timing().idleFor());
            int moved = Panache.getEntityManager()
                    .createNativeQuery("""
                    update due_trigger set due_at = ?4, cause_ref = ?5, caused_at = ?6, claimed_until = null
                     where rule_id = ?1 and account_id = ?2 and user_id = ?3 and due_at < ?4""")
                    .setParameter(1, rule.id())
                    .setParameter(2, accountId)
                    .setParameter(3, userId)
                    .setParameter(4, Timestamp.from(due))
                    .setParameter(5, messageId)
                    .setParameter(6, Timestamp.from(at))
                    .executeUpdate();
            if (moved == 0) {
                insert(rule.id(), accountId, userId, due, messageId, at);
            }
        }
    }

    private static void insert(
            String ruleId, String accountId, String userId, Instant due, String messageId, Instant at) {
        Panache.getEntityManager()
                .createNativeQuery("""
                insert into due_trigger (rule_id, account_id, user_id, due_at, cause_ref, caused_at)
                values (?1, ?2, ?3, ?4, ?5, ?6) on conflict do nothing""")
                .setParameter(1, ruleId)
                .setParameter(2, accountId)
                .setParameter(3, userId)
                .setParameter(4, Timestamp.from(due))
                .setParameter(5, messageId)
                .setParameter(6, Timestamp.from(at))
                .executeUpdate();
    }

    /**
     * Claims up to {@code limit} due clocks for {@code claimFor}, with one update for the set; a
     * claim that outlives its instance expires. The claim's expiry, to the microsecond, tells the
     * clocks this claim won from any that another instance claimed meanwhile.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<DueTimer> claimDue(Instant now, int limit, Duration claimFor) {
        List<?> rows = Panache.getEntityManager()
                .createNativeQuery("""
                select rule_id, account_id, user_id, due_at, cause_ref, caused_at from due_trigger
                 where due_at <= ?1 and (claimed_until is null or claimed_until < ?1)
                 order by due_at""")
                .setParameter(1, Timestamp.from(now))
                .setMaxResults(limit)
                .getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<DueTimer> candidates = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            candidates.add(new DueTimer(
                    (String) c[0],
                    (String) c[1],
                    (String) c[2],
                    SqlTimes.toInstant(c[3]),
                    (String) c[4],
                    SqlTimes.toInstant(c[5])));
        }
        Instant until = now.plus(claimFor).truncatedTo(ChronoUnit.MICROS);
        Query claim = Panache.getEntityManager()
                .createNativeQuery("update due_trigger set claimed_until = :until where "
                        + "(claimed_until is null or claimed_until < :now) and (" + eachOf(candidates.size(), false)
                        + ")")
                .setParameter("until", Timestamp.from(until))
                .setParameter("now", Timestamp.from(now));
        int claimed = bindEach(claim, candidates).executeUpdate();
        if (claimed == candidates.size()) {
            return candidates;
        }
        Query won = Panache.getEntityManager()
                .createNativeQuery("select rule_id, account_id, user_id from due_trigger where "
                        + "claimed_until = :until and (" + eachOf(candidates.size(), false) + ")")
                .setParameter("until", Timestamp.from(until));
        Set<List<Object>> ours = new HashSet<>();
        for (Object row : bindEach(won, candidates).getResultList()) {
            ours.add(Arrays.asList((Object[]) row));
        }
        return candidates.stream()
                .filter(timer -> ours.contains(List.of(timer.ruleId(), timer.accountId(), timer.userId())))
                .toList();
    }

    /** The clocks are done: their rules were evaluated (or no longer exist). One statement for the set. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void finishAll(List<DueTimer> timers) {
        if (timers.isEmpty()) {
            return;
        }
        // A clock moved on since it was claimed (an inactivity clock restarted) has another due time and stays.
        Query delete = bindEach(
                Panache.getEntityManager()
                        .createNativeQuery("delete from due_trigger where " + eachOf(timers.size(), true)),
                timers);
        for (int i = 0; i < timers.size(); i++) {
            delete.setParameter("due" + i, Timestamp.from(timers.get(i).dueAt()));
        }
        delete.executeUpdate();
    }

    /** "(rule_id = :rule0 and account_id = :account0 and user_id = :user0) or …": the clocks of a set, by key (and due time). */
    private static String eachOf(int count, boolean withDueAt) {
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < count; i++) {
            keys.append(i == 0 ? "" : " or ")
                    .append("(rule_id = :rule")
                    .append(i)
                    .append(" and account_id = :account")
                    .append(i)
                    .append(" and user_id = :user")
                    .append(i)
                    .append(withDueAt ? " and due_at = :due" + i : "")
                    .append(")");
        }
        return keys.toString();
    }

    private static Query bindEach(Query query, List<DueTimer> timers) {
        for (int i = 0; i < timers.size(); i++) {
            query.setParameter("rule" + i, timers.get(i).ruleId())
                    .setParameter("account" + i, timers.get(i).accountId())
                    .setParameter("user" + i, timers.get(i).userId());
        }
        return query;
    }
}
