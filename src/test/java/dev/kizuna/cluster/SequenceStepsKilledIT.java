package dev.kizuna.cluster;

import static dev.kizuna.PackagedKizuna.count;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.PackagedKizuna;
import dev.kizuna.TestFolders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sequence's steps outlive the instance that was taking them (the packaged jar, SIGKILL, one
 * PostgreSQL database): recipients enter a two-step sequence, the instance is killed once it has
 * taken some of the due second steps, and another instance, started after, takes the rest once
 * the killed one's claims (kizuna.rules.timer-claim) expire. Every recipient gets the second
 * step exactly once.
 */
class SequenceStepsKilledIT {

    private static final String DATABASE = "kizuna_sequence_steps_killed";
    private static final int KILLED_PORT = 18271;
    private static final int SURVIVING_PORT = 18272;
    private static final String WRITE_KEY = "sequence-killed-write-key";
    private static final int USERS = 2_000;
    private static final int CALLS_PER_REQUEST = 300;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path content;
    private static final List<Process> instances = new ArrayList<>();

    @BeforeAll
    static void emptyDatabaseAndContent() throws Exception {
        PackagedKizuna.freshDatabase(DATABASE);
        content = TestFolders.copyOfSamples("kizuna-sequence-steps-killed");
        Files.writeString(content.resolve("rules/two-steps.yaml"), """
                name: Two steps, a minute apart
                trigger:
                  event: Sequence Started
                limits:
                  once_per: user
                steps:
                  - name: first
                    actions:
                      - channel: inapp
                        template: help-offer
                  - name: second
                    wait: 1m
                    actions:
                      - channel: inapp
                        template: create-first-project
                """);
    }

    private static Process start(int port, String timerPoll) throws Exception {
        Process process = PackagedKizuna.start(
                port,
                DATABASE,
                "256m",
                Map.of(
                        "KIZUNA_RULES_DIR",
                        content.resolve("rules").toString(),
                        "KIZUNA_TEMPLATES_DIR",
                        content.resolve("templates").toString(),
                        "KIZUNA_MAIL_CAPTURE_DIR",
                        content.resolve("mail").toString(),
                        "KIZUNA_BOOTSTRAP_WRITE_KEY",
                        WRITE_KEY,
                        "KIZUNA_RULES_TIMER_POLL",
                        timerPoll,
                        // Short, so that the survivor takes over the killed instance's claims within seconds.
                        "KIZUNA_RULES_TIMER_CLAIM",
                        "10s"));
        instances.add(process);
        PackagedKizuna.awaitReady(port);
        return process;
    }

    @AfterAll
    static void stopEverything() {
        instances.forEach(Process::destroyForcibly);
    }

    @Test
    void stepsTakenByAKilledInstanceAreTakenOnceByAnother() throws Exception {
        // Polling every 30 s, the first instance finds all the second steps due at once, and takes
        // them set after set in one sweep: killed after its first set, it dies holding claims.
        Process killed = start(KILLED_PORT, "30s");
        List<String> calls = new ArrayList<>();
        for (int n = 0; n < USERS; n++) {
            String user = "seq-user-" + n;
            calls.add("""
                    {"type":"identify","userId":"%1$s","messageId":"%1$s-identify","traits":{"email":"%1$s@killed.example"}}""".formatted(user));
            calls.add("""
                    {"type":"track","userId":"%1$s","event":"Sequence Started","messageId":"%1$s-start"}""".formatted(user));
        }
        for (int from = 0; from < calls.size(); from += CALLS_PER_REQUEST) {
            assertEquals(200, postBatch(calls.subList(from, Math.min(calls.size(), from + CALLS_PER_REQUEST))));
        }

        try (Connection db = PackagedKizuna.connect(DATABASE)) {
            awaitCount(db, "select count(*) from sequence_entry", USERS, Duration.ofSeconds(120));
            // A minute after entering, the second steps come due; the instance is killed once it has taken some.
            awaitCount(db, "select count(*) from sequence_step where step = 'second'", 1, Duration.ofSeconds(180));
            killed.destroyForcibly().waitFor();
            instances.remove(killed);
            long takenAtKill = count(db, "select count(*) from sequence_step where step = 'second'");
            assertTrue(takenAtKill < USERS, "killed part-way: " + takenAtKill + " of " + USERS + " second steps taken");

            start(SURVIVING_PORT, "1s");
            awaitCount(
                    db,
                    "select count(*) from sequence_entry where exit_reason = 'completed'",
                    USERS,
                    Duration.ofSeconds(180));

            assertEquals(
                    USERS,
                    count(db, "select count(*) from sequence_step where step = 'second'"),
                    "each second step taken once");
            assertEquals(USERS, count(db, "select count(distinct entry_id) from sequence_step where step = 'second'"));
            assertEquals(
                    USERS,
                    count(db, "select count(*) from message where rule_id = 'two-steps' and cause_type = 'sequence'"),
                    "one message of the second step per recipient");
            assertEquals(0, count(db, """
                    select count(*) from (select user_id from message where rule_id = 'two-steps' and cause_type = 'sequence'
                     group by user_id having count(*) > 1) doubled"""), "no recipient got the second step twice");
        }
    }

    private static int postBatch(List<String> calls) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + KILLED_PORT + "/v1/batch"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("{\"batch\":[" + String.join(",", calls) + "]}"))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void awaitCount(Connection db, String sql, long atLeast, Duration timeout) {
        await().atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> {
                    long seen = count(db, sql);
                    assertTrue(seen >= atLeast, sql + ": " + seen + ", expected at least " + atLeast);
                });
    }
}
