package dev.kizuna.decisions;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.RuleEngine;
import dev.kizuna.segments.SegmentChange;
import dev.kizuna.messages.LoggedMessageHistory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates rules for recipients and records what fired, in the caller's transaction. Shared by
 * the ingest pipeline (event and segment triggers) and the sweeps (schedules and timers).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Decider {

    private final RuleEngine engine;
    private final RuleCatalog catalog;
    private final LoggedMessageHistory history;
    private final DecisionRecorder recorder;
    private final AccountSnapshots accounts;
    private final Clock clock;

    Decider(RuleEngine engine, RuleCatalog catalog, LoggedMessageHistory history, DecisionRecorder recorder, AccountSnapshots accounts, Clock clock) {
        this.engine = engine;
        this.catalog = catalog;
        this.history = history;
        this.recorder = recorder;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** The outcome of deciding: how many rules fired or held out, and how many emails were queued. */
    public record Decided(int fired, int emailsQueued) {

        public static final Decided NONE = new Decided(0, 0);

        public Decided plus(Decided other) {
            return new Decided(fired + other.fired, emailsQueued + other.emailsQueued);
        }
    }

    /** Evaluates these rules for one recipient and records the messages of those that fire. */
    public Decided decide(List<Rule> rules, Evaluation.Recipient recipient, Evaluation.Cause cause) {
        if (rules.isEmpty() || recipient.user() == null) {
            return Decided.NONE;
        }
        List<Evaluation> evaluations = new ArrayList<>();
        for (Rule rule : rules) {
            evaluations.add(engine.evaluate(rule, recipient, cause, clock.instant(), history));
        }
        long fired = evaluations.stream().filter(evaluation -> evaluation.verdict() != Evaluation.Verdict.SKIP).count();
        if (fired == 0) {
            return Decided.NONE;
        }
        return new Decided((int) fired, recorder.record(evaluations));
    }

    /** Segment triggers: the rules for segments the account entered or left, for each of its users. */
    public Decided segmentsChanged(AccountSnapshot account, SegmentChange change, String causeRef) {
        Decided total = Decided.NONE;
        for (String segment : change.entered()) {
            total = total.plus(forMembers(catalog.onSegment(segment, true), account,
                    new Evaluation.Cause("segment", causeRef, "entered " + segment, java.util.Map.of())));
        }
        for (String segment : change.left()) {
            total = total.plus(forMembers(catalog.onSegment(segment, false), account,
                    new Evaluation.Cause("segment", causeRef, "left " + segment, java.util.Map.of())));
        }
        return total;
    }

    /** Account-level triggers reach every member of the account; each is evaluated as a recipient. */
    public Decided forMembers(List<Rule> rules, AccountSnapshot account, Evaluation.Cause cause) {
        if (rules.isEmpty()) {
            return Decided.NONE;
        }
        return forMembers(rules, account, cause, accounts.users(account.userIds()));
    }

    /** The same, with the members' snapshots already read (a sweep reads them a page at a time). */
    public Decided forMembers(List<Rule> rules, AccountSnapshot account, Evaluation.Cause cause, Map<String, UserSnapshot> users) {
        if (rules.isEmpty()) {
            return Decided.NONE;
        }
        Decided total = Decided.NONE;
        for (String userId : account.userIds()) {
            UserSnapshot user = users.get(userId);
            if (user != null) {
                total = total.plus(decide(rules, new Evaluation.Recipient(account, user), cause));
            }
        }
        return total;
    }
}
