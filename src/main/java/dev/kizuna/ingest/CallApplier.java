package dev.kizuna.ingest;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.AccountWriter;
import dev.kizuna.accounts.ContactDetails;
import dev.kizuna.accounts.EventCounters;
import dev.kizuna.accounts.GoalActivity;
import dev.kizuna.accounts.Identities;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.decisions.Decider;
import dev.kizuna.messages.EngagementEvent;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.TriggerTimers;
import dev.kizuna.segments.AccountProfiles;
import dev.kizuna.tracking.ConsentEvent;
import dev.kizuna.tracking.Consents;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a processed call does, in one place: store the raw call, update account and user state
 * (subscription events included), recompute the account's segments, activation and health, start
 * the clocks of timed rules, let the rules decide, and record each decision with its email in the
 * outbox or its nudge in the inbox, all in the processor's transaction. Email is sent after the commit.
 */
@ApplicationScoped
public class CallApplier {

    private final EventLog events;
    private final AccountWriter accounts;
    private final Identities identities;
    private final EventCounters counters;
    private final AccountSnapshots snapshots;
    private final AccountProfiles profiles;
    private final RuleCatalog rules;
    private final TriggerTimers timers;
    private final Decider decider;
    private final GoalActivity goalActivity;
    private final Consents consents;
    private final Clock clock;

    CallApplier(
            EventLog events,
            AccountWriter accounts,
            Identities identities,
            EventCounters counters,
            AccountSnapshots snapshots,
            AccountProfiles profiles,
            RuleCatalog rules,
            TriggerTimers timers,
            Decider decider,
            GoalActivity goalActivity,
            Consents consents,
            Clock clock) {
        this.consents = consents;
        this.events = events;
        this.accounts = accounts;
        this.identities = identities;
        this.counters = counters;
        this.snapshots = snapshots;
        this.profiles = profiles;
        this.rules = rules;
        this.timers = timers;
        this.decider = decider;
        this.goalActivity = goalActivity;
        this.clock = clock;
    }

    /**
     * Applies the calls, in their order, in the caller's transaction. Before any call is applied,
     * every account and user the calls change is locked, in a fixed order, so that concurrent
     * writers (sweeps, erasure, another processor) sharing accounts do not deadlock; a deadlock
     * that happens all the same (a membership or alias added meanwhile) rolls back the whole
     * transaction, to be retried.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void apply(List<SegmentCall> allCalls) {
        // Read before the locks, so that nothing is created for a vanished user; again under them, for an erasure under
        // way.
        List<SegmentCall> calls = withoutEngagementOfVanishedUsers(allCalls, false);
        lockWhatChanges(calls);
        calls = withoutEngagementOfVanishedUsers(calls, true);
        List<SegmentCall> run = new ArrayList<>();
        for (SegmentCall call : calls) {
            if (call.type() == CallType.TRACK || call.type() == CallType.PAGE || call.type() == CallType.SCREEN) {
                run.add(call);
                continue;
            }
            // Whatever was tracked so far is applied first: this call may change who is who.
            applyTracked(run);
            run.clear();
            process(call);
            flushAndForget();
        }
        applyTracked(run);
    }

    /**
     * The calls, less Kizuna's own calls about engagement of users who are no more: a message
     * outlives its erased recipient (for the statistics), and a late click, send or conversion of
     * it must not bring the user back. {@code locking}: the users are locked, as erasure locks
     * them, so that an erasure in progress is waited for, and one that comes later removes these
     * events with the rest.
     */
    private List<SegmentCall> withoutEngagementOfVanishedUsers(List<SegmentCall> calls, boolean locking) {
        Set<String> engagedUsers = new HashSet<>();
        for (SegmentCall call : calls) {
            if (isEngagement(call)) {
                engagedUsers.add(call.userId());
            }
        }
        if (engagedUsers.isEmpty()) {
            return calls;
        }
        Set<String> existing =
                locking ? identities.lockExistingUsers(engagedUsers) : identities.existingUsers(engagedUsers);
        return calls.stream()
                .filter(call -> !isEngagement(call) || existing.contains(call.userId()))
                .toList();
    }

    private static boolean isEngagement(SegmentCall call) {
        return call.type() == CallType.TRACK
                && call.userId() != null
                && call.event().startsWith(EngagementEvent.PREFIX);
    }

    /** A tracked call as a run applies it: the user it counts for, the accounts it counts for, and whether rules decide on it. */
    private record Tracked(SegmentCall call, String userId, List<String> accountIds, boolean decides) {

        /** The users and accounts whose state the call changes or its decisions read. */
        Stream<String> subjects() {
            return Stream.concat(
                    Stream.ofNullable(userId).map(id -> "user " + id),
                    accountIds.stream().map(id -> "account " + id));
        }
    }

    /**
     * A run of tracks, pages and screens: they change counts and profiles and may trigger rules,
     * but never who is who, so ids are resolved and memberships read once for the run. The run is
     * then applied in waves, each as a set (raw events, counts, profiles, decisions with a few
     * statements each). A call joins the earliest wave that keeps the order of calls as seen by
     * each user and account: after every earlier call on the same user or account, and, when an
     * earlier call on them is decided by rules, in a later wave than that call, so that the
     * decision sees the state as it was when its call came and not the calls after it.
     */
    private void applyTracked(List<SegmentCall> run) {
        if (run.isEmpty()) {
            return;
        }
        Set<String> ids = new HashSet<>();
        for (SegmentCall call : run) {
            Stream.of(call.userId(), call.anonymousId())
                    .filter(Objects::nonNull)
                    .forEach(ids::add);
        }
        Map<String, String> resolved = identities.resolveUsers(ids);
        Set<String> usersWithoutNamedAccount = new HashSet<>();
        List<String> userIds = new ArrayList<>(run.size());
        for (SegmentCall call : run) {
            String userId = resolvedUser(call, resolved);
            userIds.add(userId);
            if (userId != null && call.groupId() == null) {
                usersWithoutNamedAccount.add(userId);
            }
        }
        Map<String, List<String>> memberships = identities.memberships(usersWithoutNamedAccount);
        List<List<Tracked>> waves = new ArrayList<>();
        Map<String, Integer> earliestWave = new HashMap<>();
        for (int i = 0; i < run.size(); i++) {
            SegmentCall call = run.get(i);
            String userId = userIds.get(i);
            List<String> accountIds = call.groupId() != null
                    ? List.of(call.groupId())
                    : userId == null ? List.of() : memberships.getOrDefault(userId, List.of());
            boolean decides = userId != null
                    && (!rules.triggeredBy(call.event()).isEmpty()
                            || !rules.timedFrom(call.event()).isEmpty());
            Tracked tracked = new Tracked(call, userId, accountIds, decides);
            int wave = tracked.subjects()
                    .mapToInt(subject -> earliestWave.getOrDefault(subject, 0))
                    .max()
                    .orElse(0);
            if (wave == waves.size()) {
                waves.add(new ArrayList<>());
            }
            waves.get(wave).add(tracked);
            int next = decides ? wave + 1 : wave;
            tracked.subjects().forEach(subject -> earliestWave.merge(subject, next, Math::max));
        }
        waves.forEach(this::applyWave);
    }

    /**
     * Applies a wave of tracked calls as a set: raw events stored and counts added with a statement
     * or two each, the profile of each account they touched recomputed once (segment triggers
     * named after the last call that touched it), then the rules of the calls that trigger or time
     * any decided together.
     */
    private void applyWave(List<Tracked> wave) {
        List<SegmentCall> calls = wave.stream().map(Tracked::call).toList();
        List<EventCounters.Occurrence> occurrences = new ArrayList<>(wave.size());
        Map<String, String> lastCauseByAccount = new LinkedHashMap<>();
        for (Tracked tracked : wave) {
            occurrences.add(new EventCounters.Occurrence(
                    tracked.userId(),
                    tracked.accountIds(),
                    tracked.call().event(),
                    tracked.call().timestamp()));
            if (tracked.call().properties().get("rule") instanceof String rule) {
                EngagementEvent.named(tracked.call().event())
                        .ifPresent(engagement -> occurrences.add(new EventCounters.Occurrence(
                                tracked.userId(),
                                tracked.accountIds(),
                                engagement.ofRule(rule),
                                tracked.call().timestamp())));
            }
            tracked.accountIds()
                    .forEach(accountId ->
                            lastCauseByAccount.put(accountId, tracked.call().messageId()));
        }
        events.appendAll(calls, wave.stream().map(Tracked::userId).toList());
        counters.recordEvents(occurrences);
        List<String> revenueChanged = new ArrayList<>();
        for (Tracked tracked : wave) {
            SegmentCall call = tracked.call();
            // Consent is recorded before the wave's decisions, which may be of its category.
            if (ConsentEvent.named(call.event()) && tracked.userId() != null) {
                ConsentEvent.record(
                        consents,
                        tracked.userId(),
                        call.event(),
                        call.properties(),
                        call.timestamp(),
                        call.messageId());
            }
            // A subscription changes the account it names, or its user's only account.
            if (AccountWriter.SUBSCRIPTION_EVENTS.contains(tracked.call().event())
                    && tracked.accountIds().size() == 1) {
                accounts.subscriptionChanged(
                        tracked.accountIds().get(0),
                        tracked.call().event(),
                        tracked.call().properties(),
                        tracked.call().timestamp());
                revenueChanged.add(tracked.accountIds().get(0));
            }
        }
        Instant now = clock.instant();
        Set<String> goalEvents = rules.goalEvents();
        List<String> goalActive = new ArrayList<>(wave.stream()
                .filter(tracked -> goalEvents.contains(tracked.call().event()))
                .flatMap(tracked -> tracked.accountIds().stream())
                .toList());
        if (rules.judgesRevenue()) {
            goalActive.addAll(revenueChanged);
        }
        goalActivity.record(goalActive, now);
        // The accounts were locked before the calls were applied: their snapshots are current.
        Map<String, AccountProfiles.Recomputed> recomputed = profiles.recomputeAll(
                snapshots.accounts(lastCauseByAccount.keySet()).values(), now);
        Map<String, AccountSnapshot> accounts = new HashMap<>();
        lastCauseByAccount.forEach((accountId, cause) -> {
            AccountProfiles.Recomputed account = recomputed.get(accountId);
            if (account != null) {
                accounts.put(accountId, account.account());
                decider.segmentsChanged(account.account(), account.segments(), cause);
            }
        });
        List<Tracked> deciding = wave.stream().filter(Tracked::decides).toList();
        if (!deciding.isEmpty()) {
            Map<String, UserSnapshot> users =
                    snapshots.users(deciding.stream().map(Tracked::userId).toList());
            List<Decider.Occasion> occasions = new ArrayList<>(deciding.size());
            for (Tracked tracked : deciding) {
                SegmentCall call = tracked.call();
                // A user in several accounts is decided for as a member of the first.
                AccountSnapshot account = tracked.accountIds().isEmpty()
                        ? null
                        : accounts.get(tracked.accountIds().get(0));
                for (Rule timed : rules.timedFrom(call.event())) {
                    timers.eventHappened(
                            timed,
                            account == null ? "" : account.id(),
                            tracked.userId(),
                            call.messageId(),
                            call.timestamp());
                }
                occasions.add(new Decider.Occasion(
                        rules.triggeredBy(call.event()),
                        new Evaluation.Recipient(account, users.get(tracked.userId())),
                        Evaluation.Cause.event(call.messageId(), call.event(), call.properties())));
            }
            decider.decideAll(occasions);
        }
        flushAndForget();
    }

    /**
     * Each native query flushes and dirty-checks every managed entity: keeping a batch's entities
     * managed would make a batch quadratic in its size. A call needs none of the previous calls' entities.
     */
    private static void flushAndForget() {
        EntityManager em = Panache.getEntityManager();
        em.flush();
        em.clear();
    }

    /** The user a call counts for: its userId, or the user its anonymousId was aliased to, through aliases. */
    private static String resolvedUser(SegmentCall call, Map<String, String> resolved) {
        String userId = call.userId() == null ? null : resolved.get(call.userId());
        if (userId == null && call.anonymousId() != null) {
            String aliased = resolved.get(call.anonymousId());
            userId = aliased.equals(call.anonymousId()) ? null : aliased;
        }
        return userId;
    }

    /**
     * Locks the accounts and users the calls will change, as {@link #process} will find them
     * (a user that is only tracked is not changed, only counted: it is made if new, not locked):
     * ids resolved through aliases (including aliases made earlier in the same request), the
     * account a call names, else the accounts its user is in. Each is first seen at the time of
     * the first call that touches it, as it would be if created call by call.
     */
    private void lockWhatChanges(List<SegmentCall> calls) {
        Set<String> ids = new HashSet<>();
        for (SegmentCall call : calls) {
            Stream.of(call.userId(), call.anonymousId(), call.previousId())
                    .filter(Objects::nonNull)
                    .forEach(ids::add);
        }
        Map<String, String> resolved = new HashMap<>(identities.resolveUsers(ids));
        Map<String, Instant> touchedAccounts = new HashMap<>();
        Map<String, Instant> touchedUsers = new HashMap<>();
        Set<String> changedUsers = new HashSet<>();
        Map<String, Instant> usersWithoutNamedAccount = new HashMap<>();
        for (SegmentCall call : calls) {
            if (call.type() == CallType.ALIAS) {
                // An alias that exists already is kept (on conflict do nothing).
                boolean unaliased = resolved.get(call.previousId()).equals(call.previousId());
                if (unaliased && !call.previousId().equals(call.userId())) {
                    resolved.put(call.previousId(), resolved.get(call.userId()));
                }
                continue;
            }
            String userId = call.userId() == null ? null : resolved.get(call.userId());
            if (userId == null && call.anonymousId() != null) {
                String aliased = resolved.get(call.anonymousId());
                userId = aliased.equals(call.anonymousId()) ? null : aliased;
            }
            if (userId != null && !isEngagement(call)) {
                // Engagement is of users who exist, or were erased and must stay so: never inserted.
                touchedUsers.putIfAbsent(userId, call.timestamp());
                if (call.type() == CallType.IDENTIFY || call.type() == CallType.GROUP) {
                    changedUsers.add(userId);
                }
            }
            if (call.groupId() != null && call.type() != CallType.IDENTIFY) {
                touchedAccounts.putIfAbsent(call.groupId(), call.timestamp());
            } else if (userId != null && call.type() != CallType.IDENTIFY) {
                usersWithoutNamedAccount.putIfAbsent(userId, call.timestamp());
            }
        }
        identities
                .memberships(usersWithoutNamedAccount.keySet())
                .forEach((userId, accountIds) -> accountIds.forEach(
                        accountId -> touchedAccounts.putIfAbsent(accountId, usersWithoutNamedAccount.get(userId))));
        accounts.lockInOrder(touchedAccounts, touchedUsers, changedUsers);
    }

    /** An identify, group or alias call, on its own: it may change who is who, which the calls after it depend on. */
    private void process(SegmentCall call) {
        // Calls under an aliased id count for the user it was aliased to.
        String userId = identities.resolveUser(call.userId());
        if (userId == null && call.anonymousId() != null) {
            String resolved = identities.resolveUser(call.anonymousId());
            userId = resolved.equals(call.anonymousId()) ? null : resolved;
        }
        events.append(call, userId);
        switch (call.type()) {
            case IDENTIFY -> {
                if (userId != null) {
                    accounts.identify(userId, call.traits(), contactOf(call), call.timestamp());
                }
            }
            case GROUP -> {
                accounts.group(userId, call.groupId(), call.traits(), call.timestamp());
                if (rules.judgesRevenue() && AccountWriter.statesRevenue(call.traits())) {
                    goalActivity.record(List.of(call.groupId()), clock.instant());
                }
                recomputeProfile(call.groupId(), call.messageId());
            }
            case ALIAS -> identities.alias(call.previousId(), call.userId(), call.timestamp());
            case TRACK, PAGE, SCREEN ->
                throw new IllegalStateException("tracked calls are applied in runs, not one by one");
        }
    }

    /** An account changed: recompute its segments, activation and health, and fire segment triggers. */
    private void recomputeProfile(String accountId, String causeRef) {
        var recomputed = profiles.recompute(accountId, clock.instant()).orElseThrow();
        decider.segmentsChanged(recomputed.account(), recomputed.segments(), causeRef);
    }

    /** Segment puts contact details in traits, and locale and timezone in context. */
    private static ContactDetails contactOf(SegmentCall call) {
        Map<String, Object> traits = call.traits();
        String name = stringOf(traits.get("name"));
        if (name == null && (stringOf(traits.get("firstName")) != null || stringOf(traits.get("lastName")) != null)) {
            name = (Objects.toString(stringOf(traits.get("firstName")), "") + " "
                            + Objects.toString(stringOf(traits.get("lastName")), ""))
                    .strip();
        }
        String locale = stringOf(traits.get("locale"));
        if (locale == null) {
            locale = stringOf(call.context().get("locale"));
        }
        String timezone = stringOf(traits.get("timezone"));
        if (timezone == null) {
            timezone = stringOf(call.context().get("timezone"));
        }
        return new ContactDetails(stringOf(traits.get("email")), name, locale, timezone);
    }

    private static String stringOf(Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }
}
