package dev.kizuna.benchmark;

import dev.kizuna.PackagedKizuna;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Ingestion throughput of the packaged application on PostgreSQL, next to a raw baseline measured
 * in the same run: the same rows inserted with plain JDBC batches by as many threads. Writes
 * target/benchmark/ingest.json and prints a table; the instance logs to target/instance-18201.log. Run with {@code mvn verify -Pbenchmark}.
 */
class IngestBenchmark {

    private static final String DATABASE = "kizuna_benchmark";
    private static final int PORT = 18201;
    private static final String WRITE_KEY = "benchmark-write-key";
    private static final int CLIENTS = Integer.getInteger("benchmark.clients", 8);
    private static final int BATCH = 100;
    private static final int EVENTS = Integer.getInteger("benchmark.events", 100_000);
    private static final int ACCOUNTS = 1_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Process instance;

    @AfterAll
    static void stop() throws InterruptedException {
        if (instance != null) {
            instance.destroyForcibly().waitFor();
        }
    }

    @Test
    void ingestThroughputAgainstARawJdbcBatchInsert() throws Exception {
        PackagedKizuna.freshDatabase(DATABASE);
        instance = PackagedKizuna.start(PORT, DATABASE, "512m", Map.of("KIZUNA_BOOTSTRAP_WRITE_KEY", WRITE_KEY));
        PackagedKizuna.awaitReady(PORT);

        sendThroughKizuna("warm-up", 5_000);
        double kizuna = sendThroughKizuna("run", EVENTS);
        double raw = insertRaw(EVENTS);

        double ratio = kizuna / raw;
        String table = String.format(Locale.ROOT, """
                %-42s %12s %12s %8s %s
                %-42s %12.0f %12.0f %8.2f %s
                """, "measure", "kizuna", "raw", "ratio", "target",
                "ingest events/s (/v1/batch, " + CLIENTS + " clients)", kizuna, raw, ratio, ">= 10000/s and >= 0.50");
        System.out.println(table);
        Files.createDirectories(Path.of("target", "benchmark"));
        Files.writeString(Path.of("target", "benchmark", "ingest.json"), String.format(Locale.ROOT,
                "{\"measure\":\"ingest\",\"events\":%d,\"clients\":%d,\"batch\":%d,\"kizunaEventsPerSecond\":%.1f,"
                        + "\"rawEventsPerSecond\":%.1f,\"ratio\":%.3f,\"processors\":%d,\"at\":\"%s\"}%n",
                EVENTS, CLIENTS, BATCH, kizuna, raw, ratio, Runtime.getRuntime().availableProcessors(), Instant.now()));
    }

    /** Track events for ACCOUNTS accounts in batches of BATCH from CLIENTS threads; events per second. */
    private static double sendThroughKizuna(String run, int events) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        int batches = events / BATCH;
        long started = System.nanoTime();
        List<Future<Integer>> answers = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            int batch = b;
            answers.add(clients.submit(() -> post(batchBody(run, batch))));
        }
        for (Future<Integer> answer : answers) {
            int status = answer.get();
            if (status != 200) {
                throw new AssertionError("a batch was answered " + status);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        clients.shutdown();
        return batches * BATCH / seconds;
    }

    private static String batchBody(String run, int batch) {
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < BATCH; i++) {
            int n = batch * BATCH + i;
            int account = n % ACCOUNTS;
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"type\":\"track\",\"event\":\"Task Done\",\"userId\":\"u").append(account).append('-').append(n % 5)
                    .append("\",\"messageId\":\"").append(run).append('-').append(n)
                    .append("\",\"properties\":{\"task\":").append(n).append("},\"context\":{\"groupId\":\"a").append(account).append("\"}}");
        }
        return body.append("]}").toString();
    }

    /** The same rows, inserted as plain JDBC batches into a table shaped like Kizuna's raw events. */
    private static double insertRaw(int events) throws Exception {
        try (Connection db = PackagedKizuna.connect(DATABASE);
                Statement statement = db.createStatement()) {
            statement.execute("create table raw_event (like event including all)");
        }
        ExecutorService writers = Executors.newFixedThreadPool(CLIENTS);
        int batches = events / BATCH;
        long started = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < CLIENTS; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                try (Connection db = PackagedKizuna.connect(DATABASE);
                        PreparedStatement insert = db.prepareStatement("insert into raw_event (message_id, type, name, user_id, account_id, "
                                + "payload, occurred_at, received_at) values (?, 'track', 'Task Done', ?, ?, ?, ?, ?)")) {
                    db.setAutoCommit(false);
                    for (int b = writer; b < batches; b += CLIENTS) {
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
        return batches * BATCH / seconds;
    }

    private static int post(String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/v1/batch"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

}
