package dev.kizuna.benchmark;

import dev.kizuna.PackagedKizuna;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Events per second through {@code /v1/batch} from concurrent HTTP clients, for a fixed time,
 * against the raw baseline: the same number of rows inserted as plain JDBC batches, from as many
 * threads, into a copy of Kizuna's raw event table in the same database. A batch counts once it
 * is acknowledged (durably in the log of pending calls); the processing behind the log is
 * measured by waiting, after the senders stop, until the backlog has drained: how long that took,
 * the rate of processing over sending and draining together, and the SQL statements of both.
 */
final class IngestMeasure {

    static final int BATCH = 100;
    private static final int ACCOUNTS = 1_000;

    private final KizunaClient kizuna;
    private final String database;
    private final int clients;

    IngestMeasure(KizunaClient kizuna, String database, int clients) {
        this.kizuna = kizuna;
        this.database = database;
        this.clients = clients;
    }

    /** Sends for a while and waits until it is processed, so that the run starts with an empty backlog. */
    void warmUp(Duration time) throws Exception {
        double processedBefore = ProcessingBacklog.processed(kizuna);
        Sent sent = sendFor("warm-up", time);
        ProcessingBacklog.awaitDrained(kizuna, processedBefore + sent.events);
    }

    /**
     * Acknowledged events per second against the raw insert; the time the backlog took to drain
     * after the senders stopped; events processed per second over sending and draining; and the
     * SQL statements each event cost, acknowledging and processing.
     */
    List<BenchmarkReport.Figure> measure(Duration run) throws Exception {
        Map<String, Double> before = kizuna.metrics(STATEMENTS, ProcessingBacklog.PROCESSED);
        Sent sent = sendFor("run", run);
        long sendersStopped = System.nanoTime();
        long drained = ProcessingBacklog.awaitDrained(kizuna, before.get(ProcessingBacklog.PROCESSED) + sent.events);
        double statements = kizuna.metric(STATEMENTS) - before.get(STATEMENTS);
        double drainSeconds = Math.max(0, drained - sendersStopped) / 1e9;
        double kizunaRate = sent.events / sent.seconds;
        double processingRate = sent.events / (sent.seconds + drainSeconds);
        double rawRate = insertRaw(sent.events);
        boolean met = kizunaRate >= 10_000 && kizunaRate / rawRate >= 0.5;
        double perEvent = statements / sent.events;
        Map<String, Object> details = Map.of(
                "events",
                sent.events,
                "sendSeconds",
                sent.seconds,
                "drainSeconds",
                drainSeconds,
                "batch",
                BATCH,
                "clients",
                clients,
                "accounts",
                ACCOUNTS);
        return List.of(
                new BenchmarkReport.Figure(
                        "ingest through /v1/batch, " + clients + " clients",
                        "events/s",
                        kizunaRate,
                        rawRate,
                        ">= 10,000/s and >= 0.50 of raw",
                        met,
                        details),
                new BenchmarkReport.Figure(
                        "ingest: backlog drained after senders stopped", "s", drainSeconds, null, "", true, details),
                new BenchmarkReport.Figure(
                        "ingest: processed over send + drain time",
                        "events/s",
                        processingRate,
                        null,
                        "",
                        true,
                        details),
                // The raw baseline sends one batched insert per 100 rows: 0.01 statements a row.
                new BenchmarkReport.Figure(
                        "SQL statements per event at batch " + BATCH,
                        "statements",
                        perEvent,
                        1.0 / BATCH,
                        "<= 1",
                        perEvent <= 1,
                        Map.of(
                                "statements",
                                statements,
                                "events",
                                sent.events,
                                "covers",
                                "acknowledging and processing")));
    }

    /** Every statement Kizuna sends through Hibernate, counted by the instance itself. */
    private static final String STATEMENTS = "kizuna_database_statements_total";

    private record Sent(int events, double seconds) {}

    /** Batches of track events from every client until the time is up; every batch must be answered 200. */
    private Sent sendFor(String run, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger nextBatch = new AtomicInteger();
        long started = System.nanoTime();
        long deadline = started + duration.toNanos();
        List<Future<Integer>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                int sent = 0;
                while (System.nanoTime() < deadline) {
                    int status = kizuna.postAsProduct("/v1/batch", batchBody(run, nextBatch.getAndIncrement()));
                    if (status == 503) {
                        throw new AssertionError(
                                "a batch was refused (503): processing fell further behind than kizuna.ingest.max-lag;"
                                        + " run ingest for less time");
                    }
                    if (status != 200) {
                        throw new AssertionError("a batch was answered " + status);
                    }
                    sent += BATCH;
                }
                return sent;
            }));
        }
        int events = 0;
        for (Future<Integer> worker : workers) {
            events += worker.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        return new Sent(events, seconds);
    }

    /**
     * As a real Segment integration sends them: each batch mixes users of accounts drawn at random,
     * in random order, so that concurrent batches share accounts and users.
     */
    static String batchBody(String run, int batch) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < BATCH; i++) {
            int n = batch * BATCH + i;
            int account = random.nextInt(ACCOUNTS);
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"type\":\"track\",\"event\":\"Task Done\",\"userId\":\"u")
                    .append(account)
                    .append('-')
                    .append(random.nextInt(5))
                    .append("\",\"messageId\":\"")
                    .append(run)
                    .append('-')
                    .append(n)
                    .append("\",\"properties\":{\"task\":")
                    .append(n)
                    .append("},\"context\":{\"groupId\":\"a")
                    .append(account)
                    .append("\"}}");
        }
        return body.append("]}").toString();
    }

    /** The same number of rows as plain JDBC batches into a table shaped like Kizuna's raw events; rows per second. */
    private double insertRaw(int events) throws Exception {
        try (Connection db = PackagedKizuna.connect(database);
                Statement statement = db.createStatement()) {
            statement.execute("create table raw_event (like event including all)");
        }
        ExecutorService writers = Executors.newFixedThreadPool(clients);
        int batches = events / BATCH;
        long started = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < clients; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                try (Connection db = PackagedKizuna.connect(database);
                        PreparedStatement insert = db.prepareStatement(
                                "insert into raw_event (message_id, type, name, user_id, account_id, "
                                        + "payload, occurred_at, received_at) values (?, 'track', 'Task Done', ?, ?, ?, ?, ?)")) {
                    db.setAutoCommit(false);
                    for (int b = writer; b < batches; b += clients) {
                        for (int i = 0; i < BATCH; i++) {
                            int n = b * BATCH + i;
                            Timestamp now = Timestamp.from(Instant.now());
                            insert.setString(1, "raw-" + n);
                            insert.setString(2, "u" + (n % ACCOUNTS) + "-" + (n % 5));
                            insert.setString(3, "a" + (n % ACCOUNTS));
                            insert.setString(4, "{\"properties\":{\"task\":" + n + "}}");
                            insert.setTimestamp(5, now);
                            insert.setTimestamp(6, now);
                            insert.addBatch();
                        }
                        insert.executeBatch();
                        db.commit();
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : done) {
            writer.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        writers.shutdown();
        try (Connection db = PackagedKizuna.connect(database);
                Statement statement = db.createStatement()) {
            statement.execute("drop table raw_event");
        }
        return batches * BATCH / seconds;
    }
}
