package dev.kizuna.cluster;

import static dev.kizuna.PackagedKizuna.count;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.kizuna.PackagedKizuna;
import dev.kizuna.TestFolders;
import jakarta.mail.internet.MimeMessage;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Kizuna instances (the packaged jar, separate JVMs) on one PostgreSQL database: one is
 * killed with SIGKILL while it sends, and later one while both share the pages of a firing; yet
 * every acknowledged event is kept, every email goes out once, and each firing of a scheduled
 * rule reaches each user once.
 */
class TwoInstancesIT {

    private static final String DATABASE = "kizuna_two_instances";
    private static final int SMTP_PORT = 3327;
    private static final String WRITE_KEY = "it-write-key";
    private static final String ADMIN_KEY = "it-admin-key";
    private static final int USERS = 120;
    /** Emails an instance sends at once: kizuna.delivery.senders, left at its default. */
    private static final int SENDERS = 4;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GreenMail smtp;
    private static Path content;
    private static final List<Process> instances = new ArrayList<>();

    @BeforeAll
    static void emptyDatabaseMailServerAndContent() throws Exception {
        PackagedKizuna.freshDatabase(DATABASE);
        smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));
        smtp.start();
        content = TestFolders.copyOfSamples("kizuna-two-instances");
        // Fires every 5 seconds with no once-per limit: each firing gives each user exactly one message,
        // unless both instances run it.
        Files.writeString(content.resolve("rules/cluster-heartbeat.yaml"), """
                name: Cluster heartbeat
                trigger:
                  schedule:
                    cron: "*/5 * * * * ?"
                actions:
                  - channel: inapp
                    template: help-offer
                """);
        // Fired by hand over every account, with no limit: each firing gives each member one nudge.
        Files.writeString(content.resolve("rules/cluster-sweep.yaml"), """
                name: Cluster sweep
                trigger:
                  schedule:
                    cron: "0 0 3 1 1 ? 2099"
                actions:
                  - channel: inapp
                    template: help-offer
                """);
    }

    /** The instance that logs JSON lines, as an operator switches it on: the one never killed. */
    private static final int JSON_LOGGING = 18182;

    private static Process start(int port, String sendRate) throws IOException {
        Process process = PackagedKizuna.start(
                port,
                DATABASE,
                "256m",
                Map.ofEntries(
                        Map.entry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", Boolean.toString(port == JSON_LOGGING)),
                        Map.entry("KIZUNA_RULES_DIR", content.resolve("rules").toString()),
                        Map.entry(
                                "KIZUNA_TEMPLATES_DIR",
                                content.resolve("templates").toString()),
                        Map.entry("KIZUNA_SMTP_HOST", "127.0.0.1"),
                        Map.entry("KIZUNA_SMTP_PORT", Integer.toString(SMTP_PORT)),
                        Map.entry("KIZUNA_BOOTSTRAP_WRITE_KEY", WRITE_KEY),
                        Map.entry("KIZUNA_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY),
                        Map.entry("KIZUNA_DECISIONS_QUIET_HOURS_START", "00:00"),
                        Map.entry("KIZUNA_DECISIONS_QUIET_HOURS_END", "00:00"),
                        Map.entry("KIZUNA_DELIVERY_SEND_RATE", sendRate),
                        Map.entry("KIZUNA_DELIVERY_POLL_INTERVAL", "1s"),
                        Map.entry("KIZUNA_DELIVERY_CLAIM_TIMEOUT", "10s"),
                        // A killed instance may hold the lease on processing: the survivor takes over when it expires.
                        Map.entry("KIZUNA_INGEST_PROCESSOR_LEASE", "3s")));
        instances.add(process);
        return process;
    }

    @AfterAll
    static void stopEverything() {
        instances.forEach(Process::destroyForcibly);
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void anInstanceKilledWhileSendingOrSweepingLosesNothingAndDoublesNothing() throws Exception {
        Process first = start(18181, "5");
        Process second = start(18182, "0");
        PackagedKizuna.awaitReady(18181);
        PackagedKizuna.awaitReady(18182);

        // Sign-ups go to both instances; each makes the welcome rule queue an email.
        Set<String> acknowledged = new HashSet<>();
        for (int user = 0; user < USERS; user++) {
            int port = user % 2 == 0 ? 18181 : 18182;
            if (user == USERS / 2) {
                // The first instance sends at most 5 emails a second, so it is mid-drain now.
                awaitSent(10);
                first.destroyForcibly().waitFor();
                instances.remove(first);
            }
            if (port == 18181 && !first.isAlive()) {
                port = 18182;
            }
            String id = "u" + user;
            String batch = """
                    {"batch":[
                      {"type":"identify","userId":"%1$s","messageId":"%1$s-identify","traits":{"email":"%1$s@cluster.example","name":"User %2$d"}},
                      {"type":"group","userId":"%1$s","groupId":"a%2$d","messageId":"%1$s-group","traits":{"name":"Account %2$d","plan":"trial"}},
                      {"type":"track","userId":"%1$s","event":"Signed Up","messageId":"%1$s-signup","context":{"groupId":"a%2$d"}}
                    ]}""".formatted(id, user);
            if (post(port, "/v1/batch", batch) == 200) {
                acknowledged.add(id + "-identify");
                acknowledged.add(id + "-group");
                acknowledged.add(id + "-signup");
            }
        }
        assertEquals(USERS * 3, acknowledged.size(), "every call got an answer from a live instance");

        // The survivor takes over the killed instance's claims once they expire.
        await("every user emailed")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> countEmailRecipients() >= USERS);
        // An email the killed instance sent but had not recorded as sent is sent again by the
        // survivor once its claim expires (kizuna.delivery.claim-timeout): wait until every welcome
        // email is recorded as sent before counting copies.
        try (Connection db = PackagedKizuna.connect(DATABASE)) {
            await("no welcome email is left unsent")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertEquals(
                            0,
                            count(
                                    db,
                                    "select count(*) from message where rule_id = 'welcome-new-workspace' and status <> 'SENT'"),
                            "no welcome email is left unsent"));
        }
        // Nothing to wait for: time for a copy sent again by the survivor to arrive, if there is one.
        Thread.sleep(3000);

        Map<String, Set<String>> messageIdsByRecipient = new HashMap<>();
        Map<String, Integer> copiesByRecipient = new HashMap<>();
        for (MimeMessage email : smtp.getReceivedMessages()) {
            String to = email.getAllRecipients()[0].toString();
            messageIdsByRecipient.computeIfAbsent(to, key -> new HashSet<>()).add(email.getMessageID());
            copiesByRecipient.merge(to, 1, Integer::sum);
        }
        assertEquals(USERS, messageIdsByRecipient.size(), "every user got the welcome email");
        messageIdsByRecipient.forEach((to, ids) -> assertEquals(1, ids.size(), to + " got different emails: " + ids));
        long resent =
                copiesByRecipient.values().stream().filter(copies -> copies > 1).count();
        assertTrue(
                resent <= SENDERS,
                "at most the emails in flight when the instance died (one per sender) are sent again,"
                        + " with the same Message-ID: " + copiesByRecipient);

        try (Connection db = PackagedKizuna.connect(DATABASE)) {
            // The survivor keeps the schedule going: once it has recovered the firing the killed
            // instance had acquired, the heartbeat reaches the users again.
            String firingsWithUsers =
                    "select count(distinct cause_ref) from message where rule_id = 'cluster-heartbeat'";
            await("the schedule fired several times during the test")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> count(db, firingsWithUsers) >= 2);
            // Acknowledged means in the log of pending calls; stored means processed, as raw events.
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertEquals(
                            0,
                            count(db, "select count(*) from pending_call"),
                            "every acknowledged call was processed"));
            Set<String> stored = strings(db, "select message_id from event");
            acknowledged.removeAll(stored);
            assertEquals(Set.of(), acknowledged, "every acknowledged event is stored");
            assertEquals(0, count(db, """
                    select count(*) from (select cause_ref, user_id from message where rule_id = 'cluster-heartbeat'
                     group by cause_ref, user_id having count(*) > 1) doubled"""), "each firing of the schedule ran once");
            assertTrue(count(db, firingsWithUsers) >= 2, "the schedule fired several times during the test");
        }

        // Now a kill during a shared firing. The heartbeat goes (its file removed, the schedule
        // follows the folder), and a firing over ten thousand more accounts is swept by both
        // instances, page by page; one is killed once each has swept pages.
        Files.delete(content.resolve("rules/cluster-heartbeat.yaml"));
        Process restarted = start(18183, "0");
        PackagedKizuna.awaitReady(18183);
        try (Connection db = PackagedKizuna.connect(DATABASE)) {
            awaitTrue(
                    db,
                    "select count(*) = 0 from qrtz_triggers where trigger_name = 'cluster-heartbeat'",
                    "the heartbeat's schedule is gone");
            awaitTrue(
                    db,
                    "select count(*) = 0 from sweep_firing where finished_at is null",
                    "the last heartbeat firing finished");
            try (Statement sql = db.createStatement()) {
                sql.execute("""
                        insert into account (id, traits, first_seen_at, updated_at, plan)
                        select 'shared-' || lpad(n::text, 5, '0'), '{}', now(), now(), 'team' from generate_series(1, 10000) n""");
                sql.execute("""
                        insert into app_user (id, email, traits, first_seen_at, updated_at)
                        select 'shared-user-' || n, 'shared-user-' || n || '@cluster.example', '{}', now(), now() from generate_series(1, 10000) n""");
                sql.execute("""
                        insert into membership (account_id, user_id, joined_at)
                        select 'shared-' || lpad(n::text, 5, '0'), 'shared-user-' || n, now() from generate_series(1, 10000) n""");
                sql.execute("analyze");
            }
        }
        long members = USERS + 10_000;
        String firingId = firing(18182, "cluster-sweep");
        String sweptBy = "select count(distinct done_by) from sweep_page where firing_id = '" + firingId
                + "' and done_at is not null";
        String left = "select count(*) from sweep_page where firing_id = '" + firingId + "' and done_at is null";
        try (Connection db = PackagedKizuna.connect(DATABASE)) {
            awaitTrue(db, "select (" + sweptBy + ") = 2", "both instances sweep pages of the firing");
            restarted.destroyForcibly().waitFor();
            instances.remove(restarted);
            long pagesLeft = count(db, left);
            long doneWhenKilled = count(
                    db,
                    "select count(*) from message where rule_id = 'cluster-sweep' and cause_ref = '" + firingId + "'");
            assertTrue(
                    pagesLeft > 0 && doneWhenKilled < members,
                    "killed mid-firing: " + pagesLeft + " pages left, " + doneWhenKilled + " users done");

            awaitTrue(
                    db,
                    "select count(*) = 1 from sweep_firing where firing_id = '" + firingId
                            + "' and finished_at is not null",
                    "the survivor finished the firing");
            assertEquals(
                    members,
                    count(
                            db,
                            "select count(distinct user_id) from message where rule_id = 'cluster-sweep' and cause_ref = '"
                                    + firingId + "'"),
                    "every member was decided for (" + doneWhenKilled + " when killed)");
            assertEquals(
                    members,
                    count(
                            db,
                            "select count(*) from message where rule_id = 'cluster-sweep' and cause_ref = '" + firingId
                                    + "'"),
                    "each once: the page the killed instance had in hand was rolled back and swept again");
            assertEquals(
                    members, count(db, "select accounts_seen from sweep_firing where firing_id = '" + firingId + "'"));
            assertEquals(0, count(db, "select pages_failed from sweep_firing where firing_id = '" + firingId + "'"));
        }

        // What an operator reads: JSON log lines that say which firing a line is about, and no address.
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(PackagedKizuna.logOf(JSON_LOGGING))) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        assertTrue(
                lines.stream()
                        .anyMatch(line -> line.path("message").asText().equals("firing " + firingId + " finished")
                                && firingId.equals(
                                        line.path("mdc").path("firing").asText())),
                "the firing's last line carries the firing's id");
        assertTrue(
                lines.stream().noneMatch(line -> line.toString().contains("@cluster.example")),
                "no line names an address");
        String metrics = get(JSON_LOGGING, "/q/metrics");
        assertTrue(metrics.contains("kizuna_firings_seconds_count"), "firings are timed");
        assertTrue(
                metrics.contains("kizuna_deliveries_total{channel=\"email\",outcome=\"sent\"}"),
                "sent emails are counted");
        assertTrue(
                metrics.contains("kizuna_decisions_total{channel=\"inapp\",rule=\"cluster-sweep\",status=\"sent\"}"),
                "decisions are counted by rule and status");
    }

    private static String get(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Fires a scheduled rule by hand through an instance's API; returns the firing's id. */
    private static String firing(int port, String ruleId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/rules/" + ruleId + "/run"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        java.util.regex.Matcher firingId =
                java.util.regex.Pattern.compile("\"firingId\":\"([^\"]+)\"").matcher(response.body());
        assertTrue(firingId.find(), response.body());
        return firingId.group(1);
    }

    /** Waits up to two minutes for a query's single boolean to be true. */
    private static void awaitTrue(Connection db, String sql, String what) {
        await(what + " (" + sql + ")")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    try (Statement statement = db.createStatement();
                            ResultSet rows = statement.executeQuery(sql)) {
                        rows.next();
                        return rows.getBoolean(1);
                    }
                });
    }

    private static int post(int port, String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void awaitSent(int emails) {
        await(emails + " emails sent")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> smtp.getReceivedMessages().length >= emails);
    }

    private static long countEmailRecipients() {
        Set<String> recipients = new HashSet<>();
        for (MimeMessage email : smtp.getReceivedMessages()) {
            try {
                recipients.add(email.getAllRecipients()[0].toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return recipients.size();
    }

    private static Set<String> strings(Connection db, String sql) throws SQLException {
        Set<String> values = new HashSet<>();
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
