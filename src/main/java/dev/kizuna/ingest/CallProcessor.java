package dev.kizuna.ingest;

import dev.kizuna.common.TransientFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The stage behind the log: applies acknowledged calls in log order, a micro-batch per
 * transaction, and removes them from the log in that same transaction, so that each takes effect
 * exactly once. Every instance runs one; a lease in the database lets one at a time process, and
 * another takes over when the holder stops renewing it (a killed instance). Calls acknowledged
 * here wake it at once; calls acknowledged elsewhere are found by polling.
 */
@ApplicationScoped
public class CallProcessor {

    private static final Logger LOG = Logger.getLogger(CallProcessor.class);
    private static final Duration BACKLOG_REFRESH = Duration.ofSeconds(1);
    /** Processed calls between two vacuums of the log: a few seconds' worth under load. */
    private static final long VACUUM_EVERY_CALLS = 10_000;
    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(5);
    /**
     * How far behind the last call processed the next scan of the log starts, and how often it
     * starts from the beginning instead. Ids are taken when calls are appended, not when they
     * commit: a call appended just before the last one processed may become visible just after
     * it, and is found by the next scan; one later still, by the full scan.
     */
    private static final long SCAN_MARGIN = 1_000;
    private static final Duration FULL_SCAN_EVERY = Duration.ofSeconds(1);
    /**
     * How often a request waiting for calls that only this instance can have processed (it has
     * held the lease since they were appended) asks the database whether they are still waiting:
     * the processor tells it of everything it commits, so this only catches calls erased from the
     * log meanwhile. Asking at the poll interval instead made every waiting request a query ten
     * times a second, which, under load, is work taken from the processing it waits for.
     */
    private static final Duration CHECK_WHILE_PROCESSED_HERE = Duration.ofSeconds(1);

    /** Identifies this instance as the lease's holder. */
    private static final String INSTANCE = UUID.randomUUID().toString();

    private static final Counter CALLS_PROCESSED = Metrics.counter("kizuna.ingest.processed");
    private static final Counter CALLS_SET_ASIDE = Metrics.counter("kizuna.ingest.set.aside");

    private final PendingCalls log;
    private final CallApplier applier;
    private final IngestConfig config;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when calls were appended here: work for the processor. */
    private final Condition appended = lock.newCondition();
    /** Requests waiting for their calls to be processed (?wait=decided). */
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private boolean wakeRequested;

    private volatile PendingCalls.Backlog backlog = PendingCalls.Backlog.NONE;
    /** Read and written by the backlog meter's thread only. */
    private long processedAtLastVacuum;
    /** A new number each time this instance takes the lease, 0 while it does not hold it. */
    private volatile long leaseTerm;
    /** Read and written by the processor's thread only. */
    private long leaseTermsTaken;
    private volatile boolean running;
    private Thread thread;
    private final ScheduledExecutorService backlogMeter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread meter = new Thread(runnable, "kizuna-backlog-meter");
        meter.setDaemon(true);
        return meter;
    });
    /** The highest id processed here so far, and when the log was last scanned from its beginning. */
    private long highestProcessed;
    private Instant nextFullScan = Instant.MIN;

    CallProcessor(PendingCalls log, CallApplier applier, IngestConfig config) {
        this.log = log;
        this.applier = applier;
        this.config = config;
        Gauge.builder("kizuna.ingest.lag.events", this, processor -> processor.backlog.calls())
                .description("acknowledged calls not yet processed").register(Metrics.globalRegistry);
        Gauge.builder("kizuna.ingest.lag.seconds", this, processor -> processor.backlog.oldest().toMillis() / 1000.0)
                .description("age of the oldest acknowledged call not yet processed").register(Metrics.globalRegistry);
        Gauge.builder("kizuna.ingest.set.aside.events", this, processor -> processor.backlog.failed())
                .description("calls that failed when processed and wait for an operator").register(Metrics.globalRegistry);
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        thread = new Thread(this::run, "kizuna-call-processor");
        thread.setDaemon(true);
        thread.start();
        // On a thread of its own: measuring the backlog scans the log, which must not hold up processing.
        backlogMeter.scheduleWithFixedDelay(this::refreshBacklog, 0, BACKLOG_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets the batch in flight finish, then hands the lease back, so that another instance takes over at once. */
    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        backlogMeter.shutdownNow();
        if (thread != null) {
            wake();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (processesHere()) {
            try {
                QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager()
                        .createNativeQuery("update processing_lease set holder = null, expires_at = null where name = 'calls' and holder = ?1")
                        .setParameter(1, INSTANCE)
                        .executeUpdate());
                leaseTerm = 0;
            } catch (RuntimeException e) {
                // The lease then expires as if this instance had died.
                LOG.debugf("processing lease not handed back: %s", e.getMessage());
            }
        }
    }

    /** Calls were appended on this instance: process them now rather than at the next poll. */
    void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            appended.signal();
        } finally {
            lock.unlock();
        }
    }

    /** How far processing is behind, as of the last look (at most a second ago). */
    public PendingCalls.Backlog backlog() {
        return backlog;
    }

    /** Whether this instance holds the lease, that is, processes the log now. */
    public boolean processesHere() {
        return leaseTerm != 0;
    }

    /**
     * Calls a request will append and wait for, registered before they are appended, so that
     * processing them here cannot go unnoticed.
     */
    Waiter expect(Collection<String> messageIds) {
        Waiter waiter = new Waiter(messageIds, leaseTerm);
        waiters.add(waiter);
        return waiter;
    }

    /**
     * Waits until none of the awaited calls is waiting in the log: processed here (the processor
     * says so after each commit) or on another instance (seen in the database at every poll
     * interval, unless this instance has held the lease since the calls were appended). False if
     * that did not happen within the timeout.
     */
    boolean awaitProcessed(Waiter waiter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!waiter.done()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                Duration check = waiter.leaseTerm() != 0 && waiter.leaseTerm() == leaseTerm
                        ? CHECK_WHILE_PROCESSED_HERE : config.processor().pollInterval();
                if (!waiter.await(Math.min(left, check.toNanos())) && log.waiting(waiter.remaining()) == 0) {
                    return true;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The request no longer waits (answered, or refused). */
    void forget(Waiter waiter) {
        waiters.remove(waiter);
    }

    /** A request's calls not yet known to be processed. */
    static final class Waiter {

        private final Set<String> remaining;
        private final long leaseTerm;

        /** {@code leaseTerm}: this instance's term of the lease when the request started waiting, 0 if it did not hold it. */
        Waiter(Collection<String> messageIds, long leaseTerm) {
            this.remaining = ConcurrentHashMap.newKeySet();
            this.remaining.addAll(messageIds);
            this.leaseTerm = leaseTerm;
        }

        long leaseTerm() {
            return leaseTerm;
        }

        /** Calls whose effects were committed, or that will not wait in the log (a duplicate of a call processed long ago). */
        synchronized void processed(Collection<String> messageIds) {
            if (remaining.removeAll(messageIds) && remaining.isEmpty()) {
                notifyAll();
            }
        }

        synchronized boolean done() {
            return remaining.isEmpty();
        }

        /** True if all were processed within the time; false on timeout. */
        synchronized boolean await(long nanos) throws InterruptedException {
            if (!remaining.isEmpty()) {
                TimeUnit.NANOSECONDS.timedWait(this, nanos);
            }
            return remaining.isEmpty();
        }

        List<String> remaining() {
            return List.copyOf(remaining);
        }
    }

    private void run() {
        int failuresInARow = 0;
        while (running) {
            boolean more = false;
            try {
                if (config.processor().enabled()) {
                    more = processNextBatch();
                }
                failuresInARow = 0;
            } catch (RuntimeException | Error e) {
                // Whatever happens, the processor goes on: a processor that stopped would leave this
                // instance acknowledging calls that only another instance could process.
                failuresInARow++;
                pause(backoff(failuresInARow), e);
            }
            if (!more) {
                awaitWork();
            }
        }
    }

    /**
     * Applies the next micro-batch if this instance holds (or can take) the lease. True if there
     * may be more to do at once.
     */
    private boolean processNextBatch() {
        List<PendingCalls.Pending> batch;
        try {
            batch = TransientFailures.retry(() -> QuarkusTransaction.requiringNew().call(this::applyNextBatch));
        } catch (RuntimeException e) {
            if (TransientFailures.classify(e).isPresent() || e instanceof LogChanged) {
                throw e;
            }
            // Something in the batch fails whatever the timing: find it, call by call.
            applyOneByOne();
            return true;
        }
        if (batch == null) {
            return false;
        }
        committed(batch);
        return batch.size() == config.processor().batchSize();
    }

    /** One transaction: renew the lease, apply the oldest calls, remove them. Null if the lease is another's. */
    private List<PendingCalls.Pending> applyNextBatch() {
        if (!renewLease()) {
            return null;
        }
        List<PendingCalls.Pending> batch = log.oldest(scanFrom(), config.processor().batchSize());
        apply(batch);
        return batch;
    }

    /** Where the next scan of the log starts: near the last call processed, or at the beginning once a second. */
    private long scanFrom() {
        Instant now = Instant.now();
        if (now.isAfter(nextFullScan)) {
            nextFullScan = now.plus(FULL_SCAN_EVERY);
            return 0;
        }
        return Math.max(0, highestProcessed - SCAN_MARGIN);
    }

    private void apply(List<PendingCalls.Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        applier.apply(batch.stream().map(PendingCalls.Pending::call).toList());
        int removed = log.remove(batch.stream().map(PendingCalls.Pending::id).toList());
        if (removed != batch.size()) {
            throw new LogChanged();
        }
        CALLS_PROCESSED.increment(batch.size());
    }

    /**
     * Applies the oldest batch one call per transaction, after it failed as a whole: the calls that
     * work take effect, and a call that fails on its own is set aside with its error, so that
     * the calls behind it are not held up. A transient failure stops this, to be retried later.
     */
    private void applyOneByOne() {
        List<PendingCalls.Pending> batch = QuarkusTransaction.requiringNew().call(() -> renewLease()
                ? log.oldest(0, config.processor().batchSize()) : List.<PendingCalls.Pending>of());
        for (PendingCalls.Pending pending : batch) {
            try {
                Boolean applied = TransientFailures.retry(() -> QuarkusTransaction.requiringNew().call(() -> {
                    if (!renewLease()) {
                        return false;
                    }
                    apply(List.of(pending));
                    return true;
                }));
                if (!applied) {
                    return;
                }
                committed(List.of(pending));
            } catch (RuntimeException e) {
                if (TransientFailures.classify(e).isPresent() || e instanceof LogChanged) {
                    throw e;
                }
                LOG.errorf(e, "call %s (messageId %s) failed when processed and is set aside; the calls after it go on",
                        pending.id(), pending.call().messageId());
                log.setAside(pending.id(), String.valueOf(e), Instant.now());
                CALLS_SET_ASIDE.increment();
                signalProcessed(List.of(pending));
            }
        }
    }

    /**
     * Takes or renews the lease in the current transaction. The row stays locked until the
     * transaction ends, so an instance taking over waits for a batch in flight to commit.
     */
    private boolean renewLease() {
        Instant now = Instant.now();
        int updated = Panache.getEntityManager().createNativeQuery("""
                        update processing_lease set holder = ?1, expires_at = ?2
                         where name = 'calls' and (holder = ?1 or expires_at is null or expires_at < ?3)""")
                .setParameter(1, INSTANCE)
                .setParameter(2, Timestamp.from(now.plus(config.processor().lease())))
                .setParameter(3, Timestamp.from(now))
                .executeUpdate();
        boolean held = updated == 1;
        if (held && !processesHere()) {
            // Taken over: what was processed before, and where, is unknown here.
            nextFullScan = Instant.MIN;
        }
        if (held != processesHere()) {
            LOG.infof(held ? "this instance now processes acknowledged calls" : "another instance now processes acknowledged calls");
            leaseTerm = held ? ++leaseTermsTaken : 0;
        }
        return held;
    }

    private void refreshBacklog() {
        try {
            vacuumWhenDue();
        } catch (RuntimeException | Error e) {
            // Autovacuum, where it is on, still reclaims the rows; processing goes on either way.
            LOG.warnf("the log of pending calls was not vacuumed: %s", e.getMessage());
        }
        try {
            backlog = log.backlog();
        } catch (RuntimeException | Error e) {
            // The database may be away; the last figure stands until it is back (and the meter runs on).
            LOG.debugf("processing backlog not measured: %s", e.getMessage());
        }
    }

    /**
     * The instance that processes the log also vacuums it, once enough calls were processed since
     * the last time: scans of the log otherwise step over every processed call's dead row.
     */
    private void vacuumWhenDue() {
        long processed = (long) CALLS_PROCESSED.count();
        if (processesHere() && processed - processedAtLastVacuum >= VACUUM_EVERY_CALLS) {
            processedAtLastVacuum = processed;
            log.vacuum();
        }
    }

    /** The calls' effects are committed: the next scan starts near them, and requests waiting for them are told. */
    private void committed(List<PendingCalls.Pending> batch) {
        if (!batch.isEmpty()) {
            highestProcessed = Math.max(highestProcessed, batch.get(batch.size() - 1).id());
        }
        signalProcessed(batch);
    }

    private void signalProcessed(List<PendingCalls.Pending> batch) {
        if (batch.isEmpty() || waiters.isEmpty()) {
            return;
        }
        List<String> messageIds = batch.stream().map(pending -> pending.call().messageId()).toList();
        waiters.forEach(waiter -> waiter.processed(messageIds));
    }

    private void awaitWork() {
        lock.lock();
        try {
            if (!wakeRequested) {
                appended.await(config.processor().pollInterval().toNanos(), TimeUnit.NANOSECONDS);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void pause(Duration delay, Throwable cause) {
        if (cause instanceof Error) {
            LOG.errorf(cause, "processing acknowledged calls paused for %d ms", delay.toMillis());
        } else {
            LOG.warnf("processing acknowledged calls paused for %d ms: %s", delay.toMillis(), cause.getMessage());
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static Duration backoff(int failuresInARow) {
        long millis = 100L << Math.min(failuresInARow - 1, 6);
        return Duration.ofMillis(Math.min(millis, LONGEST_BACKOFF.toMillis()));
    }

    /** Calls of the batch left the log while it was being applied: the transaction rolls back and the batch is read again. */
    static final class LogChanged extends RuntimeException {
        LogChanged() {
            super("calls left the log while being processed (erased, or processed by another instance)");
        }
    }
}
