package dev.kizuna.rules;

import dev.kizuna.expression.Condition;
import dev.kizuna.expression.ConditionFunctions;
import dev.kizuna.expression.ConditionVariables;
import dev.kizuna.messages.MessageHistory;
import jakarta.enterprise.context.ApplicationScoped;
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

    public Evaluation evaluate(
            Rule rule, Evaluation.Recipient recipient, Evaluation.Cause cause, Instant now, MessageHistory history) {
        List<Evaluation.Check> checks = new ArrayList<>();
        Evaluation.Verdict verdict = decide(rule, recipient, cause, now, history, checks);
        Evaluation evaluation = new Evaluation(rule, recipient, cause, verdict, List.copyOf(checks));
        LOG.debugf(
                "rule %s for user %s account %s: %s; %s",
                rule.id(),
                recipient.user() == null ? null : recipient.user().id(),
                recipient.accountId(),
                verdict,
                evaluation.explanation());
        return evaluation;
    }

    /**
     * The rules that may fire for the recipient as far as audience and condition go, which need
     * no message history: the others' evaluations are skips whatever the history says. Lets a
     * set of decisions read the history only for the rules and recipients that need it. The
     * recipient's variables for conditions are built once for all the rules.
     */
    public List<Rule> mayFire(List<Rule> rules, Evaluation.Recipient recipient, Evaluation.Cause cause, Instant now) {
        var account = recipient.account();
        List<Rule> possible = new ArrayList<>(rules.size());
        java.util.Map<String, Object> variables = null;
        ConditionFunctions functions = null;
        for (Rule rule : rules) {
            if (!admits(rule, account)) {
                continue;
            }
            if (rule.condition() != Condition.ALWAYS) {
                if (variables == null) {
                    variables = ConditionVariables.of(
                            account, recipient.user(), cause.eventName(), cause.eventProperties());
                    functions = new ConditionFunctions(account, recipient.user(), now);
                }
                try {
                    if (!rule.condition().holds(variables, functions)) {
                        continue;
                    }
                } catch (Condition.InvalidCondition e) {
                    continue;
                }
            }
            possible.add(rule);
        }
        return possible;
    }

    private static Evaluation.Verdict decide(
            Rule rule,
            Evaluation.Recipient recipient,
            Evaluation.Cause cause,
            Instant now,
            MessageHistory history,
            List<Evaluation.Check> checks) {
        var account = recipient.account();
        if (!rule.audience().isEmpty()) {
            List<String> in = audienceSegmentsOf(rule, account);
            if (in.isEmpty()) {
                checks.add(new Evaluation.Check("audience", false, "the account is in none of " + rule.audience()));
                return Evaluation.Verdict.SKIP;
            }
            checks.add(new Evaluation.Check("audience", true, "the account is in " + in));
        }
        if (rule.goal() != null && rule.goal().onRevenue()) {
            checks.add(new Evaluation.Check(
                    "goal", true, rule.goal().describe() + " is judged in the reports; it does not end the rule"));
        } else if (rule.goal() != null) {
            String reached = goalReached(rule, recipient, history);
            if (reached != null) {
                checks.add(new Evaluation.Check("goal", false, reached + ": the account left the rule"));
                return Evaluation.Verdict.SKIP;
            }
            checks.add(new Evaluation.Check("goal", true, "not reached yet"));
        }
        if (rule.condition() != Condition.ALWAYS) {
            boolean holds;
            try {
                holds = rule.condition()
                        .holds(
                                ConditionVariables.of(
                                        account, recipient.user(), cause.eventName(), cause.eventProperties()),
                                new ConditionFunctions(account, recipient.user(), now));
            } catch (Condition.InvalidCondition e) {
                checks.add(new Evaluation.Check(
                        "condition", false, "`" + rule.condition().source() + "` failed: " + e.getMessage()));
                return Evaluation.Verdict.SKIP;
            }
            checks.add(new Evaluation.Check(
                    "condition", holds, "`" + rule.condition().source() + "` is " + holds));
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
            String subject = recipient.accountId() != null
                    ? recipient.accountId()
                    : recipient.user().id();
            int bucket = HoldoutAssignment.bucket(rule.id(), subject);
            boolean heldOut = HoldoutAssignment.heldOut(rule.id(), subject, rule.holdoutPercent());
            checks.add(new Evaluation.Check(
                    "holdout",
                    !heldOut,
                    (heldOut ? "in" : "not in") + " the " + rule.holdoutPercent() + "% holdout group (bucket " + bucket
                            + " of 10000)"));
            if (heldOut) {
                return Evaluation.Verdict.HOLD_OUT;
            }
        }
        return Evaluation.Verdict.FIRE;
    }

    /** Whether the rule's audience lets the account in: every account without an audience, else one in a segment of it. */
    public static boolean admits(Rule rule, dev.kizuna.accounts.AccountSnapshot account) {
        if (rule.audience().isEmpty()) {
            return true;
        }
        if (account == null) {
            return false;
        }
        List<String> segments = account.profile().segments();
        for (String segment : rule.audience()) {
            if (segments.contains(segment)) {
                return true;
            }
        }
        return false;
    }

    /** The segments of the rule's audience that the account is in (none without an account). */
    private static List<String> audienceSegmentsOf(Rule rule, dev.kizuna.accounts.AccountSnapshot account) {
        return account == null
                ? List.of()
                : rule.audience().stream()
                        .filter(account.profile().segments()::contains)
                        .toList();
    }

    /**
     * A milestone goal is reached once the account reached the milestone, whenever that was; an
     * event goal once the event happened after the rule's last message to the recipient.
     */
    private static String goalReached(Rule rule, Evaluation.Recipient recipient, MessageHistory history) {
        RuleDefinition.Goal goal = rule.goal();
        var account = recipient.account();
        if (goal.milestone() != null) {
            return account != null && account.profile().milestones().containsKey(goal.milestone())
                    ? "milestone '" + goal.milestone() + "' reached"
                    : null;
        }
        var events = account != null ? account.events() : recipient.user().events();
        var stats = events.get(goal.event());
        if (stats == null) {
            return null;
        }
        Instant lastMessage = history.lastReceived(
                rule.id(), recipient.accountId(), recipient.user().id());
        return lastMessage != null && stats.lastAt().isAfter(lastMessage)
                ? "event '" + goal.event() + "' happened after the last message"
                : null;
    }

    private static String limited(Rule rule, Evaluation.Recipient recipient, Instant now, MessageHistory history) {
        if (rule.oncePer() == null) {
            return null;
        }
        Instant since = rule.timing() == null || rule.timing().every() == null
                ? null
                : now.minus(periodWithSlack(rule.timing().every()));
        boolean received = switch (rule.oncePer()) {
            case USER ->
                recipient.user() != null
                        && history.userReceived(rule.id(), recipient.user().id(), since);
            case ACCOUNT ->
                recipient.accountId() != null && history.accountReceived(rule.id(), recipient.accountId(), since);
        };
        return received ? "already sent " + limitScope(rule) : null;
    }

    /**
     * A period less a little slack (a tenth, at most an hour): a weekly schedule with "every: 7d"
     * must not skip a week because this week's sweep reached the account a little earlier.
     */
    static java.time.Duration periodWithSlack(java.time.Duration every) {
        java.time.Duration slack = every.dividedBy(10);
        return every.minus(slack.compareTo(java.time.Duration.ofHours(1)) > 0 ? java.time.Duration.ofHours(1) : slack);
    }

    private static String limitScope(Rule rule) {
        String every = rule.definition().limits().every();
        return "once per " + rule.oncePer().name().toLowerCase() + (every == null ? "" : " every " + every);
    }
}
