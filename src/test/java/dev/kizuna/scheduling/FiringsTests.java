package dev.kizuna.scheduling;

import static dev.kizuna.TestKeys.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kizuna.TestFolders;
import dev.kizuna.rules.RuleCatalog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scheduled rules due at the same time are one firing: each account is swept once for all of
 * them, in pages that the instances claim.
 */
@QuarkusTest
@TestProfile(FiringsTests.SamplesWithAMonthlyReview.class)
class FiringsTests {

    private static final String WEEKLY = "weekly-onboarding-checkin";
    private static final String MONTHLY = "monthly-plan-review";
    private static final String REVIEWED_PLAN = "firings-reviewed";

    /** The samples, plus a rule due at 9:00 in Tokyo on the first of each month: some Mondays, with the weekly check-in. */
    public static class SamplesWithAMonthlyReview implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path root = TestFolders.copyOfSamples("kizuna-firings");
                Files.writeString(root.resolve("rules/" + MONTHLY + ".yaml"), """
                        name: Monthly plan review
                        trigger:
                          schedule:
                            cron: "0 0 9 1 * ?"
                            timezone: Asia/Tokyo
                        condition: "account.plan == '%s'"
                        actions:
                          - channel: inapp
                            template: help-offer
                        limits:
                          once_per: account
                        """.formatted(REVIEWED_PLAN));
                return Map.of(
                        "kizuna.rules.dir",
                        root.resolve("rules").toString(),
                        "kizuna.templates.dir",
                        root.resolve("templates").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RuleCatalog catalog;

    @Test
    void rulesDueAtTheSameTimeAreOneFiring() {
        // 2026-06-01 is a Monday: 9:00 in Tokyo is both rules' time.
        Instant mondayTheFirst = Instant.parse("2026-06-01T00:00:00Z");
        assertEquals(List.of(MONTHLY, WEEKLY), RuleScheduleJob.dueTogether(MONTHLY, catalog, mondayTheFirst));
        assertEquals(List.of(WEEKLY, MONTHLY), RuleScheduleJob.dueTogether(WEEKLY, catalog, mondayTheFirst));
        assertEquals(
                "schedule@2026-06-01T00:00:00Z",
                RuleScheduleJob.firingId(mondayTheFirst),
                "whichever of them starts it");

        Instant anotherMonday = Instant.parse("2026-06-08T00:00:00Z");
        assertEquals(List.of(WEEKLY), RuleScheduleJob.dueTogether(WEEKLY, catalog, anotherMonday));
        Instant aLateFiring = Instant.parse("2026-06-01T00:03:17Z");
        assertEquals(
                List.of(MONTHLY),
                RuleScheduleJob.dueTogether(MONTHLY, catalog, aLateFiring),
                "fired late after downtime: alone");
    }

    @Test
    void rulesFiredTogetherSweepEveryAccountOnceInPagesForAllOfThem() throws SQLException {
        int accounts = 1_234;
        generateAccounts("firings-", accounts, 7);
        long allAccounts = count("select count(*) from account");

        String firingId = asAdmin()
                .contentType("application/json")
                .body(Map.of("rules", List.of(WEEKLY, MONTHLY)))
                .post("/api/rules/run")
                .then()
                .statusCode(202)
                .body("rules", equalTo(List.of(WEEKLY, MONTHLY)))
                .extract()
                .path("firingId");

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Response runs = asAdmin().get("/api/rules/" + MONTHLY + "/runs");
                    return runs.jsonPath()
                                    .getList("findAll { it.firingId == '" + firingId + "' && it.finishedAt != null }")
                                    .size()
                            == 1;
                });
        for (String rule : List.of(WEEKLY, MONTHLY)) {
            Map<String, Object> run = asAdmin()
                    .get("/api/rules/" + rule + "/runs")
                    .jsonPath()
                    .getMap("find { it.firingId == '" + firingId + "' }");
            assertEquals(List.of(MONTHLY, WEEKLY), run.get("rules"), "both rules' runs are the one firing: " + run);
            assertEquals(
                    allAccounts,
                    ((Number) run.get("accountsSeen")).longValue(),
                    "each account once, not once per rule: " + run);
            assertEquals(0, ((Number) run.get("pagesFailed")).intValue());
        }
        assertEquals(
                7,
                count("select count(*) from message where rule_id = '" + MONTHLY + "' and cause_ref = '" + firingId
                        + "'"),
                "the accounts on the reviewed plan were nudged");
        assertEquals(
                0,
                count("select count(*) from sweep_page where firing_id = '" + firingId + "'"),
                "a finished firing's pages are gone");
        assertEquals(
                allAccounts / 500 + 1,
                count("select pages_total from sweep_firing where firing_id = '" + firingId + "'"),
                "pages of 500 accounts, the last one open-ended: " + allAccounts + " accounts");
    }

    @Test
    void aFiringWhoseLastSweeperDiedBeforeEndingItIsEndedByAnother() throws SQLException {
        // As if an instance swept the last page, committed, and died before it ended the firing.
        Timestamp now = Timestamp.from(Instant.now());
        execute(
                "insert into sweep_firing (firing_id, started_at, accounts_total, pages_total) values ('orphaned@1', ?, 0, 1)",
                now);
        execute("insert into sweep_firing_rule (firing_id, rule_id) values ('orphaned@1', '" + WEEKLY + "')");
        execute(
                "insert into sweep_page (firing_id, page_no, firing_started_at, done_at, done_by) values ('orphaned@1', 0, ?, ?, 'gone')",
                now,
                now);

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> count(
                                "select count(*) from sweep_firing where firing_id = 'orphaned@1' and finished_at is not null")
                        == 1);
        assertEquals(0, count("select count(*) from sweep_page where firing_id = 'orphaned@1'"));
    }

    @Test
    void onlyScheduledRulesInForceCanBeFiredTogether() {
        asAdmin()
                .contentType("application/json")
                .body(Map.of("rules", List.of()))
                .post("/api/rules/run")
                .then()
                .statusCode(400)
                .body("detail", containsString("rules"));
        asAdmin()
                .contentType("application/json")
                .body(Map.of("rules", List.of(WEEKLY, "invite-teammates")))
                .post("/api/rules/run")
                .then()
                .statusCode(409)
                .body("detail", containsString("invite-teammates"));
        asAdmin()
                .contentType("application/json")
                .body(Map.of("rules", List.of("no-such-rule")))
                .post("/api/rules/run")
                .then()
                .statusCode(404)
                .body("detail", containsString("no-such-rule"));
    }

    /** Accounts with one user each, straight in the database; the first {@code reviewed} of them on the reviewed plan. */
    private void generateAccounts(String prefix, int accounts, int reviewed) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection db = dataSource.getConnection();
                PreparedStatement account = db.prepareStatement(
                        "insert into account (id, traits, first_seen_at, updated_at, plan) values (?, '{}', ?, ?, ?)");
                PreparedStatement user = db.prepareStatement(
                        "insert into app_user (id, email, traits, first_seen_at, updated_at) values (?, ?, '{}', ?, ?)");
                PreparedStatement member = db.prepareStatement(
                        "insert into membership (account_id, user_id, joined_at) values (?, ?, ?)")) {
            for (int i = 0; i < accounts; i++) {
                String accountId = prefix + String.format("%05d", i);
                String userId = accountId + "-user";
                account.setString(1, accountId);
                account.setTimestamp(2, now);
                account.setTimestamp(3, now);
                account.setString(4, i < reviewed ? REVIEWED_PLAN : "starter");
                account.addBatch();
                user.setString(1, userId);
                user.setString(2, userId + "@example.com");
                user.setTimestamp(3, now);
                user.setTimestamp(4, now);
                user.addBatch();
                member.setString(1, accountId);
                member.setString(2, userId);
                member.setTimestamp(3, now);
                member.addBatch();
            }
            account.executeBatch();
            user.executeBatch();
            member.executeBatch();
        }
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection db = dataSource.getConnection();
                PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection db = dataSource.getConnection();
                PreparedStatement query = db.prepareStatement(sql);
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
