package dev.kizuna.decisions;

import dev.kizuna.delivery.Outbox;
import dev.kizuna.delivery.inapp.NudgeInbox;
import dev.kizuna.messages.MessageRow;
import dev.kizuna.messages.NewMessage;
import dev.kizuna.messages.RecipientsHistory;
import dev.kizuna.tracking.EmailPermission;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The decisions made together for a set of recipients, gathered to be written with a statement
 * per table: their messages, the emails they queue and the nudges they deliver. What the
 * decisions read (message history, suppressions, subscriptions) is read once for the set and
 * kept current in memory, so each decision sees those made before it in the set.
 */
final class DecisionSet {

    /** Ids are reserved ahead for at most this many decisions at a time. */
    private static final int MAX_IDS_AHEAD = 1_000;

    private final Instant now;
    private final RecipientsHistory history;
    private final Supplier<EmailPermission.Recipients> permissionsReader;
    private final IntFunction<List<Long>> idReserver;
    private final Deque<Long> ids = new ArrayDeque<>();
    private final List<MessageRow> messages = new ArrayList<>();
    private final List<Outbox.Entry> emails = new ArrayList<>();
    private final List<NudgeInbox.Delivery> nudges = new ArrayList<>();
    private final List<SequenceEntries.NewEntry> entries = new ArrayList<>();
    private EmailPermission.Recipients permissions;

    DecisionSet(
            Instant now,
            RecipientsHistory history,
            Supplier<EmailPermission.Recipients> permissionsReader,
            IntFunction<List<Long>> idReserver) {
        this.now = now;
        this.history = history;
        this.permissionsReader = permissionsReader;
        this.idReserver = idReserver;
    }

    Instant now() {
        return now;
    }

    RecipientsHistory history() {
        return history;
    }

    /** The recipients' suppressions and subscriptions, read when the first email of the set asks. */
    EmailPermission.Recipients permissions() {
        if (permissions == null) {
            permissions = permissionsReader.get();
        }
        return permissions;
    }

    /** Makes sure {@code needed} ids are at hand, reserving up to {@code mayNeed} in one query when they are not. */
    void reserveIds(int needed, int mayNeed) {
        if (ids.size() < needed) {
            ids.addAll(idReserver.apply(Math.max(needed - ids.size(), Math.min(mayNeed, MAX_IDS_AHEAD))));
        }
    }

    /** The id of the next message, taken before its content is made (an email's links carry it). */
    long nextId() {
        if (ids.isEmpty()) {
            reserveIds(1, 1);
        }
        return ids.removeFirst();
    }

    /** A decision of the set: later decisions of the set see it in the history. */
    void add(long id, NewMessage message, String variant) {
        messages.add(new MessageRow(id, now, message, variant));
        history.remember(message, now);
    }

    void queueEmail(long messageId, Instant sendAt) {
        emails.add(new Outbox.Entry(messageId, sendAt));
    }

    void deliverNudge(NudgeInbox.Delivery nudge) {
        nudges.add(nudge);
    }

    /** A recipient entered a sequence: written with the set's messages. */
    void enterSequence(SequenceEntries.NewEntry entry) {
        entries.add(entry);
    }

    List<SequenceEntries.NewEntry> sequenceEntries() {
        return entries;
    }

    List<MessageRow> messages() {
        return messages;
    }

    List<Outbox.Entry> emails() {
        return emails;
    }

    List<NudgeInbox.Delivery> nudges() {
        return nudges;
    }
}
