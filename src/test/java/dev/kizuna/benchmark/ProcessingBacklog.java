package dev.kizuna.benchmark;

import java.time.Duration;
import java.util.Map;

/**
 * The instance's processing stage as its metrics show it: the calls acknowledged but not yet
 * processed, and a wait for it to catch up with what was sent.
 */
final class ProcessingBacklog {

    static final String LAG_EVENTS = "kizuna_ingest_lag_events";
    static final String LAG_SECONDS = "kizuna_ingest_lag_seconds";
    static final String PROCESSED = "kizuna_ingest_processed_total";
    static final String SET_ASIDE = "kizuna_ingest_set_aside_events";

    /** A backlog that shrinks by nothing for this long is stuck, not slow. */
    private static final Duration STALL = Duration.ofSeconds(60);

    private static final long LOOK_EVERY_MILLIS = 100;

    private ProcessingBacklog() {}

    /** Calls processed so far, counted by the instance; the figure to pass to {@link #awaitDrained} after sending. */
    static double processed(KizunaClient kizuna) throws Exception {
        return kizuna.metric(PROCESSED);
    }

    /**
     * Waits until the instance has processed at least {@code processed} calls in all and its lag
     * gauge reads 0 calls waiting; returns the {@link System#nanoTime()} at which the count was first
     * seen reached. The count is the precise signal (it moves with every micro-batch); the gauge is
     * refreshed about once a second, so it confirms the drain rather than times it, and a stale 0
     * read before the last calls were counted cannot end the wait early. Fails when processing
     * makes no progress for a minute.
     */
    static long awaitDrained(KizunaClient kizuna, double processed) throws Exception {
        long caughtUp = -1;
        double lastProcessed = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            Map<String, Double> now = kizuna.metrics(PROCESSED, LAG_EVENTS, SET_ASIDE);
            long at = System.nanoTime();
            double processedNow = now.get(PROCESSED);
            if (caughtUp < 0 && processedNow >= processed) {
                caughtUp = at;
            }
            if (caughtUp >= 0 && now.get(LAG_EVENTS) == 0) {
                return caughtUp;
            }
            if (processedNow > lastProcessed) {
                lastProcessed = processedNow;
                lastProgress = at;
            } else if (at - lastProgress > STALL.toNanos()) {
                throw new AssertionError(String.format(
                        "processing made no progress for %d s: %,.0f of %,.0f calls processed, %,.0f waiting,"
                                + " %,.0f set aside as failed; see the instance's log",
                        STALL.toSeconds(), processedNow, processed, now.get(LAG_EVENTS), now.get(SET_ASIDE)));
            }
            // A hand-written poll on purpose: it fails on a minute without progress, not after a fixed time, and times
            // the catch-up.
            Thread.sleep(LOOK_EVERY_MILLIS);
        }
    }
}
