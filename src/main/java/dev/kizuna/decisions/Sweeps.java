package dev.kizuna.decisions;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountDirectory;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.EventStats;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.common.TransientFailures;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.messages.MessageHistory;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.TriggerTimers;
import dev.kizuna.segments.AccountProfiles;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The work behind time-driven triggers: a scheduled rule sweeps every account in pages; due
 * clocks of "after" and inactivity rules are claimed and evaluated. Each page or clock commits on
 * its own, so a crash loses at most the page in hand, which the next run redoes (limits make a
 * second decision impossible).
 */
@ApplicationScoped
public class Sweeps {

    private static final Logger LOG = Logger.getLogger(Sweeps.class);
    private static final int PAGE = 500;
    private static final int TIMER_BATCH = 200;

    private final RuleCatalog catalog;
    private final AccountDirectory directory;
    private final AccountSnapshots accounts;
    private final AccountProfiles profiles;
    private final TriggerTimers timers;
    private final Decider decider;
    private final Clock clock;
    private final MessageHistory history;
    private final ScheduleRuns runs;

    Sweeps(RuleCatalog catalog, AccountDirectory directory, AccountSnapshots accounts, AccountProfiles profiles, TriggerTimers timers,
            Decider decider, Clock clock, MessageHistory history, ScheduleRuns runs) {
        this.history = history;
        this.runs = runs;
        this.catalog = catalog;
        this.directory = directory;
        this.accounts = accounts;
        this.profiles = profiles;
        this.timers = timers;
        this.decider = decider;
        this.clock = clock;
    }

    /** One firing of a scheduled rule: every account, in pages by id. Returns the number of accounts looked at. */
    public int runSchedule(String ruleId, String firingId) {
        Optional<Rule> found = catalog.find(ruleId);
        if (found.isEmpty() || found.get().triggerKind() != Rule.TriggerKind.SCHEDULE) {
            LOG.infof("schedule of rule %s fired but the rule is gone or no longer scheduled", ruleId);
            return 0;
        }
        Rule rule = found.get();
        var cause = new Evaluation.Cause("schedule", firingId, null, Map.of());
        // A firing re-run after its instance died (Quartz recovery) skips the accounts it already decided for.
        Set<String> done = QuarkusTransaction.requiringNew().call(() -> history.accountsWithCause(ruleId, firingId));
        LOG.infof("schedule of rule %s (%s) starts%s", ruleId, firingId,
                done.isEmpty() ? "" : ", again: " + done.size() + " accounts were done before");
        runs.started(firingId, ruleId, clock.instant());
        int accountsSeen = 0;
        int emails = 0;
        String after = null;
        while (true) {
            List<String> page = directory.accountIdsAfter(after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            emails += QuarkusTransaction.requiringNew().call(() -> {
                EntityManager em = Panache.getEntityManager();
                List<String> todo = page.stream().filter(accountId -> !done.contains(accountId)).toList();
                // The page's accounts and their members are read together: a few queries, not a few per account.
                Map<String, AccountSnapshot> snapshots = accounts.accounts(todo);
                Map<String, UserSnapshot> members = accounts.users(
                        snapshots.values().stream().flatMap(account -> account.userIds().stream()).distinct().toList());
                int queued = 0;
                for (String accountId : todo) {
                    AccountSnapshot snapshot = snapshots.get(accountId);
                    if (snapshot == null) {
                        continue;
                    }
                    // Time alone changes segments, health and lifecycle: the sweep recomputes, and segment triggers fire.
                    AccountProfiles.Recomputed recomputed = profiles.recompute(snapshot, clock.instant());
                    queued += decider.segmentsChanged(recomputed.account(), recomputed.segments(), firingId).emailsQueued();
                    queued += decider.forMembers(List.of(rule), recomputed.account(), cause, members).emailsQueued();
                    // Native queries flush and dirty-check every managed entity; a page's accounts
                    // kept managed would make the page quadratic in its size.
                    em.flush();
                    em.clear();
                }
                runs.progressed(firingId, todo.size(), queued);
                return queued;
            });
            accountsSeen += page.size();
            after = page.get(page.size() - 1);
        }
        runs.finished(firingId, clock.instant());
        LOG.infof("schedule of rule %s (%s): %d accounts, %d emails queued", ruleId, firingId, accountsSeen, emails);
        return accountsSeen;
    }

    /**
     * Evaluates every due clock of "after" and inactivity rules, a claimed set per transaction.
     * A set that fails is taken again clock by clock, so that one clock that fails whatever
     * the timing does not hold up the others. Returns how many were handled.
     */
    public int runDueTimers() {
        int handled = 0;
        List<TriggerTimers.DueTimer> due;
        do {
            due = timers.claimDue(clock.instant(), TIMER_BATCH, Duration.ofMinutes(5));
            List<TriggerTimers.DueTimer> set = due;
            try {
                QuarkusTransaction.requiringNew().run(() -> fireTimers(set));
            } catch (RuntimeException e) {
                if (TransientFailures.classify(e).isPresent()) {
                    // The database is away or busy: the claims expire and the set comes due again.
                    throw e;
                }
                LOG.warnf("a set of %d due clocks failed as a whole (%s); taking them one by one", set.size(), e.getMessage());
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
        Map<String, UserSnapshot> users = accounts.users(set.stream().map(TriggerTimers.DueTimer::userId).distinct().toList());
        Map<String, AccountSnapshot> recomputed = new HashMap<>();
        Map<String, String> firstCause = new LinkedHashMap<>();
        for (TriggerTimers.DueTimer timer : set) {
            if (!timer.accountId().isEmpty()) {
                firstCause.putIfAbsent(timer.accountId(), timer.causeRef());
            }
        }
        accounts.accounts(firstCause.keySet()).forEach((accountId, snapshot) -> {
            AccountProfiles.Recomputed account = profiles.recompute(snapshot, now);
            recomputed.put(accountId, account.account());
            decider.segmentsChanged(account.account(), account.segments(), firstCause.get(accountId));
        });
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
            occasions.add(new Decider.Occasion(List.of(timed), new Evaluation.Recipient(account, user),
                    new Evaluation.Cause(type, timer.causeRef(), timed.watchedEvent(), Map.of())));
        }
        decider.decideAll(occasions);
    }

    /** Null if the clock should fire; else why not ("unless" happened, or the user was active again). */
    private static String stillDue(Rule rule, TriggerTimers.DueTimer timer, AccountSnapshot account, UserSnapshot user, Instant now) {
        if (rule.triggerKind() == Rule.TriggerKind.AFTER) {
            String unless = rule.definition().trigger().after().unless();
            if (unless == null) {
                return null;
            }
            Map<String, EventStats> events = account != null ? account.events() : user.events();
            EventStats stats = events.getOrDefault(unless, EventStats.NEVER);
            return stats.lastAt() != null && !stats.lastAt().isBefore(timer.causedAt()) ? "'" + unless + "' happened" : null;
        }
        EventStats watched = user.events().getOrDefault(rule.watchedEvent(), EventStats.NEVER);
        if (watched.lastAt() != null && watched.lastAt().plus(rule.timing().idleFor()).isAfter(now)) {
            return "'" + rule.watchedEvent() + "' happened again";
        }
        return null;
    }
}
