package dev.kizuna.ingest;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.AccountWriter;
import dev.kizuna.accounts.ContactDetails;
import dev.kizuna.accounts.EventCounters;
import dev.kizuna.accounts.Identities;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.decisions.Decider;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.TriggerTimers;
import dev.kizuna.segments.AccountProfiles;
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
 * What a processed call does, in one place: store the raw call, update account and user state,
 * recompute the account's segments, activation and health, start the clocks of timed rules, let
 * the rules decide, and record each decision with its email in the outbox or its nudge in the
 * inbox, all in the processor's transaction. Email is sent after the commit.
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
    private final Clock clock;

    CallApplier(EventLog events, AccountWriter accounts, Identities identities, EventCounters counters, AccountSnapshots snapshots,
            AccountProfiles profiles, RuleCatalog rules, TriggerTimers timers, Decider decider, Clock clock) {
        this.events = events;
        this.accounts = accounts;
        this.identities = identities;
        this.counters = counters;
        this.snapshots = snapshots;
        this.profiles = profiles;
        this.rules = rules;
        this.timers = timers;
        this.decider = decider;
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
    void apply(List<SegmentCall> calls) {
        lockWhatChanges(calls);
        List<SegmentCall> countedOnly = new ArrayList<>();
        for (SegmentCall call : calls) {
            if (onlyCounts(call)) {
                countedOnly.add(call);
                continue;
            }
            // Whatever was only counted so far is stored first: this call's rules read those counts.
            applyCounted(countedOnly);
            countedOnly.clear();
            process(call);
            flushAndForget();
        }
        applyCounted(countedOnly);
    }

    /**
     * A track, page or screen that no rule is triggered or timed by changes counts and, through
     * them, profiles only: a run of such calls is applied as a set. Any other call is applied on
     * its own, in order, after the run before it.
     */
    private boolean onlyCounts(SegmentCall call) {
        return (call.type() == CallType.TRACK || call.type() == CallType.PAGE || call.type() == CallType.SCREEN)
                && rules.triggeredBy(call.event()).isEmpty() && rules.timedFrom(call.event()).isEmpty();
    }

    /**
     * A run of calls that only count, applied together: ids resolved and memberships read once,
     * raw events stored and counts added with a statement or two each, then the profile of each
     * account they touched recomputed once (segment triggers named after the last call that touched it).
     */
    private void applyCounted(List<SegmentCall> calls) {
        if (calls.isEmpty()) {
            return;
        }
        Set<String> ids = new HashSet<>();
        for (SegmentCall call : calls) {
            Stream.of(call.userId(), call.anonymousId()).filter(Objects::nonNull).forEach(ids::add);
        }
        Map<String, String> resolved = identities.resolveUsers(ids);
        List<String> userIds = new ArrayList<>(calls.size());
        Set<String> usersWithoutNamedAccount = new HashSet<>();
        for (SegmentCall call : calls) {
            String userId = resolvedUser(call, resolved);
            userIds.add(userId);
            if (userId != null && call.groupId() == null) {
                usersWithoutNamedAccount.add(userId);
            }
        }
        Map<String, List<String>> memberships = identities.memberships(usersWithoutNamedAccount);
        List<EventCounters.Occurrence> occurrences = new ArrayList<>(calls.size());
        Map<String, String> lastCauseByAccount = new LinkedHashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            SegmentCall call = calls.get(i);
            String userId = userIds.get(i);
            List<String> accountIds = call.groupId() != null ? List.of(call.groupId())
                    : userId == null ? List.of() : memberships.getOrDefault(userId, List.of());
            occurrences.add(new EventCounters.Occurrence(userId, accountIds, call.event(), call.timestamp()));
            accountIds.forEach(accountId -> lastCauseByAccount.put(accountId, call.messageId()));
        }
        events.appendAll(calls, userIds);
        counters.recordEvents(occurrences);
        Instant now = clock.instant();
        Map<String, AccountSnapshot> accounts = snapshots.accounts(lastCauseByAccount.keySet());
        lastCauseByAccount.forEach((accountId, cause) -> {
            AccountSnapshot account = accounts.get(accountId);
            if (account != null) {
                var recomputed = profiles.recompute(account, now);
                decider.segmentsChanged(recomputed.account(), recomputed.segments(), cause);
            }
        });
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
     * Locks the accounts and users the calls will change, as {@link #process} will find them:
     * ids resolved through aliases (including aliases made earlier in the same request), the
     * account a call names, else the accounts its user is in. Each is first seen at the time of
     * the first call that touches it, as it would be if created call by call.
     */
    private void lockWhatChanges(List<SegmentCall> calls) {
        Set<String> ids = new HashSet<>();
        for (SegmentCall call : calls) {
            Stream.of(call.userId(), call.anonymousId(), call.previousId()).filter(Objects::nonNull).forEach(ids::add);
        }
        Map<String, String> resolved = new HashMap<>(identities.resolveUsers(ids));
        Map<String, Instant> touchedAccounts = new HashMap<>();
        Map<String, Instant> touchedUsers = new HashMap<>();
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
            if (userId != null) {
                touchedUsers.putIfAbsent(userId, call.timestamp());
            }
            if (call.groupId() != null && call.type() != CallType.IDENTIFY) {
                touchedAccounts.putIfAbsent(call.groupId(), call.timestamp());
            } else if (userId != null && call.type() != CallType.IDENTIFY) {
                usersWithoutNamedAccount.putIfAbsent(userId, call.timestamp());
            }
        }
        identities.memberships(usersWithoutNamedAccount.keySet()).forEach((userId, accountIds) ->
                accountIds.forEach(accountId -> touchedAccounts.putIfAbsent(accountId, usersWithoutNamedAccount.get(userId))));
        accounts.lockInOrder(touchedAccounts, touchedUsers);
    }

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
                recomputeProfile(call.groupId(), call.messageId());
            }
            case ALIAS -> identities.alias(call.previousId(), call.userId(), call.timestamp());
            case TRACK, PAGE, SCREEN -> track(call, userId);
        }
    }

    private void track(SegmentCall call, String userId) {
        List<String> accountIds = identities.accountsFor(userId, call.groupId());
        counters.recordEvents(List.of(new EventCounters.Occurrence(userId, accountIds, call.event(), call.timestamp())));
        AccountSnapshot account = null;
        for (String accountId : accountIds) {
            AccountSnapshot recomputed = recomputeProfile(accountId, call.messageId());
            if (account == null) {
                account = recomputed;
            }
        }
        if (userId == null) {
            return;
        }
        UserSnapshot user = snapshots.user(userId).orElseThrow();
        for (Rule timed : rules.timedFrom(call.event())) {
            timers.eventHappened(timed, account == null ? "" : account.id(), userId, call.messageId(), call.timestamp());
        }
        var cause = Evaluation.Cause.event(call.messageId(), call.event(), call.properties());
        decider.decide(rules.triggeredBy(call.event()), new Evaluation.Recipient(account, user), cause);
    }

    /** An account changed: recompute its segments, activation and health, and fire segment triggers. */
    private AccountSnapshot recomputeProfile(String accountId, String causeRef) {
        var recomputed = profiles.recompute(accountId, clock.instant()).orElseThrow();
        decider.segmentsChanged(recomputed.account(), recomputed.segments(), causeRef);
        return recomputed.account();
    }

    /** Segment puts contact details in traits, and locale and timezone in context. */
    private static ContactDetails contactOf(SegmentCall call) {
        Map<String, Object> traits = call.traits();
        String name = stringOf(traits.get("name"));
        if (name == null && (stringOf(traits.get("firstName")) != null || stringOf(traits.get("lastName")) != null)) {
            name = (Objects.toString(stringOf(traits.get("firstName")), "") + " " + Objects.toString(stringOf(traits.get("lastName")), "")).strip();
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
