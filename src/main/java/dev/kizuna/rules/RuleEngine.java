package dev.kizuna.rules;

import dev.kizuna.expression.Condition;
import dev.kizuna.expression.ConditionFunctions;
import dev.kizuna.expression.ConditionVariables;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Looks at one rule for one recipient: audience, goal, condition, limits, then holdout. The same
 * evaluation serves decisions and explanations, so "why" always matches "what".
 */
@ApplicationScoped
public class RuleEngine {

    private static final Logger LOG = Logger.getLogger(RuleEngine.class);

    public Evaluation evaluate(Rule rule, Evaluation.Recipient recipient, Evaluation.Cause cause, Instant now, MessageHistory history) {
        List<Evaluation.Check> checks = new ArrayList<>();
        Evaluation.Verdict verdict = decide(rule, recipient, cause, now, history, checks);
        Evaluation evaluation = new Evaluation(rule, recipient, cause, verdict, List.copyOf(checks));
        LOG.debugf("rule %s for user %s account %s: %s; %s", rule.id(), recipient.user() == null ? null : recipient.user().id(),
                recipient.accountId(), verdict, evaluation.explanation());
        return evaluation;
    }

    private static Evaluation.Verdict decide(Rule rule, Evaluation.Recipient recipient, Evaluation.Cause cause, Instant now,
            MessageHistory history, List<Evaluation.Check> checks) {
        var account = recipient.account();
        if (!rule.audience().isEmpty()) {
            List<String> in = account == null ? List.of()
                    : rule.audience().stream().filter(account.profile().segments()::contains).toList();
            if (in.isEmpty()) {
                checks.add(new Evaluation.Check("audience", false, "the account is in none of " + rule.audience()));
                return Evaluation.Verdict.SKIP;
            }
            checks.add(new Evaluation.Check("audience", true, "the account is in " + in));
        }
        if (rule.goal() != null) {
            String reached = goalReached(rule.goal(), recipient);
            if (reached != null) {
                checks.add(new Evaluation.Check("goal", false, reached + ": the account left the rule"));
                return Evaluation.Verdict.SKIP;
            }
            checks.add(new Evaluation.Check("goal", true, "not reached yet"));
        }
        if (rule.condition() != Condition.ALWAYS) {
            boolean holds;
            try {
                holds = rule.condition().holds(
                        ConditionVariables.of(account, recipient.user(), cause.eventName(), cause.eventProperties()),
                        new ConditionFunctions(account, recipient.user(), now));
            } catch (Condition.InvalidCondition e) {
                checks.add(new Evaluation.Check("condition", false, "`" + rule.condition().source() + "` failed: " + e.getMessage()));
                return Evaluation.Verdict.SKIP;
            }
            checks.add(new Evaluation.Check("condition", holds, "`" + rule.condition().source() + "` is " + holds));
            if (!holds) {
                return Evaluation.Verdict.SKIP;
            }
        }
        String limited = limited(rule, recipient, now, history);
        if (limited != null) {
            checks.add(new Evaluation.Check("limit", false, limited));
            return Evaluation.Verdict.SKIP;
        }
        if (rule.oncePer() != null) {
            checks.add(new Evaluation.Check("limit", true, "not sent yet " + limitScope(rule)));
        }
        if (rule.holdoutPercent() > 0) {
            int bucket = holdoutBucket(rule.id(), recipient.accountId() != null ? recipient.accountId() : recipient.user().id());
            boolean heldOut = bucket < rule.holdoutPercent() * 100;
            checks.add(new Evaluation.Check("holdout", !heldOut, (heldOut ? "in" : "not in") + " the " + rule.holdoutPercent()
                    + "% holdout group (bucket " + bucket + " of 10000)"));
            if (heldOut) {
                return Evaluation.Verdict.HOLD_OUT;
            }
        }
        return Evaluation.Verdict.FIRE;
    }

    private static String goalReached(RuleDefinition.Goal goal, Evaluation.Recipient recipient) {
        var account = recipient.account();
        if (account == null) {
            return null;
        }
        if (goal.milestone() != null && account.profile().milestones().containsKey(goal.milestone())) {
            return "milestone '" + goal.milestone() + "' reached";
        }
        if (goal.event() != null && account.events().containsKey(goal.event())) {
            return "event '" + goal.event() + "' happened";
        }
        return null;
    }

    private static String limited(Rule rule, Evaluation.Recipient recipient, Instant now, MessageHistory history) {
        if (rule.oncePer() == null) {
            return null;
        }
        Instant since = rule.timing() == null || rule.timing().every() == null ? null : now.minus(rule.timing().every());
        boolean received = switch (rule.oncePer()) {
            case USER -> recipient.user() != null && history.userReceived(rule.id(), recipient.user().id(), since);
            case ACCOUNT -> recipient.accountId() != null && history.accountReceived(rule.id(), recipient.accountId(), since);
        };
        return received ? "already sent " + limitScope(rule) : null;
    }

    private static String limitScope(Rule rule) {
        String every = rule.definition().limits().every();
        return "once per " + rule.oncePer().name().toLowerCase() + (every == null ? "" : " every " + every);
    }

    /**
     * The recipient's holdout bucket for a rule, 0 to 9999: a hash of rule and account, so the
     * same account is always in or out of the same rule's holdout, on every instance.
     */
    static int holdoutBucket(String ruleId, String subjectId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((ruleId + ":" + subjectId).getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return (int) Math.floorMod(value, 10000L);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
