package dev.kizuna.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL itself stopped and started again while events stream in: the packaged application
 * answers 503 while the database is down, never a 2xx for an event it then loses, and takes events
 * again once the database is back, without a restart.
 */
class DatabaseRestartIT {

    private static final String DATABASE = "kizuna_database_restart";
    private static final int PORT = 18191;
    private static final String WRITE_KEY = "restart-write-key";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Process instance;

    @AfterAll
    static void stop() throws Exception {
        if (instance != null) {
            instance.destroyForcibly().waitFor();
        }
        postgres("start");
    }

    @Test
    void eventsAcknowledgedAroundADatabaseRestartAreAllKept() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster")) && Files.isDirectory(Path.of("/etc/postgresql")),
                "PostgreSQL is not managed by pg_ctlcluster here: the restart cannot be done");
        PackagedKizuna.freshDatabase(DATABASE);
        instance = PackagedKizuna.start(PORT, DATABASE, "256m", Map.of("KIZUNA_BOOTSTRAP_WRITE_KEY", WRITE_KEY));
        PackagedKizuna.awaitReady(PORT);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            int n = 0;
            while (sending.get()) {
                String messageId = "restart-" + n++;
                int status = track(messageId);
                answers.computeIfAbsent(status, key -> new AtomicInteger()).incrementAndGet();
                if (status == 200) {
                    acknowledged.add(messageId);
                }
            }
        });
        load.start();
        // Deliberate time under load: a few seconds before the outage, six seconds of it, two more after recovery.
        Thread.sleep(3000);
        postgres("stop");
        Thread.sleep(6000);
        postgres("start");
        awaitAcknowledgedAfter(acknowledged.size(), Duration.ofSeconds(60));
        Thread.sleep(2000);
        sending.set(false);
        load.join();

        assertTrue(answers.containsKey(503), "the outage was answered 503: " + answers);
        Set<Integer> unexpected = new HashSet<>(answers.keySet());
        unexpected.removeAll(Set.of(200, 503, -1));
        assertEquals(
                Set.of(), unexpected, () -> "only 200 (kept) or 503 (retry later): " + answers + firstIncidentLogged());
        try (Connection db = PackagedKizuna.connect(DATABASE);
                Statement statement = db.createStatement()) {
            Set<String> claimed = strings(statement, "select message_id from ingested_message");
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(claimed);
            assertEquals(
                    Set.of(), lost, "every event answered 200 is stored (" + acknowledged.size() + " acknowledged)");

            // And processed, once each, when the processor has caught up with the log.
            await("no call left pending")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() ->
                            strings(statement, "select id from pending_call").isEmpty());
            Set<String> processed = strings(statement, "select message_id from event");
            Set<String> unprocessed = new HashSet<>(acknowledged);
            unprocessed.removeAll(processed);
            assertEquals(Set.of(), unprocessed, "every acknowledged event is processed");
            assertEquals(
                    Set.of(),
                    strings(statement, "select message_id from event group by message_id having count(*) > 1"),
                    "no event is processed twice");
        }
    }

    private static Set<String> strings(Statement statement, String sql) throws Exception {
        Set<String> values = new HashSet<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** The instance's first logged incident (an answered 500) with its stack trace, to say why. */
    private static String firstIncidentLogged() {
        try {
            List<String> lines = Files.readAllLines(PackagedKizuna.logOf(PORT));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("unexpected failure, incident")) {
                    return "\n" + String.join("\n", lines.subList(i, Math.min(lines.size(), i + 60)));
                }
            }
            return "\n(no incident in " + PackagedKizuna.logOf(PORT) + ")";
        } catch (IOException e) {
            return "\n(log unreadable: " + e + ")";
        }
    }

    /** Events are taken again after the restart: more acknowledgements than before it. */
    private static void awaitAcknowledgedAfter(int before, Duration within) {
        await("ingestion recovers after the database came back")
                .atMost(within)
                .pollDelay(Duration.ofMillis(500))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> track("restart-probe-" + System.nanoTime()) == 200);
    }

    private static int track(String messageId) {
        String body = """
                {"userId":"restart-user","event":"Task Done","messageId":"%s","context":{"groupId":"restart-account"}}""".formatted(messageId);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/v1/track"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void postgres(String action) throws IOException, InterruptedException {
        if (!Files.isDirectory(Path.of("/etc/postgresql"))) {
            return;
        }
        String version;
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            version = versions.map(path -> path.getFileName().toString())
                    .sorted()
                    .reduce((first, last) -> last)
                    .orElseThrow();
        }
        List<String> command = action.equals("stop")
                ? List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast")
                : List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0 && !(action.equals("start") && output.contains("already running"))) {
            throw new IllegalStateException("pg_ctlcluster " + action + " failed (" + exit + "): " + output);
        }
    }
}
