package dev.kizuna.privacy;

import dev.kizuna.accounts.AccountWriter;
import dev.kizuna.decisions.SequenceEntries;
import dev.kizuna.delivery.inapp.NudgeInbox;
import dev.kizuna.ingest.EventLog;
import dev.kizuna.messages.MessageRecorder;
import dev.kizuna.tracking.Consents;
import dev.kizuna.tracking.Subscriptions;
import dev.kizuna.tracking.SuppressionList;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;

/**
 * GDPR erasure of one user, in one transaction: their profile, memberships, counts, raw events,
 * nudges and places in sequences go; their messages stay for statistics without personal content; their address is
 * suppressed (as a hash) so it is never mailed again; the evidence of their consents stays with the
 * hash of the address instead of the user, until its retention ends.
 */
@ApplicationScoped
public class Erasure {

    private final AccountWriter accounts;
    private final EventLog events;
    private final MessageRecorder messages;
    private final NudgeInbox nudges;
    private final SuppressionList suppressions;
    private final Subscriptions subscriptions;
    private final SequenceEntries sequences;
    private final Consents consents;
    private final Clock clock;

    Erasure(
            AccountWriter accounts,
            EventLog events,
            MessageRecorder messages,
            NudgeInbox nudges,
            SuppressionList suppressions,
            Subscriptions subscriptions,
            SequenceEntries sequences,
            Consents consents,
            Clock clock) {
        this.consents = consents;
        this.clock = clock;
        this.sequences = sequences;
        this.accounts = accounts;
        this.events = events;
        this.messages = messages;
        this.nudges = nudges;
        this.suppressions = suppressions;
        this.subscriptions = subscriptions;
    }

    /** What an erasure removed. */
    public record Erased(
            String userId,
            boolean userFound,
            long events,
            long messagesRedacted,
            long nudges,
            boolean addressSuppressed,
            long consentRecordsKept) {}

    @Transactional
    public Erased erase(String userId) {
        AccountWriter.ErasedUser user = accounts.erase(userId);
        long erasedEvents = events.eraseUser(userId);
        long consentRecords = consents.eraseUser(userId, user.email(), clock.instant());
        long redacted = messages.redactUser(userId);
        long erasedNudges = nudges.eraseUser(userId);
        subscriptions.eraseUser(userId);
        sequences.eraseUser(userId);
        if (user.email() != null) {
            suppressions.suppress(user.email(), SuppressionList.ERASED);
        }
        return new Erased(
                userId, user.existed(), erasedEvents, redacted, erasedNudges, user.email() != null, consentRecords);
    }
}
