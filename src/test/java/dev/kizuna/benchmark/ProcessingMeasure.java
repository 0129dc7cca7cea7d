package dev.kizuna.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Processing behind the log under a steady load: track events like the ingest measure's (users of
 * shared accounts, mixed) offered at a fixed rate as paced {@code /v1/batch} requests of 100, for
 * a fixed time. Every second the instance's lag gauges are sampled. Every 100 ms a probe sends one
 * more event, of a new user, with {@code ?wait=decided}; it triggers the benchmark's in-app rule,
 * and its latency runs from the moment it was due (so that a slow answer cannot hide the probes
 * behind it) until the answer says it was decided.
 *
 * <p>The lag counts as bounded when its age stays under 5 s and does not grow through the run: the
 * least-squares line through the sampled ages rises by less than 1 s from the first sample to the
 * last. Processing that is slower than the load by any steady share ages the backlog linearly, so
 * a rising line is what falling behind looks like; a single stall (a checkpoint, a pause) shows in
 * the maximum instead.
 */
final class ProcessingMeasure {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROBE_EVERY = Duration.ofMillis(100);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    private static final double MAX_LAG_SECONDS = 5;
    private static final double MAX_LAG_GROWTH_SECONDS = 1;
    private static final double MAX_DECISION_P99_MILLIS = 1_000;
    /** Below this share of the rate asked for, the sender did not offer the load (it is client-bound or was held up by answers). */
    private static final double RATE_REACHED = 0.98;

    private static final int SENDERS = 32;

    private final KizunaClient kizuna;

    ProcessingMeasure(KizunaClient kizuna) {
        this.kizuna = kizuna;
    }

    private record Sent(int status, long sentAt) {}

    private record Probe(int status, boolean decided, long latencyNanos) {}

    private record LagSample(double atSeconds, double events, double seconds) {}

    /** The load as offered, the lag it left, the refusals and the probes' latency; waits for the backlog to drain before it returns. */
    List<BenchmarkReport.Figure> measure(int eventsPerSecond, Duration duration) throws Exception {
        double processedBefore = ProcessingBacklog.processed(kizuna);
        int batches = (int) (eventsPerSecond * duration.toSeconds() / IngestMeasure.BATCH);
        long batchInterval = 1_000_000_000L * IngestMeasure.BATCH / eventsPerSecond;
        int probes = (int) (duration.toNanos() / PROBE_EVERY.toNanos());
        long start = System.nanoTime() + 200_000_000L;

        List<LagSample> lag = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> sampleLag(start, lag),
                Math.max(0, start - System.nanoTime()),
                SAMPLE_EVERY.toNanos(),
                TimeUnit.NANOSECONDS);
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<Future<Sent>> sending = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            long due = start + i * batchInterval;
            String body = IngestMeasure.batchBody("processing", i);
            sending.add(senders.submit(() -> {
                awaitDue(due);
                long sentAt = System.nanoTime();
                return new Sent(kizuna.postAsProduct("/v1/batch", body), sentAt);
            }));
        }
        // A probe may wait for its decision as long as the backlog ahead of it: each gets a thread when it comes due,
        // so
        // that probes waiting never hold back the ones behind them.
        ExecutorService probers = Executors.newCachedThreadPool();
        List<CompletableFuture<Probe>> probing = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            long due = start + i * PROBE_EVERY.toNanos();
            String user = "probe-" + i;
            probing.add(CompletableFuture.supplyAsync(
                    () -> probe(user, due),
                    CompletableFuture.delayedExecutor(
                            Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS, probers)));
        }

        int acknowledged = 0;
        int refused = 0;
        long lastSentAt = start;
        for (Future<Sent> send : sending) {
            Sent sent = send.get();
            lastSentAt = Math.max(lastSentAt, sent.sentAt);
            if (sent.status == 200) {
                acknowledged += IngestMeasure.BATCH;
            } else if (sent.status == 503) {
                refused++;
            } else {
                throw new AssertionError("a paced batch was answered " + sent.status);
            }
        }
        // The run ends with the last batch's answer: the lag is sampled over the run only, not while the backlog
        // drains.
        long sendingEnded = System.nanoTime();
        sampler.shutdown();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
        senders.shutdown();
        // The load as offered: events sent over the time they took to send, one interval per batch when all were on
        // time.
        double offeredRate = batches * (double) IngestMeasure.BATCH / ((lastSentAt - start + batchInterval) / 1e9);
        List<Long> answered = new ArrayList<>();
        int probesDecided = 0;
        int probesRefused = 0;
        for (Future<Probe> result : probing) {
            Probe probe = result.get();
            if (probe.status == 503) {
                probesRefused++;
            } else {
                answered.add(probe.latencyNanos);
                probesDecided += probe.decided ? 1 : 0;
            }
        }
        probers.shutdown();
        if (answered.isEmpty()) {
            throw new AssertionError("every probe was refused (503)");
        }
        // The probes near the end of the log are answered as processing reaches them, so the drain is seen
        // within about one look (0.1 s) of its end even though the probes are awaited first.
        long drained = ProcessingBacklog.awaitDrained(kizuna, processedBefore + acknowledged + answered.size());

        List<LagSample> samples = List.copyOf(lag);
        double maxLagSeconds =
                samples.stream().mapToDouble(LagSample::seconds).max().orElse(0);
        double maxLagEvents =
                samples.stream().mapToDouble(LagSample::events).max().orElse(0);
        double lagGrowth = growthOverRun(samples);
        // Over the probes acknowledged: a refused probe was never decided, and fails the bar through the count of 503s.
        long[] latencies = answered.stream().mapToLong(Long::longValue).sorted().toArray();
        int n = latencies.length;
        double p50 = millis(latencies[(int) (n * 0.50)]);
        double p99 = millis(latencies[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)]);
        double max = millis(latencies[n - 1]);

        String load = String.format(Locale.ROOT, "processing at %,d/s: ", eventsPerSecond);
        Map<String, Object> offered = new LinkedHashMap<>();
        offered.put("eventsPerSecondAsked", eventsPerSecond);
        offered.put("seconds", duration.toSeconds());
        offered.put("batches", batches);
        offered.put("batch", IngestMeasure.BATCH);
        offered.put("acknowledgedEvents", acknowledged);
        offered.put("lastBatchLateMs", millis(lastSentAt - (start + (batches - 1) * batchInterval)));
        Map<String, Object> lagDetails = new LinkedHashMap<>();
        lagDetails.put("samples", samples.size());
        lagDetails.put("maxLagSeconds", maxLagSeconds);
        lagDetails.put("maxLagEvents", maxLagEvents);
        lagDetails.put("lagGrowthSeconds", lagGrowth);
        lagDetails.put(
                "lagSecondsPerSample", samples.stream().map(LagSample::seconds).toList());
        lagDetails.put("drainSecondsAfterRun", Math.max(0, drained - sendingEnded) / 1e9);
        Map<String, Object> probeDetails = new LinkedHashMap<>();
        probeDetails.put("probes", probes);
        probeDetails.put("decided", probesDecided);
        probeDetails.put("answered202Undecided", n - probesDecided);
        probeDetails.put("refused503", probesRefused);
        probeDetails.put("p50Ms", p50);
        probeDetails.put("p99Ms", p99);
        probeDetails.put("maxMs", max);
        int refusals = refused + probesRefused;
        return List.of(
                new BenchmarkReport.Figure(
                        load + "load offered",
                        "events/s",
                        offeredRate,
                        null,
                        String.format(Locale.ROOT, "%,d/s, paced", eventsPerSecond),
                        offeredRate >= RATE_REACHED * eventsPerSecond,
                        offered),
                new BenchmarkReport.Figure(
                        load + "max lag",
                        "s",
                        maxLagSeconds,
                        null,
                        "< 5 s",
                        maxLagSeconds < MAX_LAG_SECONDS,
                        lagDetails),
                new BenchmarkReport.Figure(
                        load + "lag growth over the run",
                        "s",
                        lagGrowth,
                        null,
                        "< 1 s (least-squares trend)",
                        lagGrowth < MAX_LAG_GROWTH_SECONDS,
                        lagDetails),
                new BenchmarkReport.Figure(load + "max lag", "events", maxLagEvents, null, "", true, lagDetails),
                new BenchmarkReport.Figure(
                        load + "requests answered 503",
                        "requests",
                        refusals,
                        null,
                        "0",
                        refusals == 0,
                        Map.of("batches", refused, "probes", probesRefused)),
                new BenchmarkReport.Figure(
                        load + "event → decision p99",
                        "ms",
                        p99,
                        null,
                        "<= 1000 ms",
                        p99 <= MAX_DECISION_P99_MILLIS && probesRefused == 0,
                        probeDetails));
    }

    /** One event of a new user that triggers the benchmark's in-app rule, answered once decided. */
    private Probe probe(String user, long due) {
        try {
            return decisionOf(user, due);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private Probe decisionOf(String user, long due) throws Exception {
        String event = """
                {"userId":"%s","event":"%s","messageId":"%s","context":{"groupId":"probe-account-%d"}}""".formatted(user, JustInTimeMeasure.EVENT, user, Math.abs(user.hashCode()) % 100);
        awaitDue(due);
        HttpResponse<String> answer = kizuna.postAsProductAndRead("/v1/track?wait=decided", event);
        long latency = System.nanoTime() - due;
        int status = answer.statusCode();
        if (status != 200 && status != 202 && status != 503) {
            throw new AssertionError("a probe was answered " + status + ": " + answer.body());
        }
        boolean decided =
                status == 200 && JSON.readTree(answer.body()).path("decided").asBoolean();
        return new Probe(status, decided, latency);
    }

    private void sampleLag(long start, List<LagSample> lag) {
        try {
            Map<String, Double> now = kizuna.metrics(ProcessingBacklog.LAG_EVENTS, ProcessingBacklog.LAG_SECONDS);
            lag.add(new LagSample(
                    (System.nanoTime() - start) / 1e9,
                    now.get(ProcessingBacklog.LAG_EVENTS),
                    now.get(ProcessingBacklog.LAG_SECONDS)));
        } catch (Exception e) {
            // A sample missed while the instance is busy; the next one counts.
        }
    }

    /** How much the least-squares line through the sampled lag ages rises from the first sample to the last. */
    private static double growthOverRun(List<LagSample> samples) {
        if (samples.size() < 2) {
            return 0;
        }
        double meanAt =
                samples.stream().mapToDouble(LagSample::atSeconds).average().orElse(0);
        double meanLag =
                samples.stream().mapToDouble(LagSample::seconds).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (LagSample sample : samples) {
            covariance += (sample.atSeconds - meanAt) * (sample.seconds - meanLag);
            variance += (sample.atSeconds - meanAt) * (sample.atSeconds - meanAt);
        }
        double span = samples.get(samples.size() - 1).atSeconds - samples.get(0).atSeconds;
        return variance == 0 ? 0 : covariance / variance * span;
    }

    private static void awaitDue(long due) {
        long wait = due - System.nanoTime();
        while (wait > 0) {
            LockSupport.parkNanos(wait);
            wait = due - System.nanoTime();
        }
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
