package dev.kizuna.benchmark;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * Event received → nudge fetchable, at a fixed rate: each event of a new user triggers the
 * benchmark's in-app rule; the latency runs from the moment the event was due to be sent (so that
 * a slow answer delays the clock of the events behind it, not hides them) until
 * {@code GET /v1/nudges} returns the nudge, asked once the event's answer says it was decided.
 */
final class JustInTimeMeasure {

    static final String EVENT = "Benchmark Ping";
    static final int TARGET_RATE = 500;

    private final KizunaClient kizuna;

    JustInTimeMeasure(KizunaClient kizuna) {
        this.kizuna = kizuna;
    }

    /** Events of new users ({@code <run>-<n>}) at a fixed rate; the latency figures of the run. */
    List<BenchmarkReport.Figure> measure(String run, int eventsPerSecond, Duration duration) throws Exception {
        int events = (int) (eventsPerSecond * duration.toSeconds());
        long intervalNanos = 1_000_000_000L / eventsPerSecond;
        ExecutorService senders = Executors.newFixedThreadPool(128);
        long start = System.nanoTime() + 200_000_000L;
        List<Future<Long>> latencies = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            long due = start + i * intervalNanos;
            String user = "jit-" + run + "-" + i;
            latencies.add(senders.submit(() -> {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                return untilNudgeFetchable(user, due);
            }));
        }
        long[] nanos = new long[events];
        for (int i = 0; i < events; i++) {
            nanos[i] = latencies.get(i).get();
        }
        senders.shutdown();
        Arrays.sort(nanos);
        double p50 = millis(nanos[(int) (events * 0.50)]);
        double p99 = millis(nanos[(int) Math.min(events - 1, Math.ceil(events * 0.99) - 1)]);
        double max = millis(nanos[events - 1]);
        Map<String, Object> details =
                Map.of("events", events, "eventsPerSecond", eventsPerSecond, "p50Ms", p50, "p99Ms", p99, "maxMs", max);
        String load = " at " + eventsPerSecond + " events/s";
        return List.of(
                new BenchmarkReport.Figure("event → nudge fetchable p50" + load, "ms", p50, null, "", true, details),
                // The bar of PRODUCT.md is set at 500 events/s; other rates are for reference.
                new BenchmarkReport.Figure(
                        "event → nudge fetchable p99" + load,
                        "ms",
                        p99,
                        null,
                        eventsPerSecond == TARGET_RATE ? "<= 50 ms" : "",
                        eventsPerSecond != TARGET_RATE || p99 <= 50,
                        details),
                new BenchmarkReport.Figure("event → nudge fetchable max" + load, "ms", max, null, "", true, details));
    }

    /**
     * The event is sent with {@code ?wait=decided}, the way a caller that must read its own
     * effects at once asks for them, and the nudge is fetched once. Polling for the nudge instead
     * would compete for the instance's threads, connections and cores with the processing behind
     * the log that it waits for.
     */
    private long untilNudgeFetchable(String user, long due) throws Exception {
        String event = """
                {"userId":"%s","event":"%s","messageId":"%s","context":{"groupId":"jit-account-%d"}}""".formatted(user, EVENT, user, Math.abs(user.hashCode()) % 100);
        HttpResponse<String> answer = kizuna.postAsProductAndRead("/v1/track?wait=decided", event);
        if (answer.statusCode() != 200) {
            throw new AssertionError("a just-in-time event was answered " + answer.statusCode()
                    + " (not decided in time): " + answer.body());
        }
        HttpResponse<String> nudges = kizuna.getAsProduct("/v1/nudges?userId=" + user);
        if (nudges.statusCode() != 200 || !nudges.body().contains("\"messageId\"")) {
            throw new AssertionError("no nudge for " + user + " once its event was decided: " + nudges.statusCode()
                    + " " + nudges.body());
        }
        return System.nanoTime() - due;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
