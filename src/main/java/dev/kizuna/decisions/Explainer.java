package dev.kizuna.decisions;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.messages.LoggedMessageHistory;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.RuleEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Why a rule would or would not fire for an account now: the engine's own checks (audience,
 * goal, condition, limit, holdout) then the recorder's (caps, address, suppression, quiet hours),
 * for each user of the account. Nothing is recorded.
 */
@ApplicationScoped
public class Explainer {

    private final RuleCatalog catalog;
    private final RuleEngine engine;
    private final AccountSnapshots accounts;
    private final LoggedMessageHistory history;
    private final DecisionRecorder recorder;
    private final Clock clock;
    private final SequenceEntries sequences;

    Explainer(
            RuleCatalog catalog,
            RuleEngine engine,
            AccountSnapshots accounts,
            LoggedMessageHistory history,
            DecisionRecorder recorder,
            Clock clock,
            SequenceEntries sequences) {
        this.sequences = sequences;
        this.catalog = catalog;
        this.engine = engine;
        this.accounts = accounts;
        this.history = history;
        this.recorder = recorder;
        this.clock = clock;
    }

    /**
     * The verdict for one user, with every check; {@code wouldSend} only when every check passes.
     * For a sequence, {@code sequence} is where the user is in it: the latest entry, its steps,
     * the next step and when it comes due, or why the user left.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserVerdict(
            String userId,
            String verdict,
            boolean wouldSend,
            List<Evaluation.Check> checks,
            SequenceEntries.EntryView sequence) {}

    /** The explanation of one rule for one account. */
    public record Explanation(String rule, String version, String trigger, String accountId, List<UserVerdict> users) {}

    /** As if the rule's trigger happened now, with the event (for event rules) given or the rule's own trigger event. */
    @Transactional
    public Explanation explain(
            String ruleId, String accountId, String userId, String eventName, Map<String, Object> properties) {
        Rule rule = catalog.find(ruleId)
                .orElseThrow(() -> ProblemException.notFound("no rule '" + ruleId + "' is in force"));
        AccountSnapshot account = accounts.account(accountId)
                .orElseThrow(() -> ProblemException.notFound("no account with id '" + accountId + "'"));
        List<String> userIds = userId != null ? List.of(userId) : account.userIds();
        String event = eventName != null ? eventName : rule.watchedEvent();
        var cause = new Evaluation.Cause("explain", null, event, properties == null ? Map.of() : properties);
        List<UserVerdict> verdicts = new ArrayList<>();
        for (String id : userIds) {
            UserSnapshot user =
                    accounts.user(id).orElseThrow(() -> ProblemException.notFound("no user with id '" + id + "'"));
            if (!user.accountIds().contains(accountId)) {
                throw ProblemException.badField(
                        "userId", "user '" + id + "' is not a member of account '" + accountId + "'");
            }
            Evaluation evaluation =
                    engine.evaluate(rule, new Evaluation.Recipient(account, user), cause, clock.instant(), history);
            List<Evaluation.Check> checks = new ArrayList<>(evaluation.checks());
            boolean wouldSend = false;
            if (evaluation.verdict() == Evaluation.Verdict.FIRE) {
                List<Evaluation.Check> policy = recorder.preview(evaluation);
                checks.addAll(policy);
                // One blocking check (a suppressed address, an unsubscribed category, a cap) is enough to say no.
                wouldSend = policy.stream().allMatch(Evaluation.Check::passed);
            }
            SequenceEntries.EntryView entry =
                    rule.isSequence() ? sequences.latest(rule.id(), id).orElse(null) : null;
            verdicts.add(new UserVerdict(id, evaluation.verdict().name().toLowerCase(), wouldSend, checks, entry));
        }
        return new Explanation(rule.id(), rule.version(), rule.describeTrigger(), accountId, verdicts);
    }
}
