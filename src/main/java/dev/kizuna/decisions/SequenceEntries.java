package dev.kizuna.decisions;

import dev.kizuna.common.MultiRowInsert;
import dev.kizuna.common.SqlTimes;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where each recipient of a sequence is (table sequence_entry) and the steps it reached
 * (sequence_step). An entry is written with the decision that entered it; its steps are claimed
 * in sets when due, and each step's messages commit with the entry's move to the next.
 */
@ApplicationScoped
public class SequenceEntries {

    /** A recipient entering a sequence: the first step was decided now; the next comes due at {@code dueAt}. */
    record NewEntry(
            String ruleId,
            String accountId,
            String userId,
            Instant enteredAt,
            String causeRef,
            String firstStep,
            String nextStep,
            Instant dueAt) {}

    /** An entry whose next step came due. */
    record DueEntry(
            long id,
            String ruleId,
            String accountId,
            String userId,
            Instant enteredAt,
            String nextStep,
            Instant dueAt) {}

    /** A step reached: sent or skipped, with why. */
    record StepReached(long entryId, String ruleId, String step, String outcome, Instant at, String detail) {}

    /** An entry as explanations show it. */
    public record EntryView(
            long id,
            Instant enteredAt,
            String nextStep,
            Instant dueAt,
            Instant exitedAt,
            String exitReason,
            List<StepView> steps) {}

    public record StepView(String step, String outcome, Instant at, String detail) {}

    /** A sequence's funnel: entries, each step's outcomes in the order of the steps, and the reasons recipients left. */
    public record Funnel(long entered, long active, Map<String, Map<String, Long>> steps, Map<String, Long> exited) {}

    static final String SENT = "sent";
    static final String SKIPPED = "skipped";

    /**
     * Writes the entries of a set of decisions, each with its first step reached, with a statement
     * per table; an earlier entry of the same recipient still going through the sequence leaves it
     * (it entered again, as limits.every allowed).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void enterAll(List<NewEntry> entered) {
        if (entered.isEmpty()) {
            return;
        }
        // One entry per recipient and rule in a set: a later decision of the set replaces an earlier one.
        Map<List<String>, NewEntry> byRecipient = new LinkedHashMap<>();
        entered.forEach(entry -> byRecipient.put(List.of(entry.ruleId(), entry.userId()), entry));
        // The set's decisions share one time: a statement per rule of the set.
        Map<String, List<String>> usersByRule = new LinkedHashMap<>();
        byRecipient
                .values()
                .forEach(entry -> usersByRule
                        .computeIfAbsent(entry.ruleId(), rule -> new ArrayList<>())
                        .add(entry.userId()));
        Instant enteredAt = entered.get(0).enteredAt();
        usersByRule.forEach((ruleId, userIds) -> Panache.getEntityManager()
                .createNativeQuery("""
                        update sequence_entry set exited_at = ?1, exit_reason = 'entered again', next_step = null, due_at = null
                         where rule_id = ?2 and user_id in (?3) and exited_at is null""")
                .setParameter(1, Timestamp.from(enteredAt))
                .setParameter(2, ruleId)
                .setParameter(3, userIds)
                .executeUpdate());
        List<Object[]> ids = MultiRowInsert.insertReturning(
                "sequence_entry",
                List.of(
                        "rule_id",
                        "account_id",
                        "user_id",
                        "entered_at",
                        "cause_ref",
                        "next_step",
                        "due_at",
                        "exited_at",
                        "exit_reason"),
                byRecipient.values().stream()
                        .map(entry -> new Object[] {
                            entry.ruleId(),
                            entry.accountId(),
                            entry.userId(),
                            entry.enteredAt(),
                            entry.causeRef(),
                            entry.nextStep(),
                            entry.dueAt(),
                            entry.nextStep() == null ? entry.enteredAt() : null,
                            entry.nextStep() == null ? "completed" : null
                        })
                        .toList(),
                List.of("id", "rule_id", "user_id"));
        List<StepReached> first = new ArrayList<>();
        for (Object[] row : ids) {
            NewEntry entry = byRecipient.get(List.of((String) row[1], (String) row[2]));
            first.add(new StepReached(
                    ((Number) row[0]).longValue(),
                    entry.ruleId(),
                    entry.firstStep(),
                    SENT,
                    entry.enteredAt(),
                    "entered"));
        }
        reached(first);
    }

    /**
     * Claims up to {@code limit} entries whose next step is due, for {@code claimFor}, with one
     * update for the set; a claim that outlives its instance expires and the step is taken by
     * another. The claim's expiry, to the microsecond, tells this claim's entries from another's.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    List<DueEntry> claimDue(Instant now, int limit, Duration claimFor) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Panache.getEntityManager()
                .createNativeQuery("""
                        select id, rule_id, account_id, user_id, entered_at, next_step, due_at from sequence_entry
                         where due_at <= ?1 and exited_at is null and (claimed_until is null or claimed_until < ?1)
                         order by due_at, id""")
                .setParameter(1, Timestamp.from(now))
                .setMaxResults(limit)
                .getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, DueEntry> candidates = new LinkedHashMap<>();
        for (Object[] row : rows) {
            long id = ((Number) row[0]).longValue();
            candidates.put(
                    id,
                    new DueEntry(
                            id,
                            (String) row[1],
                            (String) row[2],
                            (String) row[3],
                            SqlTimes.toInstant(row[4]),
                            (String) row[5],
                            SqlTimes.toInstant(row[6])));
        }
        Instant until = now.plus(claimFor).truncatedTo(ChronoUnit.MICROS);
        int claimed = Panache.getEntityManager()
                .createNativeQuery("""
                        update sequence_entry set claimed_until = ?1
                         where id in (?2) and exited_at is null and (claimed_until is null or claimed_until < ?3)""")
                .setParameter(1, Timestamp.from(until))
                .setParameter(2, candidates.keySet())
                .setParameter(3, Timestamp.from(now))
                .executeUpdate();
        if (claimed == candidates.size()) {
            return List.copyOf(candidates.values());
        }
        @SuppressWarnings("unchecked")
        List<Number> won = Panache.getEntityManager()
                .createNativeQuery("select id from sequence_entry where id in (?1) and claimed_until = ?2")
                .setParameter(1, candidates.keySet())
                .setParameter(2, Timestamp.from(until))
                .getResultList();
        return won.stream().map(id -> candidates.get(id.longValue())).toList();
    }

    /** The entry goes on to its next step, due then. */
    @Transactional(Transactional.TxType.MANDATORY)
    void moveOn(long id, String nextStep, Instant dueAt) {
        Panache.getEntityManager()
                .createNativeQuery(
                        "update sequence_entry set next_step = ?1, due_at = ?2, claimed_until = null where id = ?3")
                .setParameter(1, nextStep)
                .setParameter(2, Timestamp.from(dueAt))
                .setParameter(3, id)
                .executeUpdate();
    }

    /** The entry leaves the sequence, for this reason. */
    @Transactional(Transactional.TxType.MANDATORY)
    void exit(long id, String reason, Instant at) {
        Panache.getEntityManager()
                .createNativeQuery("""
                        update sequence_entry set exited_at = ?1, exit_reason = ?2, next_step = null, due_at = null, claimed_until = null
                         where id = ?3""")
                .setParameter(1, Timestamp.from(at))
                .setParameter(2, reason.length() > 500 ? reason.substring(0, 500) : reason)
                .setParameter(3, id)
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void reached(List<StepReached> steps) {
        if (!steps.isEmpty()) {
            MultiRowInsert.insert(
                    "sequence_step",
                    List.of("entry_id", "rule_id", "step", "outcome", "reached_at", "detail"),
                    steps.stream()
                            .map(step -> new Object[] {
                                step.entryId(),
                                step.ruleId(),
                                step.step(),
                                step.outcome(),
                                step.at(),
                                step.detail() == null || step.detail().length() <= 500
                                        ? step.detail()
                                        : step.detail().substring(0, 500)
                            })
                            .toList());
        }
    }

    /** The recipient's latest entry into the sequence, with the steps it reached. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<EntryView> latest(String ruleId, String userId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Panache.getEntityManager()
                .createNativeQuery("""
                        select id, entered_at, next_step, due_at, exited_at, exit_reason from sequence_entry
                         where rule_id = ?1 and user_id = ?2 order by id desc""")
                .setParameter(1, ruleId)
                .setParameter(2, userId)
                .setMaxResults(1)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = rows.get(0);
        long id = ((Number) row[0]).longValue();
        @SuppressWarnings("unchecked")
        List<Object[]> steps = Panache.getEntityManager()
                .createNativeQuery(
                        "select step, outcome, reached_at, detail from sequence_step where entry_id = ?1 order by reached_at")
                .setParameter(1, id)
                .getResultList();
        return Optional.of(new EntryView(
                id,
                SqlTimes.toInstant(row[1]),
                (String) row[2],
                SqlTimes.toInstant(row[3]),
                SqlTimes.toInstant(row[4]),
                (String) row[5],
                steps.stream()
                        .map(step -> new StepView(
                                (String) step[0], (String) step[1], SqlTimes.toInstant(step[2]), (String) step[3]))
                        .toList()));
    }

    /** The funnel of a sequence, its steps listed in the order given (those of the rule as it is now). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Funnel funnel(String ruleId, List<String> stepOrder) {
        Object[] counts = (Object[]) Panache.getEntityManager()
                .createNativeQuery(
                        "select count(*), sum(case when exited_at is null then 1 else 0 end) from sequence_entry where rule_id = ?1")
                .setParameter(1, ruleId)
                .getSingleResult();
        Map<String, Map<String, Long>> steps = new LinkedHashMap<>();
        stepOrder.forEach(step -> steps.put(step, new TreeMap<>(Map.of(SENT, 0L, SKIPPED, 0L))));
        @SuppressWarnings("unchecked")
        List<Object[]> reached = Panache.getEntityManager()
                .createNativeQuery(
                        "select step, outcome, count(*) from sequence_step where rule_id = ?1 group by step, outcome")
                .setParameter(1, ruleId)
                .getResultList();
        reached.forEach(row -> steps.computeIfAbsent((String) row[0], step -> new TreeMap<>())
                .put((String) row[1], ((Number) row[2]).longValue()));
        Map<String, Long> exited = new TreeMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> reasons = Panache.getEntityManager()
                .createNativeQuery(
                        "select exit_reason, count(*) from sequence_entry where rule_id = ?1 and exited_at is not null group by exit_reason")
                .setParameter(1, ruleId)
                .getResultList();
        reasons.forEach(row -> exited.put((String) row[0], ((Number) row[1]).longValue()));
        return new Funnel(
                ((Number) counts[0]).longValue(),
                counts[1] == null ? 0 : ((Number) counts[1]).longValue(),
                steps,
                exited);
    }

    /** Erasure: the user's entries and their steps go. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long eraseUser(String userId) {
        Panache.getEntityManager()
                .createNativeQuery(
                        "delete from sequence_step where entry_id in (select id from sequence_entry where user_id = ?1)")
                .setParameter(1, userId)
                .executeUpdate();
        return Panache.getEntityManager()
                .createNativeQuery("delete from sequence_entry where user_id = ?1")
                .setParameter(1, userId)
                .executeUpdate();
    }
}
