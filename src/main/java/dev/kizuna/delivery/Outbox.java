package dev.kizuna.delivery;

import dev.kizuna.common.MultiRowInsert;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Email waiting to be sent. An entry is written in the same transaction as the decision that
 * made it, and the sender is woken once that transaction commits; senders claim entries with a
 * conditional update, so no two take the same one, and a claim that outlives its sender (a killed
 * instance) expires and is taken over.
 */
@ApplicationScoped
public class Outbox {

    /** Identifies this instance's claims. */
    static final String SENDER = UUID.randomUUID().toString();

    /** Marks a transaction whose commit already wakes the sender. */
    private static final Object WAKE_AFTER_COMMIT = new Object();

    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;
    private final EmailSender sender;

    Outbox(Clock clock, TransactionSynchronizationRegistry transactions, EmailSender sender) {
        this.clock = clock;
        this.transactions = transactions;
        this.sender = sender;
    }

    /** An email to queue: its message, and when it may go. */
    public record Entry(long messageId, Instant sendAt) {}

    /** Queues several emails with one statement, for a set of decisions made together. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueueAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        MultiRowInsert.insert("outbox", List.of("message_id", "available_at"),
                entries.stream().map(entry -> new Object[] {entry.messageId(), entry.sendAt()}).toList());
        wakeSenderAfterCommit();
    }

    /**
     * The entry is invisible to the sender until the transaction commits, and gone if it rolls
     * back: the sender is woken after a commit only, once per transaction however many entries it
     * wrote.
     */
    private void wakeSenderAfterCommit() {
        if (transactions.getResource(WAKE_AFTER_COMMIT) != null) {
            return;
        }
        transactions.putResource(WAKE_AFTER_COMMIT, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    sender.wake();
                }
            }
        });
    }

    /** Claims up to {@code limit} due entries for this instance, for {@code claimFor}. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    List<Long> claimDue(int limit, Duration claimFor) {
        Instant now = Instant.now(clock);
        List<Long> candidates = OutboxEntry.<OutboxEntry>find(
                        "availableAt <= ?1 and (claimedUntil is null or claimedUntil < ?1) order by availableAt", now)
                .page(0, limit)
                .list()
                .stream()
                .map(entry -> entry.messageId)
                .toList();
        List<Long> claimed = new ArrayList<>();
        for (Long messageId : candidates) {
            int updated = Panache.getEntityManager()
                    .createNativeQuery("""
                            update outbox set claimed_until = ?1, claimed_by = ?2
                             where message_id = ?3 and (claimed_until is null or claimed_until < ?4)""")
                    .setParameter(1, Timestamp.from(now.plus(claimFor)))
                    .setParameter(2, SENDER)
                    .setParameter(3, messageId)
                    .setParameter(4, Timestamp.from(now))
                    .executeUpdate();
            if (updated == 1) {
                claimed.add(messageId);
            }
        }
        return claimed;
    }

    /**
     * Renews this instance's claim just before sending, so that a claim taken with a batch cannot
     * expire while earlier emails of the batch are sent; false if the claim was lost to another sender.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean renewClaim(long messageId, Duration claimFor) {
        Instant now = Instant.now(clock);
        return Panache.getEntityManager()
                .createNativeQuery("""
                        update outbox set claimed_until = ?1
                         where message_id = ?2 and claimed_by = ?3 and claimed_until >= ?4""")
                .setParameter(1, Timestamp.from(now.plus(claimFor)))
                .setParameter(2, messageId)
                .setParameter(3, SENDER)
                .setParameter(4, Timestamp.from(now))
                .executeUpdate() == 1;
    }

    /** The message is done with (sent or failed for good): it leaves the outbox. */
    @Transactional(Transactional.TxType.MANDATORY)
    void remove(long messageId) {
        OutboxEntry.deleteById(messageId);
    }

    /** The message failed for now: it becomes due again after the delay, for any sender. */
    @Transactional(Transactional.TxType.MANDATORY)
    void retryAfter(long messageId, Duration delay) {
        OutboxEntry entry = OutboxEntry.findById(messageId);
        if (entry != null) {
            entry.availableAt = Instant.now(clock).plus(delay);
            entry.claimedUntil = null;
            entry.claimedBy = null;
        }
    }
}
