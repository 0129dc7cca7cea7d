package dev.kizuna.rules;

import dev.kizuna.common.SqlTimes;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The clocks of "N after X unless Y" and inactivity rules: one row per rule and recipient in
 * due_trigger, never a Quartz job per account. An "after" clock starts at the first X; an
 * inactivity clock restarts at every X, so it only comes due after N without one.
 */
@ApplicationScoped
public class TriggerTimers {

    /** A clock that came due. */
    public record DueTimer(String ruleId, String accountId, String userId, Instant dueAt, String causeRef, Instant causedAt) {}

    @Transactional(Transactional.TxType.MANDATORY)
    public void eventHappened(Rule rule, String accountId, String userId, String messageId, Instant at) {
        if (rule.triggerKind() == Rule.TriggerKind.AFTER) {
            insert(rule.id(), accountId, userId, at.plus(rule.timing().delay()), messageId, at);
        } else if (rule.triggerKind() == Rule.TriggerKind.INACTIVITY) {
            Instant due = at.plus(rule.timing().idleFor());
            int moved = Panache.getEntityManager().createNativeQuery("""
                    update due_trigger set due_at = ?4, cause_ref = ?5, caused_at = ?6, claimed_until = null
                     where rule_id = ?1 and account_id = ?2 and user_id = ?3 and due_at < ?4""")
                    .setParameter(1, rule.id()).setParameter(2, accountId).setParameter(3, userId)
                    .setParameter(4, Timestamp.from(due)).setParameter(5, messageId).setParameter(6, Timestamp.from(at))
                    .executeUpdate();
            if (moved == 0) {
                insert(rule.id(), accountId, userId, due, messageId, at);
            }
        }
    }

    private static void insert(String ruleId, String accountId, String userId, Instant due, String messageId, Instant at) {
        Panache.getEntityManager().createNativeQuery("""
                insert into due_trigger (rule_id, account_id, user_id, due_at, cause_ref, caused_at)
                values (?1, ?2, ?3, ?4, ?5, ?6) on conflict do nothing""")
                .setParameter(1, ruleId).setParameter(2, accountId).setParameter(3, userId)
                .setParameter(4, Timestamp.from(due)).setParameter(5, messageId).setParameter(6, Timestamp.from(at))
                .executeUpdate();
    }

    /** Claims up to {@code limit} due clocks for {@code claimFor}; a claim that outlives its instance expires. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<DueTimer> claimDue(Instant now, int limit, Duration claimFor) {
        List<?> rows = Panache.getEntityManager().createNativeQuery("""
                select rule_id, account_id, user_id, due_at, cause_ref, caused_at from due_trigger
                 where due_at <= ?1 and (claimed_until is null or claimed_until < ?1)
                 order by due_at""")
                .setParameter(1, Timestamp.from(now))
                .setMaxResults(limit)
                .getResultList();
        List<DueTimer> claimed = new ArrayList<>();
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            int updated = Panache.getEntityManager().createNativeQuery("""
                    update due_trigger set claimed_until = ?4
                     where rule_id = ?1 and account_id = ?2 and user_id = ?3 and (claimed_until is null or claimed_until < ?5)""")
                    .setParameter(1, c[0]).setParameter(2, c[1]).setParameter(3, c[2])
                    .setParameter(4, Timestamp.from(now.plus(claimFor))).setParameter(5, Timestamp.from(now))
                    .executeUpdate();
            if (updated == 1) {
                claimed.add(new DueTimer((String) c[0], (String) c[1], (String) c[2], SqlTimes.toInstant(c[3]), (String) c[4], SqlTimes.toInstant(c[5])));
            }
        }
        return claimed;
    }

    /** The clock is done: the rule was evaluated (or no longer exists). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void finish(DueTimer timer) {
        Panache.getEntityManager().createNativeQuery(
                        "delete from due_trigger where rule_id = ?1 and account_id = ?2 and user_id = ?3 and due_at = ?4")
                .setParameter(1, timer.ruleId()).setParameter(2, timer.accountId()).setParameter(3, timer.userId())
                .setParameter(4, Timestamp.from(timer.dueAt()))
                .executeUpdate();
    }

}
