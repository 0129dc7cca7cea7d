package dev.kizuna.delivery;

import dev.kizuna.delivery.email.DeliveryFailure;
import dev.kizuna.delivery.email.EmailComposer;
import dev.kizuna.delivery.email.Mailer;
import dev.kizuna.delivery.email.OutgoingEmail;
import dev.kizuna.messages.Channel;
import dev.kizuna.messages.MessageEventType;
import dev.kizuna.messages.MessageRecorder;
import dev.kizuna.messages.MessageSearch;
import dev.kizuna.messages.MessageTimeline;
import dev.kizuna.tracking.EmailLinks;
import dev.kizuna.tracking.EmailPermission;
import dev.kizuna.tracking.SuppressionList;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Drains the outbox: claims due email, sends it outside any transaction, then records the
 * outcome. Woken right after a decision commits, and by a periodic poll as a safety net.
 */
@ApplicationScoped
public class EmailSender {

    private static final Logger LOG = Logger.getLogger(EmailSender.class);
    private static final int BATCH = 50;

    private final Outbox outbox;
    private final MessageRecorder messages;
    private final MessageSearch search;
    private final MessageTimeline timeline;
    private final EmailComposer composer;
    private final Mailer mailer;
    private final DeliveryConfig config;
    private final EmailLinks links;
    private final SuppressionList suppressions;
    private final EmailPermission permission;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "kizuna-email-drain"));
    private final ExecutorService senders;
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final Object paceLock = new Object();
    private long nextSendAt = System.nanoTime();

    EmailSender(Outbox outbox, MessageRecorder messages, MessageSearch search, MessageTimeline timeline, EmailComposer composer,
            Mailer mailer, DeliveryConfig config, EmailLinks links, SuppressionList suppressions, EmailPermission permission) {
        this.links = links;
        this.suppressions = suppressions;
        AtomicInteger senderNumber = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(config.senders(),
                runnable -> daemon(runnable, "kizuna-email-sender-" + senderNumber.incrementAndGet()));
        this.permission = permission;
        this.outbox = outbox;
        this.messages = messages;
        this.search = search;
        this.timeline = timeline;
        this.composer = composer;
        this.mailer = mailer;
        this.config = config;
    }

    /** Asks for a drain soon; wake-ups while one is pending are merged into it. */
    void wake() {
        if (wakeRequested.compareAndSet(false, true)) {
            worker.execute(() -> {
                wakeRequested.set(false);
                drain();
            });
        }
    }

    /** Sends everything due now, several at a time. Returns how many messages were handled. */
    public synchronized int drain() {
        int handled = 0;
        try {
            List<Long> claimed;
            do {
                claimed = outbox.claimDue(BATCH, config.claimTimeout());
                sendAll(claimed);
                handled += claimed.size();
            } while (claimed.size() == BATCH);
        } catch (RuntimeException e) {
            // The database may be away; the entries stay in the outbox for the next drain.
            LOG.warnf("outbox drain stopped: %s", DeliveryFailure.withoutAddresses(e.getMessage()));
        }
        return handled;
    }

    /** Sends the claimed messages on the sender threads and waits for all of them; rethrows the first unexpected failure. */
    private void sendAll(List<Long> claimed) {
        List<Future<?>> sends = new ArrayList<>();
        for (long messageId : claimed) {
            sends.add(senders.submit(() -> sendOne(messageId)));
        }
        RuntimeException failure = null;
        for (Future<?> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException unexpected ? unexpected : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void sendOne(long messageId) {
        MessageSearch.EmailToSend email = QuarkusTransaction.requiringNew().call(() -> take(messageId));
        if (email == null) {
            return;
        }
        pace();
        try {
            String unsubscribe = email.channel() == Channel.EMAIL ? links.unsubscribeUrl(messageId, email.createdAt()) : null;
            MimeMessage mime = composer.compose(new OutgoingEmail(email.sender(), email.recipient(), email.subject(), email.html(),
                    email.text(), email.headerMessageId(), unsubscribe));
            mailer.send(mime);
            QuarkusTransaction.requiringNew().run(() -> {
                messages.markSent(messageId);
                outbox.remove(messageId);
            });
            LOG.debugf("message %d sent", messageId);
        } catch (DeliveryFailure failure) {
            int attempt = email.attempts() + 1;
            boolean giveUp = failure.permanent() || attempt >= config.maxAttempts();
            QuarkusTransaction.requiringNew().run(() -> {
                messages.recordFailedAttempt(messageId, failure.getMessage(), giveUp);
                if (failure.hardBounce()) {
                    suppressions.suppress(email.recipient(), SuppressionList.HARD_BOUNCE);
                    timeline.recordEvent(messageId, MessageEventType.BOUNCED, failure.getMessage());
                }
                if (giveUp) {
                    outbox.remove(messageId);
                } else {
                    outbox.retryAfter(messageId, backoff(attempt));
                }
            });
            // The message id leads to the recipient for those allowed to see it; the log names no address.
            LOG.infof("message %d attempt %d failed%s: %s", messageId, attempt, giveUp ? " for good" : ", will retry",
                    failure.reasonForLog());
        }
    }

    /**
     * Takes a claimed message for sending, in one transaction: renews the claim, fixes its
     * Message-ID and reads it. Null when another sender took it over, or when it is not to be
     * sent after all (gone, suppressed, unsubscribed), which is recorded here.
     */
    private MessageSearch.EmailToSend take(long messageId) {
        if (!outbox.renewClaim(messageId, config.claimTimeout())) {
            LOG.debugf("message %d was taken over by another sender", messageId);
            return null;
        }
        messages.assignEmailMessageId(messageId, composer.senderDomain());
        Optional<MessageSearch.EmailToSend> found = search.emailToSend(messageId);
        if (found.isEmpty()) {
            outbox.remove(messageId);
            return null;
        }
        String blocked = blockedReason(found.get());
        if (blocked != null) {
            messages.markSuppressed(messageId, blocked);
            outbox.remove(messageId);
            LOG.debugf("message %d not sent: %s", messageId, blocked);
            return null;
        }
        return found.get();
    }

    /**
     * Checked again just before sending, since an email can wait (quiet hours, retries): an
     * address suppressed or a category unsubscribed in the meantime stops it. CSM alerts are internal.
     */
    private String blockedReason(MessageSearch.EmailToSend email) {
        if (email.channel() != Channel.EMAIL) {
            return null;
        }
        String suppressed = permission.suppressedReason(email.recipient());
        if (suppressed != null) {
            return suppressed;
        }
        if (email.category() != null && email.userId() != null) {
            return permission.unsubscribedReason(email.userId(), email.category());
        }
        return null;
    }

    /** Keeps to the configured send rate, so that a large batch does not trip the SMTP provider's limits. */
    private void pace() {
        if (config.sendRate() <= 0) {
            return;
        }
        // Not the drain's monitor: the drain holds that while it waits for the senders.
        synchronized (paceLock) {
            long interval = (long) (1_000_000_000L / config.sendRate());
            long now = System.nanoTime();
            long wait = nextSendAt - now;
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            nextSendAt = Math.max(now, nextSendAt) + interval;
        }
    }

    /** Exponential backoff with full jitter, so that retries from many senders spread out. */
    private Duration backoff(int attempt) {
        long base = config.retryBackoff().toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        worker.shutdownNow();
        senders.shutdownNow();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
