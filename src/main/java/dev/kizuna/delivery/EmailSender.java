package dev.kizuna.delivery;

import dev.kizuna.common.LogContext;
import dev.kizuna.common.TransientFailures;
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
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Drains the outbox in sets: claims due email (and webhook and Slack posts, which {@link
 * WebhookPoster} sends), takes it for sending, sends it outside any transaction (several at a
 * time, each email over its sender's connection), then records the outcomes,
 * each database step in one transaction for the whole set. Woken right after a decision commits,
 * and by a periodic poll as a safety net.
 */
@ApplicationScoped
public class EmailSender {

    private static final Logger LOG = Logger.getLogger(EmailSender.class);
    private static final int BATCH = 100;
    /** How long a sent email's outcome may wait to be recorded with others. */
    private static final Duration RECORD_EVERY = Duration.ofMillis(100);
    /** How often the sends of a set are looked over for those done meanwhile. */
    private static final Duration GATHER_EVERY = Duration.ofMillis(10);

    /** kizuna_deliveries_total{channel, outcome}: sent, retried (a transient failure), failed (for good), suppressed (at send). */
    private static final String DELIVERIES = "kizuna.deliveries";
    /** kizuna_smtp_send_seconds: how long the mail server took to take one email (SMTP latency, connection included). */
    private static final Timer SMTP_SEND = Timer.builder("kizuna.smtp.send")
            .description(
                    "time the mail server took to take one email, connecting included when a new connection was needed")
            .register(Metrics.globalRegistry);

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
    private final WebhookPoster poster;
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "kizuna-email-drain"));
    private final ExecutorService senders;
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final Object paceLock = new Object();
    private long nextSendAt = System.nanoTime();

    EmailSender(
            Outbox outbox,
            MessageRecorder messages,
            MessageSearch search,
            MessageTimeline timeline,
            EmailComposer composer,
            Mailer mailer,
            DeliveryConfig config,
            EmailLinks links,
            SuppressionList suppressions,
            EmailPermission permission,
            WebhookPoster poster) {
        this.poster = poster;
        this.links = links;
        this.suppressions = suppressions;
        AtomicInteger senderNumber = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(
                config.senders(),
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

    /**
     * Sends everything due now, set after set, several emails at a time. One set is sent while
     * the next is claimed and taken and the one before is recorded, so that the senders do not
     * wait for the database between sets. Returns how many messages were handled.
     */
    public synchronized int drain() {
        int handled = 0;
        Deque<List<Future<Outcome>>> inFlight = new ArrayDeque<>();
        try {
            List<Long> claimed;
            do {
                claimed = outbox.claimDue(BATCH, config.claimTimeout());
                // A send starts only while the claim has at least half its time left: one started
                // later could still be under way when another instance takes the claim over.
                long startBy = System.nanoTime() + config.claimTimeout().toNanos() / 2;
                List<Long> set = claimed;
                if (!set.isEmpty()) {
                    List<MessageSearch.EmailToSend> emails =
                            QuarkusTransaction.requiringNew().call(() -> take(set));
                    inFlight.add(sendAll(emails, startBy));
                }
                handled += claimed.size();
                while (inFlight.size() > 1) {
                    recordOutcomes(inFlight.poll());
                }
            } while (claimed.size() == BATCH);
        } catch (RuntimeException e) {
            // The database may be away; the entries stay in the outbox for the next drain.
            LOG.warnf("outbox drain stopped: %s", DeliveryFailure.withoutAddresses(e.getMessage()));
        } finally {
            // Whatever stopped the drain, what was sent is recorded if the database lets it.
            while (!inFlight.isEmpty()) {
                try {
                    recordOutcomes(inFlight.poll());
                } catch (RuntimeException e) {
                    LOG.warnf(
                            "outcomes of sent email not recorded (claims expire and the email is sent again): %s",
                            DeliveryFailure.withoutAddresses(e.getMessage()));
                }
            }
        }
        return handled;
    }

    /**
     * Waits for a set's sends and records their outcomes as they come, a transaction at least
     * every {@link #RECORD_EVERY}: an instance that dies leaves unrecorded (and sends again after
     * its claims expire) only the emails of its last moments, however slowly a set is sent.
     */
    private void recordOutcomes(List<Future<Outcome>> sends) {
        List<Future<Outcome>> underWay = new ArrayList<>(sends);
        List<Outcome> outcomes = new ArrayList<>();
        long recordAt = System.nanoTime() + RECORD_EVERY.toNanos();
        while (!underWay.isEmpty()) {
            // Sends finish in any order (the senders take turns at the pace): each is gathered when done, not in set
            // order.
            for (Iterator<Future<Outcome>> sending = underWay.iterator(); sending.hasNext(); ) {
                Future<Outcome> send = sending.next();
                if (send.isDone()) {
                    outcomes.add(outcomeWithin(send, 0));
                    sending.remove();
                }
            }
            if (System.nanoTime() - recordAt >= 0) {
                recordAt = recordNow(outcomes);
            }
            if (!underWay.isEmpty()) {
                outcomeWithin(underWay.get(0), Math.min(recordAt - System.nanoTime(), GATHER_EVERY.toNanos()));
            }
        }
        recordNow(outcomes);
    }

    /** The send's outcome, or null if it is still under way after {@code nanos}. */
    private static Outcome outcomeWithin(Future<Outcome> send, long nanos) {
        try {
            return send.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException notYet) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("an email sender failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        }
    }

    /** Records the outcomes gathered so far in one transaction and clears them; when to record next. */
    private long recordNow(List<Outcome> outcomes) {
        if (!outcomes.isEmpty()) {
            List<Outcome> recorded = List.copyOf(outcomes);
            TransientFailures.retry(() -> {
                QuarkusTransaction.requiringNew().run(() -> record(recorded));
                return null;
            });
            outcomes.clear();
        }
        return System.nanoTime() + RECORD_EVERY.toNanos();
    }

    /**
     * What became of one message of a set: sent (with the receiver's answer, for posts), failed
     * (with why), or not tried because its claim ran short.
     */
    private record Outcome(MessageSearch.EmailToSend email, boolean tried, DeliveryFailure failure, String answer) {

        boolean sent() {
            return tried && failure == null;
        }
    }

    /** Hands the emails to the sender threads. */
    private List<Future<Outcome>> sendAll(List<MessageSearch.EmailToSend> emails, long startBy) {
        List<Future<Outcome>> sends = new ArrayList<>(emails.size());
        for (MessageSearch.EmailToSend email : emails) {
            sends.add(senders.submit(() -> sendOne(email, startBy)));
        }
        return sends;
    }

    private Outcome sendOne(MessageSearch.EmailToSend email, long startBy) {
        // The send rate is the SMTP provider's: posts to other systems do not wait for it.
        if (!email.channel().isHttp()) {
            pace();
        }
        if (System.nanoTime() - startBy > 0) {
            return new Outcome(email, false, null, null);
        }
        try (LogContext context = LogContext.ofMessage(email.id(), email.ruleId(), email.accountId())) {
            if (email.channel().isHttp()) {
                return new Outcome(email, true, null, poster.post(email));
            }
            String unsubscribe =
                    email.channel() == Channel.EMAIL ? links.unsubscribeUrl(email.id(), email.createdAt()) : null;
            MimeMessage mime = composer.compose(new OutgoingEmail(
                    email.sender(),
                    email.recipient(),
                    email.subject(),
                    email.html(),
                    email.text(),
                    email.headerMessageId(),
                    unsubscribe));
            long started = System.nanoTime();
            try {
                mailer.send(mime);
            } finally {
                SMTP_SEND.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
            return new Outcome(email, true, null, null);
        } catch (DeliveryFailure failure) {
            return new Outcome(email, true, failure, null);
        } catch (RuntimeException unexpected) {
            // Whatever it was, the other emails of the set are recorded; this one is retried like a transient failure.
            return new Outcome(
                    email, true, new DeliveryFailure("could not be sent: " + unexpected, false, unexpected), null);
        }
    }

    /**
     * Takes a claimed set for sending, in one transaction: messages no longer queued leave the
     * outbox, those whose recipient is now suppressed or unsubscribed are recorded as not sent,
     * and the rest get their stable Message-IDs.
     */
    private List<MessageSearch.EmailToSend> take(List<Long> claimed) {
        List<MessageSearch.EmailToSend> queued = search.emailsToSend(claimed);
        Set<Long> done = new HashSet<>(claimed);
        queued.forEach(email -> done.remove(email.id()));
        List<MessageSearch.EmailToSend> emails = queued.stream()
                .filter(email -> email.channel() == Channel.EMAIL)
                .toList();
        EmailPermission.Recipients recipients = permission.forRecipients(
                emails.stream()
                        .map(MessageSearch.EmailToSend::recipient)
                        .filter(Objects::nonNull)
                        .toList(),
                emails.stream()
                        .map(MessageSearch.EmailToSend::userId)
                        .filter(Objects::nonNull)
                        .toList());
        List<MessageSearch.EmailToSend> sendable = new ArrayList<>(queued.size());
        for (MessageSearch.EmailToSend email : queued) {
            String blocked = blockedReason(email, recipients);
            if (blocked == null) {
                sendable.add(email);
            } else {
                messages.markSuppressed(email.id(), blocked);
                done.add(email.id());
                counted(email, "suppressed");
                try (LogContext context = LogContext.ofMessage(email.id(), email.ruleId(), email.accountId())) {
                    LOG.debugf("message %d not sent: %s", email.id(), blocked);
                }
            }
        }
        outbox.removeAll(done);
        // Posts need no Message-ID: their webhook-id is made of the message id.
        List<MessageSearch.EmailToSend> posts =
                sendable.stream().filter(message -> message.channel().isHttp()).toList();
        List<MessageSearch.EmailToSend> ready = new ArrayList<>(messages.assignEmailMessageIds(
                sendable.stream().filter(message -> !message.channel().isHttp()).toList(), composer.senderDomain()));
        ready.addAll(posts);
        return ready;
    }

    /** The outcomes of a set, in one transaction: sent ones with a statement or two for all, failures one by one. */
    private void record(List<Outcome> outcomes) {
        List<Long> sent = new ArrayList<>();
        Map<Long, String> answers = new HashMap<>();
        List<Long> untried = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.sent()) {
                sent.add(outcome.email().id());
                counted(outcome.email(), "sent");
                if (outcome.answer() != null) {
                    answers.put(outcome.email().id(), outcome.answer());
                }
            } else if (!outcome.tried()) {
                untried.add(outcome.email().id());
            } else {
                recordFailure(outcome.email(), outcome.failure());
            }
        }
        messages.markAllSent(sent, answers);
        outbox.removeAll(sent);
        outbox.release(untried);
        LOG.debugf("%d messages sent, %d left for the next claim", sent.size(), untried.size());
    }

    private static void counted(MessageSearch.EmailToSend email, String outcome) {
        Metrics.counter(DELIVERIES, "channel", email.channel().wireName(), "outcome", outcome)
                .increment();
    }

    private void recordFailure(MessageSearch.EmailToSend email, DeliveryFailure failure) {
        long messageId = email.id();
        int attempt = email.attempts() + 1;
        boolean giveUp = failure.permanent() || attempt >= config.maxAttempts();
        counted(email, giveUp ? "failed" : "retried");
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
        // The message id leads to the recipient for those allowed to see it; the log names no address.
        try (LogContext context = LogContext.ofMessage(messageId, email.ruleId(), email.accountId())) {
            LOG.infof(
                    "message %d attempt %d failed%s: %s",
                    messageId, attempt, giveUp ? " for good" : ", will retry", failure.reasonForLog());
        }
    }

    /**
     * Checked again just before sending, since an email can wait (quiet hours, retries): an
     * address suppressed or a category unsubscribed in the meantime stops it. CSM alerts are internal.
     */
    private static String blockedReason(MessageSearch.EmailToSend email, EmailPermission.Recipients recipients) {
        if (email.channel() != Channel.EMAIL) {
            return null;
        }
        String suppressed = recipients.suppressedReason(email.recipient());
        if (suppressed != null) {
            return suppressed;
        }
        if (email.category() != null && email.userId() != null) {
            return recipients.unsubscribedReason(email.userId(), email.category());
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
