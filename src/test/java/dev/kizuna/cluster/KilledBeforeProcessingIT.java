package dev.kizuna.cluster;

import static dev.kizuna.PackagedKizuna.count;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.PackagedKizuna;
import dev.kizuna.TestFolders;
import io.restassured.path.json.JsonPath;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls outlive the instances that acknowledged and processed them (the packaged jar, separate
 * JVMs, SIGKILL, one PostgreSQL database). An instance that only acknowledges is killed after
 * answering: every call it answered 200 is in the log of pending calls, in the order it was
 * acknowledged. Two instances then process that log at once, each its share of the partitions;
 * one is killed part-way, and the other takes its partitions over once their leases expire. In
 * the end every acknowledged call took effect exactly once (one raw event per messageId, counts
 * equal to the tracks sent, one decision per triggering event) and each user's calls took effect
 * in the order they were acknowledged (the last trait sent wins), although a user's calls lay in
 * two partitions (those naming the account in the account's, the others in the user's own, as
 * nobody was in an account yet when they were appended).
 */
class KilledBeforeProcessingIT {

    private static final String DATABASE = "kizuna_killed_before_processing";
    private static final int ACKNOWLEDGING_PORT = 18261;
    private static final int KILLED_PROCESSOR_PORT = 18262;
    private static final int SURVIVING_PROCESSOR_PORT = 18263;
    private static final String WRITE_KEY = "killed-write-key";
    /** Short, so that the survivor takes over from the killed processor within seconds. */
    private static final String LEASE = "3s";

    private static final int ACCOUNTS = 100;
    /** Five users share each account; enough calls that both processors are at work before one is killed. */
    private static final int USERS = 500;

    private static final int CALLS_PER_REQUEST = 100;
    /** Besides Signed Up, each user's tracks, mixed in random order with identify calls carrying the next seq. */
    private static final int TASKS_PER_USER = 4;

    private static final int LOGINS_PER_USER = 1;
    private static final int REPORTS_PER_USER = 2;
    private static final int LATER_IDENTIFIES_PER_USER = 2;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path content;
    private static final List<Process> instances = new ArrayList<>();

    @BeforeAll
    static void emptyDatabaseAndContent() throws Exception {
        PackagedKizuna.freshDatabase(DATABASE);
        content = TestFolders.copyOfSamples("kizuna-killed-before-processing");
        // No limit: every Report Shared processed gives its user one message more, so a call applied
        // twice shows. (The welcome rule's once_per: user would hide a second Signed Up.)
        Files.writeString(content.resolve("rules/report-shared.yaml"), """
                name: Offer help on every shared report
                trigger:
                  event: Report Shared
                actions:
                  - channel: inapp
                    template: help-offer
                """);
    }

    private static Process start(int port, boolean processing) throws IOException {
        Process process = PackagedKizuna.start(
                port,
                DATABASE,
                "256m",
                Map.of(
                        "KIZUNA_RULES_DIR", content.resolve("rules").toString(),
                        "KIZUNA_TEMPLATES_DIR", content.resolve("templates").toString(),
                        "KIZUNA_MAIL_CAPTURE_DIR", content.resolve("mail").toString(),
                        "KIZUNA_BOOTSTRAP_WRITE_KEY", WRITE_KEY,
                        "KIZUNA_INGEST_PROCESSOR_ENABLED", Boolean.toString(processing),
                        "KIZUNA_INGEST_PROCESSOR_LEASE", LEASE));
        instances.add(process);
        return process;
    }

    private static void kill(Process instance) throws InterruptedException {
        instance.destroyForcibly().waitFor();
        instances.remove(instance);
    }

    @AfterAll
    static void stopEverything() {
        instances.forEach(Process::destroyForcibly);
    }

    @Test
    void callsAcknowledgedOrProcessedByKilledInstancesTakeEffectOnceAndInOrder() throws Exception {
        Traffic traffic = Traffic.of(new Random(20240611L));

        // An instance that only acknowledges: it answers, and dies before anything is processed.
        Process acknowledger = start(ACKNOWLEDGING_PORT, false);
        PackagedKizuna.awaitReady(ACKNOWLEDGING_PORT);
        List<String> acknowledged = new ArrayList<>();
        for (int from = 0; from < traffic.calls().size(); from += CALLS_PER_REQUEST) {
            List<Call> request =
                    traffic.calls().subList(from, Math.min(traffic.calls().size(), from + CALLS_PER_REQUEST));
            int status = postBatch(ACKNOWLEDGING_PORT, request);
            assertEquals(200, status, "request of calls " + from + " to " + (from + request.size() - 1) + " answered");
            request.forEach(call -> acknowledged.add(call.messageId()));
        }
        kill(acknowledger);

        try (Connection db = PackagedKizuna.connect(DATABASE)) {
            assertEquals(
                    acknowledged,
                    strings(db, "select message_id from pending_call order by id"),
                    "every acknowledged call is in the log, in the order acknowledged");
            assertEquals(
                    0,
                    count(db, "select count(*) from event"),
                    "nothing was processed by an instance that only acknowledges");

            // Two processing instances share the log; one is killed once both have processed some of it.
            Process killedProcessor = start(KILLED_PROCESSOR_PORT, true);
            start(SURVIVING_PROCESSOR_PORT, true);
            awaitBothProcessing(Duration.ofSeconds(180));
            kill(killedProcessor);
            long waitingAtKill = count(db, "select count(*) from pending_call");
            assertTrue(
                    waitingAtKill > 0 && waitingAtKill < acknowledged.size(),
                    "a processor was killed part-way: " + waitingAtKill + " of " + acknowledged.size() + " calls left");

            // The other takes the killed instance's partitions over once their leases have expired, and finishes the
            // log.
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> assertEquals(
                            0,
                            count(db, "select count(*) from pending_call"),
                            "the surviving instance processed the rest of the log, and set nothing aside"));
            assertEquals(16, partitions(health(SURVIVING_PROCESSOR_PORT)), "the survivor holds every partition");

            // The product's events; the welcome emails' deliveries are Kizuna's own (kizuna.email.delivered).
            String productEvents = " from event where name is null or name not like 'kizuna.%'";
            assertEquals(
                    acknowledged.size(),
                    count(db, "select count(*)" + productEvents),
                    "one raw event per acknowledged call");
            assertEquals(
                    acknowledged.size(),
                    count(db, "select count(distinct message_id)" + productEvents),
                    "no call stored twice");
            Set<String> missing = new HashSet<>(acknowledged);
            strings(db, "select message_id" + productEvents).forEach(missing::remove);
            assertEquals(Set.of(), missing, "every acknowledged call was stored");

            assertEquals(
                    traffic.tracksByAccount(),
                    longsById(db, """
                    select subject_id, sum(event_count) from event_aggregate where subject_type = 'account' and event_name not like 'kizuna.%'
                     group by subject_id"""),
                    "each account counted exactly the tracks sent for it");

            assertEquals(
                    traffic.lastSeqByUser(),
                    longsById(db, "select id, cast(cast(traits as jsonb) ->> 'seq' as bigint) from app_user"),
                    "each user's seq trait is the last one sent: a user's calls took effect in the order acknowledged");

            assertEquals(0, count(db, """
                    select count(*) from (select user_id, channel from message where rule_id = 'welcome-new-workspace'
                     group by user_id, channel having count(*) > 1) doubled"""), "no user was welcomed twice on a channel");
            assertEquals(
                    USERS * 2,
                    count(db, "select count(*) from message where rule_id = 'welcome-new-workspace'"),
                    "each user was welcomed once by email and once in-app");
            assertEquals(traffic.reportsByUser(), longsById(db, """
                    select user_id, count(*) from message where rule_id = 'report-shared' group by user_id"""), "each shared report was decided on exactly once");
        }
    }

    /**
     * Waits until both processing instances hold partitions and have each processed calls (the
     * one that started first held them all until the other asked for its share).
     */
    private static void awaitBothProcessing(Duration timeout) throws Exception {
        PackagedKizuna.awaitReady(KILLED_PROCESSOR_PORT);
        PackagedKizuna.awaitReady(SURVIVING_PROCESSOR_PORT);
        try {
            await().atMost(timeout)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> partitions(health(KILLED_PROCESSOR_PORT)) == 8
                            && partitions(health(SURVIVING_PROCESSOR_PORT)) == 8
                            && processed(KILLED_PROCESSOR_PORT) > 0
                            && processed(SURVIVING_PROCESSOR_PORT) > 0);
        } catch (ConditionTimeoutException notBoth) {
            throw new AssertionError(
                    "the two processing instances did not both process within " + timeout + ": "
                            + health(KILLED_PROCESSOR_PORT) + " / " + health(SURVIVING_PROCESSOR_PORT),
                    notBoth);
        }
    }

    /** The data of an instance's "call processing" readiness check. */
    private static Map<String, Object> health(int port) throws Exception {
        String body = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return JsonPath.from(body).getMap("checks.find { it.name == 'call processing' }.data");
    }

    private static int partitions(Map<String, Object> health) {
        return ((Number) health.get("partitionsHere")).intValue();
    }

    /** How many calls the instance has processed since it started. */
    private static double processed(int port) throws Exception {
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher counter = Pattern.compile("(?m)^kizuna_ingest_processed_total(?:\\{[^}]*\\})? (\\S+)$")
                .matcher(metrics);
        return counter.find() ? Double.parseDouble(counter.group(1)) : 0;
    }

    /** One call as sent: its messageId and its JSON. */
    record Call(String messageId, String json) {}

    /**
     * The calls to send, in order: for each user an identify (seq 0) and a group call into a shared
     * account, then Signed Up, then tracks mixed with identify calls carrying an increasing seq.
     * The users' calls are interleaved at random, each user's in its own order, so that a user's
     * calls are spread over many requests and micro-batches.
     */
    record Traffic(
            List<Call> calls,
            Map<String, Long> tracksByAccount,
            Map<String, Long> lastSeqByUser,
            Map<String, Long> reportsByUser) {

        static Traffic of(Random random) {
            List<List<Call>> perUser = new ArrayList<>();
            Map<String, Long> tracksByAccount = new TreeMap<>();
            Map<String, Long> lastSeqByUser = new TreeMap<>();
            Map<String, Long> reportsByUser = new TreeMap<>();
            for (int n = 0; n < USERS; n++) {
                String user = "u" + n;
                String account = "a" + n % ACCOUNTS;
                List<Call> calls = new ArrayList<>();
                calls.add(identify(user, 0));
                calls.add(new Call(user + "-group", """
                        {"type":"group","userId":"%s","groupId":"%s","messageId":"%s-group","traits":{"name":"Account %s","plan":"trial"}}""".formatted(user, account, user, account)));
                calls.add(track(user, "Signed Up", user + "-signup", account));
                List<String> rest = new ArrayList<>();
                rest.addAll(Collections.nCopies(TASKS_PER_USER, "Task Completed"));
                rest.addAll(Collections.nCopies(LOGINS_PER_USER, "Logged In"));
                rest.addAll(Collections.nCopies(REPORTS_PER_USER, "Report Shared"));
                rest.addAll(Collections.nCopies(LATER_IDENTIFIES_PER_USER, "identify"));
                Collections.shuffle(rest, random);
                int seq = 0;
                for (int i = 0; i < rest.size(); i++) {
                    String kind = rest.get(i);
                    if (kind.equals("identify")) {
                        calls.add(identify(user, ++seq));
                    } else {
                        // Half of the tracks name the account; the others count for the account the user is in.
                        calls.add(track(user, kind, user + "-track-" + i, i % 2 == 0 ? account : null));
                    }
                }
                tracksByAccount.merge(account, 1L + TASKS_PER_USER + LOGINS_PER_USER + REPORTS_PER_USER, Long::sum);
                lastSeqByUser.put(user, (long) seq);
                reportsByUser.put(user, (long) REPORTS_PER_USER);
                perUser.add(calls);
            }
            // A random interleaving that keeps each user's order: shuffle one slot per call, then deal.
            List<Integer> slots = new ArrayList<>();
            for (int n = 0; n < USERS; n++) {
                slots.addAll(Collections.nCopies(perUser.get(n).size(), n));
            }
            Collections.shuffle(slots, random);
            int[] next = new int[USERS];
            List<Call> calls = new ArrayList<>(slots.size());
            for (int n : slots) {
                calls.add(perUser.get(n).get(next[n]++));
            }
            return new Traffic(calls, tracksByAccount, lastSeqByUser, reportsByUser);
        }

        private static Call identify(String user, int seq) {
            return new Call(user + "-identify-" + seq, """
                    {"type":"identify","userId":"%1$s","messageId":"%1$s-identify-%2$d","traits":{"email":"%1$s@killed.example","name":"User %1$s","seq":%2$d}}""".formatted(user, seq));
        }

        private static Call track(String user, String event, String messageId, String account) {
            String context = account == null ? "" : ",\"context\":{\"groupId\":\"" + account + "\"}";
            return new Call(messageId, """
                    {"type":"track","userId":"%s","event":"%s","messageId":"%s"%s}""".formatted(user, event, messageId, context));
        }
    }

    private static int postBatch(int port, List<Call> calls) throws Exception {
        String body =
                "{\"batch\":[" + String.join(",", calls.stream().map(Call::json).toList()) + "]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<String> strings(Connection db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** Rows of (id, number), sorted by id. */
    private static Map<String, Long> longsById(Connection db, String sql) throws SQLException {
        Map<String, Long> values = new TreeMap<>();
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.put(rows.getString(1), rows.getLong(2));
            }
        }
        return values;
    }
}
