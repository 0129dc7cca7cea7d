package dev.kizuna.decisions;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.messages.LoggedMessageHistory;
import dev.kizuna.messages.RecipientsHistory;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.RuleEngine;
import dev.kizuna.segments.AccountProfiles;
import dev.kizuna.segments.SegmentChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final AccountProfiles profiles;
    private final Clock clock;

    Decider(
            RuleEngine engine,
            RuleCatalog catalog,
            LoggedMessageHistory history,
            DecisionRecorder recorder,
            AccountSnapshots accounts,
            AccountProfiles profiles,
            Clock clock) {
        this.profiles = profiles;
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

    /** An occasion to decide: these rules, for this recipient, because of this cause. */
    public record Occasion(List<Rule> rules, Evaluation.Recipient recipient, Evaluation.Cause cause) {}

    /** Evaluates these rules for one recipient and records the messages of those that fire. */
    public Decided decide(List<Rule> rules, Evaluation.Recipient recipient, Evaluation.Cause cause) {
        return decideAll(List.of(new Occasion(rules, recipient, cause)));
    }

    /**
     * Decides several occasions together, in their order: the recipients' message history is read
     * once for all of them, each decision sees the ones made before it, and the messages, emails
     * and nudges of all of them are written with a statement per table.
     */
    public Decided decideAll(List<Occasion> occasions) {
        // Messages are stored with the precision of the database's timestamps, so that the time
        // a decision sees in memory is the time read back later.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // Rules whose audience or condition leaves the recipient out are skips whatever the
        // history holds: the history is read only for the others (a sweep's few percent).
        List<Occasion> live = new ArrayList<>();
        for (Occasion occasion : occasions) {
            if (occasion.recipient().user() == null) {
                continue;
            }
            List<Rule> possible = engine.mayFire(occasion.rules(), occasion.recipient(), occasion.cause(), now);
            if (!possible.isEmpty()) {
                live.add(new Occasion(possible, occasion.recipient(), occasion.cause()));
            }
        }
        if (live.isEmpty()) {
            return Decided.NONE;
        }
        // The history is read for the rules each recipient may get, not for every rule of the set.
        Map<String, Set<String>> rulesByUser = new HashMap<>();
        Map<String, Set<String>> rulesByAccount = new HashMap<>();
        Map<String, UserSnapshot> users = new LinkedHashMap<>();
        int mayNeed = 0;
        for (Occasion occasion : live) {
            String userId = occasion.recipient().user().id();
            String accountId = occasion.recipient().accountId();
            for (Rule rule : occasion.rules()) {
                rulesByUser.computeIfAbsent(userId, id -> new HashSet<>()).add(rule.id());
                if (accountId != null) {
                    rulesByAccount
                            .computeIfAbsent(accountId, id -> new HashSet<>())
                            .add(rule.id());
                }
            }
            users.put(userId, occasion.recipient().user());
            mayNeed += actionsOf(occasion.rules());
        }
        // One recipient (a sweep's account with its one user, mostly) asks the log question by question.
        RecipientsHistory history = this.history.forRecipients(
                rulesByUser,
                rulesByAccount,
                now.minus(DecisionRecorder.CAPS_LOOK_BACK),
                users.size() > 1,
                recorder.capsAccounts());
        DecisionSet decisions = recorder.begin(now, history, users.values());
        Decided total = Decided.NONE;
        for (Occasion occasion : live) {
            List<Evaluation> evaluations = new ArrayList<>();
            for (Rule rule : occasion.rules()) {
                evaluations.add(engine.evaluate(rule, occasion.recipient(), occasion.cause(), now, history));
            }
            List<Evaluation> fired = evaluations.stream()
                    .filter(evaluation -> evaluation.verdict() != Evaluation.Verdict.SKIP)
                    .toList();
            if (!fired.isEmpty()) {
                decisions.reserveIds(
                        actionsOf(fired.stream().map(Evaluation::rule).toList()), mayNeed);
                total = total.plus(new Decided(fired.size(), recorder.record(fired, decisions)));
            }
            mayNeed -= actionsOf(occasion.rules());
        }
        recorder.write(decisions);
        return total;
    }

    private static int actionsOf(List<Rule> rules) {
        return rules.stream().mapToInt(rule -> rule.actions().size()).sum();
    }

    /**
     * Recomputes these accounts' profiles now (segments, health and lifecycle change with time
     * alone) and decides the segment triggers of what changed, each account's with its cause;
     * the accounts as they are now, for decisions about them that follow.
     */
    public Map<String, AccountSnapshot> profilesNow(Map<String, String> causeByAccount, Instant now) {
        Map<String, AccountSnapshot> current = new HashMap<>();
        accounts.accounts(causeByAccount.keySet()).forEach((accountId, snapshot) -> {
            AccountProfiles.Recomputed account = profiles.recompute(snapshot, now);
            current.put(accountId, account.account());
            segmentsChanged(account.account(), account.segments(), causeByAccount.get(accountId));
        });
        return current;
    }

    /** Segment triggers: the rules for segments the account entered or left, for each of its users, decided together. */
    public Decided segmentsChanged(AccountSnapshot account, SegmentChange change, String causeRef) {
        Map<Evaluation.Cause, List<Rule>> triggered = segmentTriggers(change, causeRef);
        if (triggered.isEmpty()) {
            return Decided.NONE;
        }
        Map<String, UserSnapshot> users = accounts.users(account.userIds());
        List<Occasion> occasions = new ArrayList<>();
        triggered.forEach((cause, rules) -> occasions.addAll(forMembers(rules, account, cause, users)));
        return decideAll(occasions);
    }

    /**
     * The occasions of a sweep's account, for its members already read (a sweep reads a page of
     * them at once): first the segment triggers of the segments it entered or left, then the
     * scheduled rules. A page's occasions are decided as one set ({@link #decideAll}).
     */
    public List<Occasion> sweptAccount(
            AccountSnapshot account,
            SegmentChange change,
            String causeRef,
            List<Rule> scheduled,
            Evaluation.Cause cause,
            Map<String, UserSnapshot> users) {
        List<Occasion> occasions = new ArrayList<>();
        segmentTriggers(change, causeRef)
                .forEach((segmentCause, rules) -> occasions.addAll(forMembers(rules, account, segmentCause, users)));
        occasions.addAll(forMembers(scheduled, account, cause, users));
        return occasions;
    }

    /** The rules each segment entered or left triggers, by cause, in the order of the change; segments without rules left out. */
    private Map<Evaluation.Cause, List<Rule>> segmentTriggers(SegmentChange change, String causeRef) {
        Map<Evaluation.Cause, List<Rule>> triggered = new LinkedHashMap<>();
        for (String segment : change.entered()) {
            List<Rule> rules = catalog.onSegment(segment, true);
            if (!rules.isEmpty()) {
                triggered.put(new Evaluation.Cause("segment", causeRef, "entered " + segment, Map.of()), rules);
            }
        }
        for (String segment : change.left()) {
            List<Rule> rules = catalog.onSegment(segment, false);
            if (!rules.isEmpty()) {
                triggered.put(new Evaluation.Cause("segment", causeRef, "left " + segment, Map.of()), rules);
            }
        }
        return triggered;
    }

    private static List<Occasion> forMembers(
            List<Rule> rules, AccountSnapshot account, Evaluation.Cause cause, Map<String, UserSnapshot> users) {
        if (rules.isEmpty()) {
            return List.of();
        }
        List<Occasion> occasions = new ArrayList<>();
        for (String userId : account.userIds()) {
            UserSnapshot user = users.get(userId);
            if (user != null) {
                occasions.add(new Occasion(rules, new Evaluation.Recipient(account, user), cause));
            }
        }
        return occasions;
    }
}
