package dev.kizuna.delivery;

import dev.kizuna.common.AfterCommit;
import dev.kizuna.common.MultiRowInsert;
import dev.kizuna.common.SqlTimes;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Email, and webhook and Slack posts, waiting to be sent. An entry is written in the same transaction as the decision that
 * made it, and the sender is woken once that transaction commits; senders claim sets of entries
 * with a conditional update, so no two take the same one, and a claim that outlives its sender (a
 * killed instance) expires and is taken over.
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
        MultiRowInsert.insert(
                "outbox",
                List.of("message_id", "available_at"),
                entries.stream()
                        .map(entry -> new Object[] {entry.messageId(), entry.sendAt()})
                        .toList());
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
        AfterCommit.run(transactions, sender::wake);
    }

    /** Entries due by now (counted up to {@link #BACKLOG_COUNTED}) and when the oldest of them came due; null when none is. */
    record Backlog(long due, Instant oldestDue) {}

    /** A health probe counts no further: beyond it, the age of the oldest says more than the number. */
    static final int BACKLOG_COUNTED = 100_000;

    /** In a transaction of its own: a health probe has none, nor a request context. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Backlog backlog(Instant now) {
        Number due = (Number) Panache.getEntityManager()
                .createNativeQuery("select count(*) from (select 1 from outbox where available_at <= ?1 fetch first "
                        + BACKLOG_COUNTED + " rows only) due")
                .setParameter(1, Timestamp.from(now))
                .getSingleResult();
        Object oldest = Panache.getEntityManager()
                .createNativeQuery("select min(available_at) from outbox where available_at <= ?1")
                .setParameter(1, Timestamp.from(now))
                .getSingleResult();
        return new Backlog(due.longValue(), SqlTimes.toInstant(oldest));
    }

    /**
     * Claims up to {@code limit} due entries, oldest first, for {@code claimFor}, with one update
     * for the set: each claim carries a token of its own, so that the entries this claim won
     * (another instance may have won some) are told apart from any other claim's.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    List<Long> claimDue(int limit, Duration claimFor) {
        Instant now = Instant.now(clock);
        List<Long> candidates = Panache.getEntityManager()
                .createNativeQuery("""
                        select message_id from outbox
                         where available_at <= ?1 and (claimed_until is null or claimed_until < ?1)
                         order by available_at, message_id fetch first ?2 rows only""", Long.class)
                .setParameter(1, Timestamp.from(now))
                .setParameter(2, limit)
                .getResultList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        String token = SENDER + "/" + UUID.randomUUID();
        int claimed = Panache.getEntityManager()
                .createNativeQuery("""
                        update outbox set claimed_until = :until, claimed_by = :token
                         where message_id in (:ids) and available_at <= :now and (claimed_until is null or claimed_until < :now)""")
                .setParameter("until", Timestamp.from(now.plus(claimFor)))
                .setParameter("token", token)
                .setParameter("ids", candidates)
                .setParameter("now", Timestamp.from(now))
                .executeUpdate();
        if (claimed == candidates.size()) {
            return candidates;
        }
        return Panache.getEntityManager()
                .createNativeQuery(
                        "select message_id from outbox where claimed_by = :token order by available_at, message_id",
                        Long.class)
                .setParameter("token", token)
                .getResultList();
    }

    /** The messages are done with (sent, failed for good, or not to be sent): they leave the outbox. */
    @Transactional(Transactional.TxType.MANDATORY)
    void removeAll(Collection<Long> messageIds) {
        if (!messageIds.isEmpty()) {
            Panache.getEntityManager()
                    .createNativeQuery("delete from outbox where message_id in (:ids)")
                    .setParameter("ids", messageIds)
                    .executeUpdate();
        }
    }

    /** Claimed messages that were not sent (the claim ran short): due again at once, for any sender. */
    @Transactional(Transactional.TxType.MANDATORY)
    void release(Collection<Long> messageIds) {
        if (!messageIds.isEmpty()) {
            Panache.getEntityManager()
                    .createNativeQuery(
                            "update outbox set claimed_until = null, claimed_by = null where message_id in (:ids)")
                    .setParameter("ids", messageIds)
                    .executeUpdate();
        }
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
