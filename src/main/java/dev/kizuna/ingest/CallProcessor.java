package dev.kizuna.ingest;

import dev.kizuna.common.LogContext;
import dev.kizuna.common.TransientFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The stage behind the log: applies acknowledged calls in log order, a micro-batch per
 * transaction, and removes them from the log in that same transaction, so that each takes effect
 * exactly once. Every instance runs one, over the partitions of the log it holds a lease on
 * ({@link LogPartitions}); another instance takes a partition over when its holder stops renewing
 * it (a killed instance). Calls acknowledged here wake it at once; calls acknowledged elsewhere
 * are found by polling.
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
     * held every partition since they were appended) asks the database whether they are still waiting:
     * the processor tells it of everything it commits, so this only catches calls erased from the
     * log meanwhile. Asking at the poll interval instead made every waiting request a query ten
     * times a second, which, under load, is work taken from the processing it waits for.
     */
    private static final Duration CHECK_WHILE_PROCESSED_HERE = Duration.ofSeconds(1);
    /** How often this instance says it is alive and takes or hands back partitions to hold its fair share. */
    private static final Duration BALANCE_EVERY = Duration.ofSeconds(1);

    private static final int SMALLEST_BATCH = 10;

    private static final Counter CALLS_PROCESSED = Metrics.counter("kizuna.ingest.processed");
    private static final Counter CALLS_SET_ASIDE = Metrics.counter("kizuna.ingest.set.aside");

    private final PendingCalls log;
    private final LogPartitions partitions;
    private final CallApplier applier;
    private final IngestConfig config;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when calls were appended here: work for the processor. */
    private final Condition appended = lock.newCondition();
    /** Requests waiting for their calls to be processed (?wait=decided). */
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

    private boolean wakeRequested;

    private volatile PendingCalls.Backlog backlog = PendingCalls.Backlog.NONE;
    /** Read and written by the vacuum's thread only. */
    private long processedAtLastVacuum;
    /**
     * A new number each time this instance comes to hold every partition of the log, 0 while it
     * holds fewer: calls appended during one term can only be processed here.
     */
    private volatile long leaseTerm;
    /** Read and written by the processor's thread only. */
    private long leaseTermsTaken;

    private Instant nextBalance = Instant.MIN;
    /** Calls taken for the next batch, at most: the configured size, less while batches are slow (processor thread only). */
    private int batchLimit;

    private volatile boolean running;
    private Thread thread;
    private final ScheduledExecutorService backlogMeter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread meter = new Thread(runnable, "kizuna-backlog-meter");
        meter.setDaemon(true);
        return meter;
    });
    /** Apart from the meter: a vacuum of a large log takes seconds, during which the lag would stand still. */
    private final ScheduledExecutorService logVacuum = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread vacuum = new Thread(runnable, "kizuna-log-vacuum");
        vacuum.setDaemon(true);
        return vacuum;
    });
    /** The highest id processed here so far, and when the log was last scanned from its beginning. */
    private long highestProcessed;
    /** The first call the last batch left for later because it waits for a call processed elsewhere; 0 if none. */
    private long heldBack;

    private Instant nextFullScan = Instant.MIN;

    CallProcessor(PendingCalls log, LogPartitions partitions, CallApplier applier, IngestConfig config) {
        this.log = log;
        this.partitions = partitions;
        this.applier = applier;
        this.config = config;
        this.batchLimit = config.processor().batchSize();
        Gauge.builder("kizuna.ingest.lag.events", this, processor -> processor.backlog.calls())
                .description("acknowledged calls not yet processed")
                .register(Metrics.globalRegistry);
        Gauge.builder(
                        "kizuna.ingest.lag.seconds",
                        this,
                        processor -> processor.backlog.oldest().toMillis() / 1000.0)
                .description("age of the oldest acknowledged call not yet processed")
                .register(Metrics.globalRegistry);
        Gauge.builder("kizuna.ingest.set.aside.events", this, processor -> processor.backlog.failed())
                .description("calls that failed when processed and wait for an operator")
                .register(Metrics.globalRegistry);
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        thread = new Thread(this::run, "kizuna-call-processor");
        thread.setDaemon(true);
        thread.start();
        // On a thread of its own: measuring the backlog scans the log, which must not hold up processing.
        backlogMeter.scheduleWithFixedDelay(this::refreshBacklog, 0, BACKLOG_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        logVacuum.scheduleWithFixedDelay(this::vacuumWhenDue, 1, 1, TimeUnit.SECONDS);
    }

    /** Lets the batch in flight finish, then hands the partitions back, so that the other instances take over at once. */
    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        backlogMeter.shutdownNow();
        logVacuum.shutdownNow();
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
                QuarkusTransaction.requiringNew().run(partitions::releaseAll);
                leaseTerm = 0;
            } catch (RuntimeException e) {
                // The leases then expire as if this instance had died.
                LOG.debugf("partitions of the log not handed back: %s", e.getMessage());
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

    /** Whether this instance processes some of the log now (holds the lease of a partition). */
    public boolean processesHere() {
        return !partitions.held().isEmpty();
    }

    /** How many of the log's partitions this instance processes now. */
    public int partitionsHere() {
        return partitions.held().size();
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
     * interval, unless this instance has held every partition since the calls were appended). False if
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
                        ? CHECK_WHILE_PROCESSED_HERE
                        : config.processor().pollInterval();
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

        /** {@code leaseTerm}: this instance's term of holding every partition when the request started waiting, 0 if it held fewer. */
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
     * Applies the next micro-batch of the partitions this instance holds (taking or handing back
     * partitions first, when due). True if there may be more to do at once.
     */
    private boolean processNextBatch() {
        balanceWhenDue();
        int limit = batchLimit;
        long started = System.nanoTime();
        List<PendingCalls.Pending> batch;
        try {
            batch = TransientFailures.retry(
                    () -> QuarkusTransaction.requiringNew().call(this::applyNextBatch));
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
        fitBatchesToLease(batch.size(), limit, Duration.ofNanos(System.nanoTime() - started));
        if (heldBack != 0) {
            // The next scan must find what was held back; the calls it waits for are processed elsewhere meanwhile.
            highestProcessed = Math.min(highestProcessed, heldBack - 1);
            return false;
        }
        return batch.size() == limit;
    }

    /**
     * Keeps a batch within a fifth of the lease: one that outlived its lease (a cold start, an
     * overloaded machine) would let another instance take its partitions over, only to wait for
     * it and hand them back. Batches grow back towards the configured size while they are quick.
     */
    private void fitBatchesToLease(int size, int limit, Duration took) {
        long budget = config.processor().lease().toNanos() / 5;
        if (took.toNanos() > budget && size > 0) {
            batchLimit = (int) Math.max(SMALLEST_BATCH, size * budget / took.toNanos());
        } else if (size == limit) {
            batchLimit = Math.min(config.processor().batchSize(), limit * 2);
        }
    }

    /**
     * One transaction: renew the leases, apply the oldest calls of the partitions held, remove
     * them. Null if no partition is held. Calls that must wait for a call processed elsewhere are
     * left for a later batch (see {@link #mayGoNow}).
     */
    private List<PendingCalls.Pending> applyNextBatch() {
        heldBack = 0;
        if (!renewLeases()) {
            return null;
        }
        List<PendingCalls.Pending> oldest = log.oldest(partitions.held(), scanFrom(), batchLimit);
        List<PendingCalls.Pending> batch = mayGoNow(oldest);
        if (batch.size() < oldest.size()) {
            Set<Long> going = new HashSet<>();
            batch.forEach(pending -> going.add(pending.id()));
            heldBack = oldest.stream()
                    .mapToLong(PendingCalls.Pending::id)
                    .filter(id -> !going.contains(id))
                    .min()
                    .orElseThrow();
        }
        apply(batch);
        return batch;
    }

    /**
     * The calls of a batch that can be applied now, in their order. A call whose user has an
     * earlier call waiting in a partition that another instance processes waits for it; so does
     * every later call of the batch that shares an id with a waiting call (the same user) or its
     * partition (where an account's calls are), so that no user or account sees its calls
     * applied out of order.
     */
    private List<PendingCalls.Pending> mayGoNow(List<PendingCalls.Pending> batch) {
        Set<Long> behind = log.behindCallsElsewhere(batch, partitions.held());
        if (behind.isEmpty()) {
            return batch;
        }
        Set<Integer> waitingPartitions = new HashSet<>();
        Set<String> waitingIds = new HashSet<>();
        List<PendingCalls.Pending> now = new ArrayList<>(batch.size());
        for (PendingCalls.Pending pending : batch) {
            SegmentCall call = pending.call();
            List<String> ids = Stream.of(call.userId(), call.anonymousId(), call.previousId())
                    .filter(Objects::nonNull)
                    .toList();
            if (behind.contains(pending.id())
                    || waitingPartitions.contains(pending.partition())
                    || ids.stream().anyMatch(waitingIds::contains)) {
                waitingPartitions.add(pending.partition());
                waitingIds.addAll(ids);
            } else {
                now.add(pending);
            }
        }
        return now;
    }

    /** Renews the leases of the partitions held; false if there are none, or if one was lost (then a balance follows at once). */
    private boolean renewLeases() {
        if (partitions.renew(config.processor().lease())) {
            return true;
        }
        if (!partitions.held().isEmpty()) {
            nextBalance = Instant.MIN;
        }
        return false;
    }

    /**
     * Once a second, in a transaction of its own between two batches: says this instance is
     * alive, takes or hands back partitions to hold its fair share. Holding other partitions than
     * before, it scans the log from its beginning next.
     */
    private void balanceWhenDue() {
        Instant now = Instant.now();
        if (now.isBefore(nextBalance)) {
            return;
        }
        nextBalance = now.plus(BALANCE_EVERY);
        Set<Integer> before = partitions.held();
        Set<Integer> after = TransientFailures.retry(() -> QuarkusTransaction.requiringNew()
                .call(() -> partitions.balance(config.processor().lease())));
        if (!after.equals(before)) {
            nextFullScan = Instant.MIN;
            LOG.infof(
                    "this instance now processes %d of the %d partitions of the log",
                    after.size(), LogPartitions.COUNT);
        }
        if (partitions.holdsAll() != (leaseTerm != 0)) {
            leaseTerm = partitions.holdsAll() ? ++leaseTermsTaken : 0;
        }
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
        List<PendingCalls.Pending> batch = QuarkusTransaction.requiringNew().call(() -> {
            if (!renewLeases()) {
                return List.<PendingCalls.Pending>of();
            }
            return mayGoNow(log.oldest(partitions.held(), 0, config.processor().batchSize()));
        });
        for (PendingCalls.Pending pending : batch) {
            try {
                Boolean applied = TransientFailures.retry(
                        () -> QuarkusTransaction.requiringNew().call(() -> {
                            if (!renewLeases()) {
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
                try (LogContext context = LogContext.ofAccount(pending.call().groupId())) {
                    LOG.errorf(
                            e,
                            "call %s (messageId %s) failed when processed and is set aside; the calls after it go on",
                            pending.id(),
                            pending.call().messageId());
                }
                log.setAside(pending.id(), String.valueOf(e), Instant.now());
                CALLS_SET_ASIDE.increment();
                signalProcessed(List.of(pending));
            }
        }
    }

    private void refreshBacklog() {
        try {
            backlog = log.backlog();
        } catch (RuntimeException | Error e) {
            // The database may be away; the last figure stands until it is back (and the meter runs on).
            LOG.debugf("processing backlog not measured: %s", e.getMessage());
        }
    }

    /**
     * The instance that processes the log's first partition also vacuums it, once enough calls
     * were processed here since the last time: scans of the log otherwise step over every
     * processed call's dead row.
     */
    private void vacuumWhenDue() {
        long processed = (long) CALLS_PROCESSED.count();
        if (partitions.held().contains(0) && processed - processedAtLastVacuum >= VACUUM_EVERY_CALLS) {
            processedAtLastVacuum = processed;
            try {
                log.vacuum();
            } catch (RuntimeException | Error e) {
                // Autovacuum, where it is on, still reclaims the rows; processing goes on either way.
                LOG.warnf("the log of pending calls was not vacuumed: %s", e.getMessage());
            }
        }
    }

    /** The calls' effects are committed: the next scan starts near them, and requests waiting for them are told. */
    private void committed(List<PendingCalls.Pending> batch) {
        if (!batch.isEmpty()) {
            highestProcessed =
                    Math.max(highestProcessed, batch.get(batch.size() - 1).id());
        }
        signalProcessed(batch);
    }

    private void signalProcessed(List<PendingCalls.Pending> batch) {
        if (batch.isEmpty() || waiters.isEmpty()) {
            return;
        }
        List<String> messageIds =
                batch.stream().map(pending -> pending.call().messageId()).toList();
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
