package dev.kizuna.decisions;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.EventStats;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.common.LogContext;
import dev.kizuna.common.RulesConfig;
import dev.kizuna.common.TransientFailures;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.RuleEngine;
import dev.kizuna.rules.TriggerTimers;
import dev.kizuna.segments.AccountProfiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * The work behind time-driven triggers: a firing of the scheduled rules due together sweeps
 * their accounts in pages, which any instance claims ({@link ScheduleRuns}), and so does a profile
 * refresh, a firing without rules; due clocks of "after" and inactivity rules are claimed and
 * evaluated in sets. A page commits with the record that it
 * is done, so a crash loses at most the page in hand, which another instance sweeps again.
 */
@ApplicationScoped
public class Sweeps {

    private static final Logger LOG = Logger.getLogger(Sweeps.class);
    private static final int TIMER_BATCH = 200;

    private final RuleCatalog catalog;
    private final AccountSnapshots accounts;
    private final AccountProfiles profiles;
    private final TriggerTimers timers;
    private final Decider decider;
    private final Clock clock;
    private final ScheduleRuns runs;
    private final SequenceSteps sequenceSteps;
    private final RulesConfig rulesConfig;

    Sweeps(
            RuleCatalog catalog,
            AccountSnapshots accounts,
            AccountProfiles profiles,
            TriggerTimers timers,
            Decider decider,
            Clock clock,
            ScheduleRuns runs,
            SequenceSteps sequenceSteps,
            RulesConfig rulesConfig) {
        this.rulesConfig = rulesConfig;
        this.runs = runs;
        this.sequenceSteps = sequenceSteps;
        this.catalog = catalog;
        this.accounts = accounts;
        this.profiles = profiles;
        this.timers = timers;
        this.decider = decider;
        this.clock = clock;
    }

    /**
     * Sweeps the next page of the oldest running firing, if any, in one transaction: the page's
     * accounts and members are read together, each account's profile is recomputed once (time
     * alone changes segments, health and lifecycle, so segment triggers fire) and all the
     * firing's rules are decided for its members. Returns the page swept, or empty if no page
     * was left to claim (all done, or being swept elsewhere). Its reads need a request context,
     * which a sweeping thread does not have.
     */
    @ActivateRequestContext
    public Optional<ScheduleRuns.Page> sweepNextPage(String sweeper) {
        Optional<ScheduleRuns.Page> swept;
        ScheduleRuns.Page[] claimed = new ScheduleRuns.Page[1];
        try {
            swept = QuarkusTransaction.requiringNew().call(() -> {
                Optional<ScheduleRuns.Page> page = runs.claim();
                page.ifPresent(found -> {
                    claimed[0] = found;
                    try (LogContext context = LogContext.ofFiring(found.firingId())) {
                        sweep(found, sweeper);
                    }
                });
                return page;
            });
        } catch (RuntimeException e) {
            if (claimed[0] == null || TransientFailures.classify(e).isPresent()) {
                // The database is away or busy: the page was not done and comes up again.
                throw e;
            }
            ScheduleRuns.Page page = claimed[0];
            boolean givenUp = runs.failed(page, sweeper, String.valueOf(e.getMessage()), clock.instant());
            PAGES_FAILED.increment();
            try (LogContext context = LogContext.ofFiring(page.firingId())) {
                LOG.errorf(
                        e,
                        "page %d of firing %s failed%s",
                        page.number(),
                        page.firingId(),
                        givenUp
                                ? " for the last time: its accounts are not swept in this firing"
                                : "; it is swept again");
            }
            swept = Optional.of(page);
        }
        if (swept.isPresent()) {
            Instant now = clock.instant();
            if (runs.finishIfDone(swept.get().firingId(), now)) {
                finished(swept.get().firingId(), now);
            }
        } else {
            // An instance that died between its firing's last page and ending the firing left it to the others.
            Instant now = clock.instant();
            runs.finishAllDone(now).forEach(firingId -> finished(firingId, now));
        }
        return swept;
    }

    /** kizuna_firings_seconds: each firing, from its start to its last page; kizuna_firing_pages_failed_total. */
    private static final Timer FIRINGS = Timer.builder("kizuna.firings")
            .description("firings of scheduled rules, from their start until their last page was swept")
            .register(Metrics.globalRegistry);

    private static final Counter PAGES_FAILED = Counter.builder("kizuna.firing.pages.failed")
            .description("pages of firings that failed when swept (each is swept again, up to three times)")
            .register(Metrics.globalRegistry);

    private void finished(String firingId, Instant at) {
        runs.startedAt(firingId)
                .ifPresent(
                        started -> FIRINGS.record(Duration.between(started, at).abs()));
        try (LogContext context = LogContext.ofFiring(firingId)) {
            LOG.infof("firing %s finished", firingId);
        }
    }

    /**
     * A page as a set: its accounts and members read with a few queries, the profiles that
     * changed stored with a statement per table, and the decisions of all its accounts made
     * together, the message history read once for them.
     */
    private void sweep(ScheduleRuns.Page page, String sweeper) {
        // A sweep changes nothing through the persistence context (profiles and decisions are
        // written with SQL), so what it loads is read-only: no copies kept for dirty checking.
        Session session = Panache.getEntityManager().unwrap(Session.class);
        session.setDefaultReadOnly(true);
        List<Rule> rules = rulesOf(page.firingId());
        var cause = new Evaluation.Cause("schedule", page.firingId(), null, Map.of());
        List<String> accountIds = runs.accountsOf(page);
        Map<String, AccountSnapshot> snapshots = accounts.accounts(accountIds);
        // Once in snapshots the rows are not needed, and every query of the page would walk them
        // in Hibernate's flush before it: the persistence context holds nothing else yet.
        forgetLoaded(session);
        Map<String, AccountProfiles.Recomputed> recomputed = profiles.recomputeAll(snapshots.values(), clock.instant());
        // Every account of the page is recomputed, as time alone changes its profile; its members
        // are read only if a rule may concern them: a rule of the firing has it in its audience
        // as recomputed, or it entered or left a segment.
        Map<String, UserSnapshot> members = accounts.users(recomputed.values().stream()
                .filter(account -> mayConcern(rules, account))
                .flatMap(account -> account.account().userIds().stream())
                .distinct()
                .toList());
        forgetLoaded(session);
        List<Decider.Occasion> occasions = new ArrayList<>();
        for (String accountId : accountIds) {
            AccountProfiles.Recomputed account = recomputed.get(accountId);
            if (account != null) {
                occasions.addAll(decider.sweptAccount(
                        account.account(), account.segments(), page.firingId(), rules, cause, members));
            }
        }
        int queued = decider.decideAll(occasions).emailsQueued();
        runs.done(page, sweeper, accountIds.size(), queued, clock.instant());
    }

    /** Empties the persistence context; a flush first, though nothing in a sweep should be pending there. */
    private static void forgetLoaded(Session session) {
        session.flush();
        session.clear();
    }

    private static boolean mayConcern(List<Rule> rules, AccountProfiles.Recomputed account) {
        if (!account.segments().entered().isEmpty()
                || !account.segments().left().isEmpty()) {
            return true;
        }
        return rules.stream().anyMatch(rule -> RuleEngine.admits(rule, account.account()));
    }

    /** The firing's rules that are still in force and scheduled: a rule changed meanwhile is decided as it is now. */
    private List<Rule> rulesOf(String firingId) {
        List<Rule> rules = new ArrayList<>();
        for (String ruleId : runs.rulesOf(firingId)) {
            Optional<Rule> rule = catalog.find(ruleId);
            if (rule.isPresent() && rule.get().triggerKind() == Rule.TriggerKind.SCHEDULE) {
                rules.add(rule.get());
            }
        }
        return rules;
    }

    /**
     * Evaluates every due clock of "after" and inactivity rules, a claimed set per transaction,
     * then the due steps of sequences ({@link SequenceSteps}). A set that fails is taken again
     * clock by clock, so that one clock that fails whatever the timing does not hold up the
     * others. Returns how many clocks were handled.
     */
    public int runDueTimers() {
        int clocks = runDueClocks();
        sequenceSteps.runDue();
        return clocks;
    }

    private int runDueClocks() {
        int handled = 0;
        List<TriggerTimers.DueTimer> due;
        do {
            due = timers.claimDue(clock.instant(), TIMER_BATCH, rulesConfig.timerClaim());
            List<TriggerTimers.DueTimer> set = due;
            try {
                QuarkusTransaction.requiringNew().run(() -> fireTimers(set));
            } catch (RuntimeException e) {
                if (TransientFailures.classify(e).isPresent()) {
                    // The database is away or busy: the claims expire and the set comes due again.
                    throw e;
                }
                LOG.warnf(
                        "a set of %d due clocks failed as a whole (%s); taking them one by one",
                        set.size(), e.getMessage());
                for (TriggerTimers.DueTimer timer : set) {
                    try {
                        QuarkusTransaction.requiringNew().run(() -> fireTimers(List.of(timer)));
                    } catch (RuntimeException failed) {
                        // Left claimed: it comes due again once the claim expires.
                        LOG.errorf(failed, "the clock of rule %s for user %s failed", timer.ruleId(), timer.userId());
                    }
                }
            }
            handled += due.size();
        } while (due.size() == TIMER_BATCH);
        return handled;
    }

    /**
     * Fires a set of clocks together: they leave the table with one statement, their users and
     * accounts are read together, each account's profile is recomputed once, and the rules still
     * due are decided as one set, in the order the clocks came due.
     */
    private void fireTimers(List<TriggerTimers.DueTimer> set) {
        if (set.isEmpty()) {
            return;
        }
        timers.finishAll(set);
        Instant now = clock.instant();
        Map<String, UserSnapshot> users = accounts.users(
                set.stream().map(TriggerTimers.DueTimer::userId).distinct().toList());
        Map<String, String> firstCause = new LinkedHashMap<>();
        for (TriggerTimers.DueTimer timer : set) {
            if (!timer.accountId().isEmpty()) {
                firstCause.putIfAbsent(timer.accountId(), timer.causeRef());
            }
        }
        Map<String, AccountSnapshot> recomputed = decider.profilesNow(firstCause, now);
        List<Decider.Occasion> occasions = new ArrayList<>();
        for (TriggerTimers.DueTimer timer : set) {
            Optional<Rule> rule = catalog.find(timer.ruleId());
            UserSnapshot user = users.get(timer.userId());
            if (rule.isEmpty() || user == null) {
                continue;
            }
            AccountSnapshot account = timer.accountId().isEmpty() ? null : recomputed.get(timer.accountId());
            Rule timed = rule.get();
            String reason = stillDue(timed, timer, account, user, now);
            if (reason != null) {
                LOG.debugf("timer of rule %s for user %s dropped: %s", timed.id(), timer.userId(), reason);
                continue;
            }
            String type = timed.triggerKind() == Rule.TriggerKind.AFTER ? "after" : "inactivity";
            occasions.add(new Decider.Occasion(
                    List.of(timed),
                    new Evaluation.Recipient(account, user),
                    new Evaluation.Cause(type, timer.causeRef(), timed.watchedEvent(), Map.of())));
        }
        decider.decideAll(occasions);
    }

    /** Null if the clock should fire; else why not ("unless" happened, or the user was active again). */
    private static String stillDue(
            Rule rule, TriggerTimers.DueTimer timer, AccountSnapshot account, UserSnapshot user, Instant now) {
        if (rule.triggerKind() == Rule.TriggerKind.AFTER) {
            String unless = rule.definition().trigger().after().unless();
            if (unless == null) {
                return null;
            }
            Map<String, EventStats> events = account != null ? account.events() : user.events();
            EventStats stats = events.getOrDefault(unless, EventStats.NEVER);
            return stats.lastAt() != null && !stats.lastAt().isBefore(timer.causedAt())
                    ? "'" + unless + "' happened"
                    : null;
        }
        EventStats watched = user.events().getOrDefault(rule.watchedEvent(), EventStats.NEVER);
        if (watched.lastAt() != null
                && watched.lastAt().plus(rule.timing().idleFor()).isAfter(now)) {
            return "'" + rule.watchedEvent() + "' happened again";
        }
        return null;
    }
}
