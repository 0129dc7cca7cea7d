package dev.kizuna.benchmark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.PackagedKizuna;
import dev.kizuna.benchmark.micro.MicroMeasures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Kizuna against the bar of PRODUCT.md, in one run: the packaged application on a fresh
 * PostgreSQL database, each figure next to a raw baseline measured in the same run where there is
 * one. Prints a table and writes target/benchmark/results.json; the instance logs to
 * target/instance-18201.log. Run with {@code mvn verify -Pbenchmark}.
 */
class KizunaBenchmark {

    private static final String DATABASE = "kizuna_benchmark";
    private static final int PORT = 18201;
    private static final int SECOND_PORT = 18202;
    private static final int SMTP_PORT = 18225;
    private static final String HEAP = "512m";
    private static final int ACCOUNTS = Integer.getInteger("benchmark.accounts", 1_000_000);
    private static final Duration INGEST_TIME = Duration.ofSeconds(Integer.getInteger("benchmark.ingest-seconds", 30));
    private static final Duration PROCESSING_TIME =
            Duration.ofSeconds(Integer.getInteger("benchmark.processing-seconds", 60));
    private static final int PROCESSING_EVENTS_PER_SECOND = Integer.getInteger("benchmark.processing-rate", 5_000);
    private static final Duration SWEEP_TIME = Duration.ofSeconds(Integer.getInteger("benchmark.sweep-seconds", 180));
    /** Threads of the instance that sweep pages of a firing (kizuna.rules.sweep-workers; its default, 2, unless set). */
    private static final String SWEEP_WORKERS = System.getProperty("benchmark.sweep-workers", "2");

    private static final int EMAILS = Integer.getInteger("benchmark.emails", 5_000);
    private static final int FOLLOWED_MESSAGES = Integer.getInteger("benchmark.followed-messages", 1_000_000);
    /** Kizuna's default kizuna.delivery.senders: the raw baseline opens as many connections. */
    private static final int EMAIL_SENDERS = 4;
    /** A rate below what one instance keeps up with, for the latency of a loaded but not overloaded instance. */
    private static final int SUSTAINED_EVENTS_PER_SECOND = Integer.getInteger("benchmark.sustained-rate", 100);

    /** The measures to run, by name (ingest, processing, just-in-time, email, sweep, attribution, micro): all unless some are named. */
    private static final Set<String> MEASURES = Set.of(
            System.getProperty("benchmark.measures", "ingest,processing,just-in-time,email,sweep,attribution,micro")
                    .split(","));
    /** When set, the instance records a flight recording into this file, for profiling. */
    private static final String FLIGHT_RECORDING = System.getProperty("benchmark.flight-recording");

    private static Process instance;
    private static SmtpSink smtp;

    @AfterAll
    static void stop() throws InterruptedException {
        if (instance != null) {
            instance.destroyForcibly().waitFor();
        }
        if (smtp != null) {
            smtp.close();
        }
    }

    /**
     * A second instance on the same database, with the same rules and sweep workers, for a firing
     * both sweep; it processes no events (the first holds the log's partitions) and stops when closed.
     */
    private static AutoCloseable secondInstance(Map<String, String> settings) throws Exception {
        Map<String, String> second = new HashMap<>(settings);
        second.remove("JAVA_TOOL_OPTIONS");
        second.put("KIZUNA_INGEST_PROCESSOR_ENABLED", "false");
        Process process = PackagedKizuna.start(SECOND_PORT, DATABASE, HEAP, second);
        PackagedKizuna.awaitReady(SECOND_PORT);
        return () -> {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        };
    }

    @Test
    void kizunaAgainstTheBarAndTheRawBaselines() throws Exception {
        BenchmarkReport report = new BenchmarkReport();
        smtp = SmtpSink.start(SMTP_PORT);
        Path rules =
                BenchmarkRules.write(Path.of("target", "benchmark", "rules").toAbsolutePath());
        PackagedKizuna.freshDatabase(DATABASE);
        Map<String, String> settings = new HashMap<>(Map.of(
                "KIZUNA_BOOTSTRAP_WRITE_KEY",
                KizunaClient.WRITE_KEY,
                "KIZUNA_BOOTSTRAP_ADMIN_KEY",
                KizunaClient.ADMIN_KEY,
                "KIZUNA_SECURITY_API_RATE_LIMIT",
                "0",
                "KIZUNA_RULES_DIR",
                rules.toString(),
                "KIZUNA_TEMPLATES_DIR",
                Path.of("templates").toAbsolutePath().toString(),
                "KIZUNA_SMTP_HOST",
                "127.0.0.1",
                "KIZUNA_SMTP_PORT",
                Integer.toString(SMTP_PORT),
                "KIZUNA_DELIVERY_POLL_INTERVAL",
                "1s",
                "KIZUNA_RULES_SWEEP_WORKERS",
                SWEEP_WORKERS));
        if (FLIGHT_RECORDING != null) {
            settings.put(
                    "JAVA_TOOL_OPTIONS",
                    "-XX:StartFlightRecording=filename="
                            + Path.of(FLIGHT_RECORDING).toAbsolutePath() + ",settings=profile,dumponexit=true");
        }
        instance = PackagedKizuna.start(PORT, DATABASE, HEAP, settings);
        PackagedKizuna.awaitReady(PORT);
        KizunaClient kizuna = new KizunaClient(PORT);
        BenchmarkDatabase database = new BenchmarkDatabase(DATABASE);
        report.addMachineFact("postgresql", database.setting("server_version"));
        report.addMachineFact("postgresql autovacuum", database.setting("autovacuum"));

        try (MemorySampler memory = new MemorySampler(kizuna, instance.pid());
                AutoCloseable autoanalyze = database.autoanalyzeUnlessAutovacuum()) {
            IngestMeasure ingest = new IngestMeasure(kizuna, DATABASE, 8);
            ingest.warmUp(Duration.ofSeconds(10));
            database.analyzeUnlessAutovacuum();
            if (MEASURES.contains("ingest")) {
                ingest.measure(INGEST_TIME).forEach(report::add);
                database.analyzeUnlessAutovacuum();
            }
            if (MEASURES.contains("processing")) {
                new ProcessingMeasure(kizuna)
                        .measure(PROCESSING_EVENTS_PER_SECOND, PROCESSING_TIME)
                        .forEach(report::add);
            }
            if (MEASURES.contains("just-in-time")) {
                JustInTimeMeasure justInTime = new JustInTimeMeasure(kizuna);
                justInTime.measure("warm-up", 100, Duration.ofSeconds(5));
                database.analyzeUnlessAutovacuum();
                justInTime
                        .measure("at-target", JustInTimeMeasure.TARGET_RATE, Duration.ofSeconds(20))
                        .forEach(report::add);
                database.analyzeUnlessAutovacuum();
                justInTime
                        .measure("sustained", SUSTAINED_EVENTS_PER_SECOND, Duration.ofSeconds(20))
                        .forEach(report::add);
            }
            if (MEASURES.contains("email")) {
                report.add(new EmailMeasure(DATABASE, SMTP_PORT, smtp.name(), EMAIL_SENDERS).measure(EMAILS));
            }
            if (MEASURES.contains("sweep")) {
                SweepMeasure sweep = new SweepMeasure(kizuna, DATABASE);
                double generated = sweep.generate(ACCOUNTS);
                System.out.printf("generated %,d accounts in %.0f s%n", ACCOUNTS, generated);
                sweep.measure(ACCOUNTS, SWEEP_TIME, () -> secondInstance(settings))
                        .forEach(report::add);
            }
            if (MEASURES.contains("attribution")) {
                new AttributionMeasure(kizuna, DATABASE)
                        .measure(FOLLOWED_MESSAGES)
                        .forEach(report::add);
            }
            assertTrue(instance.isAlive(), "the instance survived the run; see " + PackagedKizuna.logOf(PORT));
            for (BenchmarkReport.Figure figure :
                    memory.figures(String.format("with %,d accounts", ACCOUNTS), 512L << 20)) {
                report.add(figure);
            }
        }
        // Stopped, not killed, so that a flight recording is written out.
        instance.destroy();
        if (!instance.waitFor(60, TimeUnit.SECONDS)) {
            instance.destroyForcibly().waitFor();
        }
        instance = null;

        for (MicroMeasures.Result micro :
                MEASURES.contains("micro") ? MicroMeasures.run() : List.<MicroMeasures.Result>of()) {
            report.add(new BenchmarkReport.Figure(
                    micro.name() + " (JMH)",
                    "ns/op",
                    micro.nanosPerOperation(),
                    null,
                    "",
                    true,
                    Map.of("error", micro.error())));
        }

        System.out.println();
        System.out.println(report.table());
        Path results = Path.of("target", "benchmark", "results.json");
        report.write(results);
        System.out.println("written to " + results.toAbsolutePath());
        assertTrue(Files.size(results) > 0);
    }
}
