package dev.kizuna.decisions;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.EventStats;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.common.LogContext;
import dev.kizuna.common.RulesConfig;
import dev.kizuna.common.TransientFailures;
import dev.kizuna.expression.Condition;
import dev.kizuna.expression.ConditionFunctions;
import dev.kizuna.expression.ConditionVariables;
import dev.kizuna.messages.Channel;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.RuleDefinition;
import dev.kizuna.rules.RuleEngine;
import dev.kizuna.templates.DeliveryPolicy;
import dev.kizuna.tracking.EmailPermission;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Takes the recipients of sequences through their steps when they come due, in claimed sets (as
 * the "after" clocks are): for each, whether it leaves the sequence first (goal reached,
 * unsubscribed, out of the audience, the step gone in an edit), else whether the step's
 * condition holds; the steps' messages are decided together, and each entry moves on in the same
 * transaction. An entry follows the rule as it is now, by step name.
 */
@ApplicationScoped
public class SequenceSteps {

    private static final Logger LOG = Logger.getLogger(SequenceSteps.class);
    private static final int BATCH = 200;

    private final SequenceEntries entries;
    private final RuleCatalog catalog;
    private final AccountSnapshots accounts;
    private final Decider decider;
    private final DeliveryPolicy delivery;
    private final EmailPermission permission;
    private final Clock clock;
    private final RulesConfig config;

    SequenceSteps(
            SequenceEntries entries,
            RuleCatalog catalog,
            AccountSnapshots accounts,
            Decider decider,
            DeliveryPolicy delivery,
            EmailPermission permission,
            Clock clock,
            RulesConfig config) {
        this.config = config;
        this.entries = entries;
        this.catalog = catalog;
        this.accounts = accounts;
        this.decider = decider;
        this.delivery = delivery;
        this.permission = permission;
        this.clock = clock;
    }

    /** Takes every due step, set after set; returns how many entries were looked at. */
    public int runDue() {
        int handled = 0;
        List<SequenceEntries.DueEntry> due;
        do {
            due = entries.claimDue(clock.instant(), BATCH, config.timerClaim());
            List<SequenceEntries.DueEntry> set = due;
            try {
                QuarkusTransaction.requiringNew().run(() -> take(set));
            } catch (RuntimeException e) {
                if (TransientFailures.classify(e).isPresent()) {
                    // The database is away or busy: the claims expire and the set comes due again.
                    throw e;
                }
                LOG.warnf(
                        "a set of %d due sequence steps failed as a whole (%s); taking them one by one",
                        set.size(), e.getMessage());
                for (SequenceEntries.DueEntry entry : set) {
                    try {
                        QuarkusTransaction.requiringNew().run(() -> take(List.of(entry)));
                    } catch (RuntimeException failed) {
                        // Left claimed: it comes due again once the claim expires.
                        try (LogContext context = LogContext.ofDecision(entry.ruleId(), entry.accountId())) {
                            LOG.errorf(
                                    failed,
                                    "step '%s' of rule %s for user %s failed",
                                    entry.nextStep(),
                                    entry.ruleId(),
                                    entry.userId());
                        }
                    }
                }
            }
            handled += due.size();
        } while (due.size() == BATCH);
        return handled;
    }

    private void take(List<SequenceEntries.DueEntry> set) {
        if (set.isEmpty()) {
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, UserSnapshot> users = accounts.users(
                set.stream().map(SequenceEntries.DueEntry::userId).distinct().toList());
        // Profiles change with time alone (segments, health): the steps see them as they are now.
        Map<String, String> firstCause = new LinkedHashMap<>();
        set.stream()
                .filter(entry -> entry.accountId() != null)
                .forEach(entry -> firstCause.putIfAbsent(entry.accountId(), "sequence " + entry.id()));
        Map<String, AccountSnapshot> current = decider.profilesNow(firstCause, now);
        List<Decider.Occasion> occasions = new ArrayList<>();
        List<SequenceEntries.StepReached> reached = new ArrayList<>();
        for (SequenceEntries.DueEntry entry : set) {
            UserSnapshot user = users.get(entry.userId());
            AccountSnapshot account = entry.accountId() == null ? null : current.get(entry.accountId());
            Optional<Rule> rule = catalog.find(entry.ruleId());
            Optional<Rule.Step> step = rule.flatMap(found -> found.step(entry.nextStep()));
            String exit = exitReason(entry, rule, step, user, account);
            if (exit != null) {
                entries.exit(entry.id(), exit, now);
                continue;
            }
            Evaluation.Recipient recipient = new Evaluation.Recipient(account, user);
            Evaluation.Cause cause = new Evaluation.Cause(
                    "sequence", entry.id() + "/" + step.get().name(), null, Map.of());
            String skipped = conditionFails(step.get(), recipient, now);
            if (skipped != null) {
                reached.add(new SequenceEntries.StepReached(
                        entry.id(), entry.ruleId(), step.get().name(), SequenceEntries.SKIPPED, now, skipped));
            } else {
                occasions.add(new Decider.Occasion(List.of(rule.get().atStep(step.get())), recipient, cause));
                reached.add(new SequenceEntries.StepReached(
                        entry.id(), entry.ruleId(), step.get().name(), SequenceEntries.SENT, now, null));
            }
            Optional<Rule.Step> next = rule.get().stepAfter(step.get().name());
            if (next.isPresent()) {
                entries.moveOn(
                        entry.id(), next.get().name(), now.plus(next.get().waitFor()));
            } else {
                entries.exit(entry.id(), "completed", now);
            }
        }
        decider.decideAll(occasions);
        entries.reached(reached);
    }

    /** Why the entry leaves the sequence instead of taking its step, or null if it goes on. */
    private String exitReason(
            SequenceEntries.DueEntry entry,
            Optional<Rule> rule,
            Optional<Rule.Step> step,
            UserSnapshot user,
            AccountSnapshot account) {
        if (rule.isEmpty()) {
            return "the rule was removed";
        }
        if (!rule.get().isSequence()) {
            return "the rule is no longer a sequence";
        }
        if (step.isEmpty()) {
            return "step '" + entry.nextStep() + "' is no longer in the sequence";
        }
        if (user == null) {
            return "the user is no more";
        }
        String goal = goalReached(rule.get(), entry, account);
        if (goal != null) {
            return goal;
        }
        if (Boolean.TRUE.equals(rule.get().definition().exitOnAudienceLeave())
                && !RuleEngine.admits(rule.get(), account)) {
            return "left the audience " + rule.get().audience();
        }
        for (RuleDefinition.Action action : step.get().actions()) {
            if (action.channel() != Channel.EMAIL) {
                continue;
            }
            if (user.email() != null && permission.suppressedReason(user.email()) != null) {
                return "the address is suppressed";
            }
            DeliveryPolicy.EmailOrigin origin = delivery.emailOriginIfKnown(action.template());
            if (origin != null && permission.unsubscribedReason(user.id(), origin.category()) != null) {
                return "unsubscribed from '" + origin.category() + "' emails";
            }
            if (origin != null
                    && origin.consentRequired()
                    && permission.noConsentReason(user.id(), origin.category()) != null) {
                return "no consent to '" + origin.category() + "' emails on record";
            }
        }
        return null;
    }

    /** The rule's goal reached since the entry (a milestone: whenever), or null. */
    private static String goalReached(Rule rule, SequenceEntries.DueEntry entry, AccountSnapshot account) {
        RuleDefinition.Goal goal = rule.goal();
        if (goal == null || account == null || goal.onRevenue()) {
            return null;
        }
        if (goal.milestone() != null) {
            return account.profile().milestones().containsKey(goal.milestone())
                    ? "goal reached: milestone '" + goal.milestone() + "'"
                    : null;
        }
        EventStats stats = account.events().get(goal.event());
        return stats != null && stats.lastAt() != null && stats.lastAt().isAfter(entry.enteredAt())
                ? "goal reached: event '" + goal.event() + "'"
                : null;
    }

    /** Null if the step's condition holds; else what it found, for the step's record. */
    private static String conditionFails(Rule.Step step, Evaluation.Recipient recipient, Instant now) {
        if (step.condition() == Condition.ALWAYS) {
            return null;
        }
        try {
            boolean holds = step.condition()
                    .holds(
                            ConditionVariables.of(recipient.account(), recipient.user(), null, Map.of()),
                            new ConditionFunctions(recipient.account(), recipient.user(), now));
            return holds ? null : "`" + step.condition().source() + "` is false";
        } catch (Condition.InvalidCondition e) {
            return "`" + step.condition().source() + "` failed: " + e.getMessage();
        }
    }
}
