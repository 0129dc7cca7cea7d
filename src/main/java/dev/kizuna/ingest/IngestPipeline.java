package dev.kizuna.ingest;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountState;
import dev.kizuna.accounts.ContactDetails;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.common.TransientFailures;
import dev.kizuna.decisions.Decider;
import dev.kizuna.delivery.EmailSender;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The path of every call, in one place: store the raw call (once per messageId), update account
 * and user state, recompute the account's segments, activation and health, start the clocks of
 * timed rules, let the rules decide, and record each decision with its email in the outbox or
 * its nudge in the inbox, all in one transaction. Email is sent after the commit.
 */
@ApplicationScoped
public class IngestPipeline {

    private final EventLog events;
    private final AccountState accounts;
    private final AccountProfiles profiles;
    private final RuleCatalog rules;
    private final TriggerTimers timers;
    private final Decider decider;
    private final EmailSender sender;
    private final Clock clock;

    IngestPipeline(EventLog events, AccountState accounts, AccountProfiles profiles, RuleCatalog rules, TriggerTimers timers,
            Decider decider, EmailSender sender, Clock clock) {
        this.events = events;
        this.accounts = accounts;
        this.profiles = profiles;
        this.rules = rules;
        this.timers = timers;
        this.decider = decider;
        this.sender = sender;
        this.clock = clock;
    }

    /** What a request led to. */
    public record Outcome(int accepted, int duplicates, int decisions, int emailsQueued) {

        static final Outcome DUPLICATE = new Outcome(0, 1, 0, 0);
        static final Outcome NOTHING = new Outcome(1, 0, 0, 0);

        Outcome plus(Outcome other) {
            return new Outcome(accepted + other.accepted, duplicates + other.duplicates, decisions + other.decisions,
                    emailsQueued + other.emailsQueued);
        }
    }

    /**
     * Processes the calls of one request in one transaction: all of them take effect, or none.
     * Returns only after the commit, so an acknowledged call is durable. A deadlock with a
     * concurrent request is retried.
     */
    public Outcome accept(List<SegmentCall> calls) {
        Outcome outcome = TransientFailures.retry(() -> QuarkusTransaction.requiringNew().call(() -> {
            Outcome total = new Outcome(0, 0, 0, 0);
            EntityManager em = Panache.getEntityManager();
            for (SegmentCall call : calls) {
                total = total.plus(process(call));
                // Each native query flushes and dirty-checks every managed entity: keeping a batch's
                // entities managed would make a batch quadratic in its size. A call needs none of
                // the previous calls' entities.
                em.flush();
                em.clear();
            }
            return total;
        }));
        if (outcome.emailsQueued() > 0) {
            sender.wake();
        }
        return outcome;
    }

    private Outcome process(SegmentCall call) {
        if (!events.firstTime(call)) {
            return Outcome.DUPLICATE;
        }
        // Calls under an aliased id count for the user it was aliased to.
        String userId = accounts.resolveUser(call.userId());
        if (userId == null && call.anonymousId() != null) {
            String resolved = accounts.resolveUser(call.anonymousId());
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
                accounts.alias(call.previousId(), call.userId(), call.timestamp());
                yield Outcome.NOTHING;
            }
            case TRACK, PAGE, SCREEN -> track(call, userId);
        };
    }

    private Outcome track(SegmentCall call, String userId) {
        List<String> accountIds = accounts.accountsFor(userId, call.groupId());
        accounts.recordEvent(userId, accountIds, call.event(), call.timestamp());
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
        UserSnapshot user = accounts.user(userId).orElseThrow();
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
