package dev.kizuna.ingest;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.AccountWriter;
import dev.kizuna.accounts.ContactDetails;
import dev.kizuna.accounts.EventCounters;
import dev.kizuna.accounts.Identities;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.common.TransientFailures;
import dev.kizuna.decisions.Decider;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.TriggerTimers;
import dev.kizuna.segments.AccountProfiles;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The path of every call, in one place: store the raw call (once per messageId), update account
 * and user state, recompute the account's segments, activation and health, start the clocks of
 * timed rules, let the rules decide, and record each decision with its email in the outbox or
 * its nudge in the inbox, all in one transaction. Email is sent after the commit.
 */
@ApplicationScoped
public class IngestPipeline {

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

    IngestPipeline(EventLog events, AccountWriter accounts, Identities identities, EventCounters counters, AccountSnapshots snapshots,
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

    /** What a request led to. */
    public record Outcome(int accepted, int duplicates, int decisions, int emailsQueued) {

        static final Outcome NOTHING = new Outcome(1, 0, 0, 0);

        Outcome plus(Outcome other) {
            return new Outcome(accepted + other.accepted, duplicates + other.duplicates, decisions + other.decisions,
                    emailsQueued + other.emailsQueued);
        }
    }

    /**
     * Processes the calls of one request in one transaction: all of them take effect, or none.
     * Returns only after the commit, so an acknowledged call is durable. Before any call is
     * applied, the messageIds are claimed and every account and user the calls change is locked,
     * each in a fixed order, so that concurrent requests sharing accounts do not deadlock; a
     * deadlock that happens all the same (a membership or alias added meanwhile) is retried.
     */
    public Outcome accept(List<SegmentCall> calls) {
        return TransientFailures.retry(() -> QuarkusTransaction.requiringNew().call(() -> {
            List<SegmentCall> fresh = firstTimeCalls(calls);
            lockWhatChanges(fresh);
            Outcome total = new Outcome(0, calls.size() - fresh.size(), 0, 0);
            EntityManager em = Panache.getEntityManager();
            for (SegmentCall call : fresh) {
                total = total.plus(process(call));
                // Each native query flushes and dirty-checks every managed entity: keeping a batch's
                // entities managed would make a batch quadratic in its size. A call needs none of
                // the previous calls' entities.
                em.flush();
                em.clear();
            }
            return total;
        }));
    }

    /** The calls whose messageId this request is the first to bring, each once, in the request's order. */
    private List<SegmentCall> firstTimeCalls(List<SegmentCall> calls) {
        Set<String> claimed = events.claim(calls);
        List<SegmentCall> fresh = new ArrayList<>();
        for (SegmentCall call : calls) {
            if (claimed.remove(call.messageId())) {
                fresh.add(call);
            }
        }
        return fresh;
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

    private Outcome process(SegmentCall call) {
        // Calls under an aliased id count for the user it was aliased to.
        String userId = identities.resolveUser(call.userId());
        if (userId == null && call.anonymousId() != null) {
            String resolved = identities.resolveUser(call.anonymousId());
            userId = resolved.equals(call.anonymousId()) ? null : resolved;
        }
        events.append(call, userId);
        return switch (call.type()) {
            case IDENTIFY -> {
                if (userId != null) {
                    accounts.identify(userId, call.traits(), contactOf(call), call.timestamp());
                }
                yield Outcome.NOTHING;
            }
            case GROUP -> {
                accounts.group(userId, call.groupId(), call.traits(), call.timestamp());
                Decider.Decided decided = recomputeProfile(call.groupId(), call.messageId()).decided();
                yield new Outcome(1, 0, decided.fired(), decided.emailsQueued());
            }
            case ALIAS -> {
                identities.alias(call.previousId(), call.userId(), call.timestamp());
                yield Outcome.NOTHING;
            }
            case TRACK, PAGE, SCREEN -> track(call, userId);
        };
    }

    private Outcome track(SegmentCall call, String userId) {
        List<String> accountIds = identities.accountsFor(userId, call.groupId());
        counters.recordEvent(userId, accountIds, call.event(), call.timestamp());
        Decider.Decided decided = Decider.Decided.NONE;
        AccountSnapshot account = null;
        for (String accountId : accountIds) {
            var recomputed = recomputeProfile(accountId, call.messageId());
            decided = decided.plus(recomputed.decided());
            if (account == null) {
                account = recomputed.account();
            }
        }
        if (userId == null) {
            return new Outcome(1, 0, decided.fired(), decided.emailsQueued());
        }
        UserSnapshot user = snapshots.user(userId).orElseThrow();
        for (Rule timed : rules.timedFrom(call.event())) {
            timers.eventHappened(timed, account == null ? "" : account.id(), userId, call.messageId(), call.timestamp());
        }
        var cause = Evaluation.Cause.event(call.messageId(), call.event(), call.properties());
        decided = decided.plus(decider.decide(rules.triggeredBy(call.event()), new Evaluation.Recipient(account, user), cause));
        return new Outcome(1, 0, decided.fired(), decided.emailsQueued());
    }

    /** An account changed: recompute its segments, activation and health, and fire segment triggers. */
    private Recomputed recomputeProfile(String accountId, String causeRef) {
        var recomputed = profiles.recompute(accountId, clock.instant()).orElseThrow();
        Decider.Decided decided = decider.segmentsChanged(recomputed.account(), recomputed.segments(), causeRef);
        return new Recomputed(recomputed.account(), decided);
    }

    private record Recomputed(AccountSnapshot account, Decider.Decided decided) {}

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
