package dev.kizuna.scheduling;

import static dev.kizuna.TestKeys.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kizuna.TestFolders;
import dev.kizuna.common.RulesConfig;
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
    private static final String LOW_TOUCH_REVIEW = "low-touch-plan-review";
    private static final String WELCOME_TO_LOW_TOUCH = "welcome-to-low-touch";
    private static final String AUDIENCE_PLAN = "firings-audience";

    /**
     * The samples, plus a rule due at 9:00 in Tokyo on the first of each month (some Mondays,
     * with the weekly check-in), a scheduled rule for low-touch accounts that never comes due by
     * itself, and a rule for accounts entering low-touch.
     */
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
                Files.writeString(root.resolve("rules/" + LOW_TOUCH_REVIEW + ".yaml"), """
                        name: Low-touch plan review
                        trigger:
                          schedule:
                            cron: "0 0 3 1 1 ? 2099"
                        audience: [low-touch]
                        condition: "account.plan == '%s'"
                        actions:
                          - channel: inapp
                            template: help-offer
                        limits:
                          once_per: account
                        """.formatted(AUDIENCE_PLAN));
                Files.writeString(
                        root.resolve("rules/" + WELCOME_TO_LOW_TOUCH + ".yaml"), """
                        name: Welcome to low-touch
                        trigger:
                          segment: {enter: low-touch}
                        condition: "account.plan == '%s'"
                        actions:
                          - channel: inapp
                            template: help-offer
                        limits:
                          once_per: account
                        """.formatted(AUDIENCE_PLAN));
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

    @Inject
    RulesConfig rulesConfig;

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
    void aFiringOfRulesThatAllHaveAnAudienceSweepsOnlyTheStoredMembersOfItsSegments() throws SQLException {
        // Accounts written straight to the database have no stored profile: they are in no
        // segment until a refresh (or an event of theirs) computes it, though their ARR is low-touch's.
        int accounts = 640;
        generateAccounts("audience-", accounts, AUDIENCE_PLAN, 12_000);
        String lowTouch = "select count(distinct account_id) from account_segment where segment = 'low-touch'";
        long storedBefore = count(lowTouch);

        Map<String, Object> before = fireToEnd(LOW_TOUCH_REVIEW);
        assertEquals(storedBefore, ((Number) before.get("accountsTotal")).longValue(), "only members: " + before);
        assertEquals(storedBefore, ((Number) before.get("accountsSeen")).longValue(), "only members: " + before);
        assertEquals(0, messages(LOW_TOUCH_REVIEW, (String) before.get("firingId")), "not yet members, not read");

        String refresh = asAdmin()
                .post("/api/profiles/refresh")
                .then()
                .statusCode(202)
                .extract()
                .path("firingId");
        Map<String, Object> refreshed = awaitRefresh(refresh);
        assertEquals(
                count("select count(*) from account"),
                ((Number) refreshed.get("accountsSeen")).longValue(),
                "a refresh sweeps every account: " + refreshed);
        assertEquals(List.of(), refreshed.get("rules"));
        assertEquals(storedBefore + accounts, count(lowTouch), "the refresh stored their memberships");
        assertEquals(
                accounts,
                messages(WELCOME_TO_LOW_TOUCH, refresh),
                "entering a segment at a refresh fires its segment triggers");

        Map<String, Object> after = fireToEnd(LOW_TOUCH_REVIEW);
        assertEquals(storedBefore + accounts, ((Number) after.get("accountsTotal")).longValue(), "members: " + after);
        assertEquals(storedBefore + accounts, ((Number) after.get("accountsSeen")).longValue(), "members: " + after);
        assertEquals(accounts, messages(LOW_TOUCH_REVIEW, (String) after.get("firingId")));
        assertEquals(
                storedBefore + accounts,
                count("select accounts_total from sweep_firing where firing_id = '" + after.get("firingId") + "'"));
    }

    @Test
    void aChangeOfTheSegmentsStartsARefreshThatStoresTheNewMemberships() throws Exception {
        generateAccounts("new-segment-", 30, "firings-enterprise", null);
        Path segments = rulesConfig.dir().resolve("segments.yaml");
        String original = Files.readString(segments);
        try {
            Files.writeString(segments, original + """
                      enterprise:
                        description: Accounts on the enterprise plan.
                        condition: account.plan == 'firings-enterprise'
                    """);
            asAdmin().post("/api/rules/reload").then().statusCode(200);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> count("select count(*) from account_segment where segment = 'enterprise'") == 30);
            List<Map<String, Object>> refreshes = asAdmin()
                    .get("/api/profiles/refreshes?limit=500")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("");
            assertEquals(
                    true,
                    refreshes.stream().anyMatch(run -> ((String) run.get("firingId")).contains("/definitions-")),
                    "the refresh is listed, named by the definitions' digest: " + refreshes);
        } finally {
            Files.writeString(segments, original);
            asAdmin().post("/api/rules/reload").then().statusCode(200);
        }
        asAdmin().get("/api/profiles/refreshes?limit=0").then().statusCode(400).body("detail", containsString("limit"));
    }

    /** Fires the rule on its own and waits for the firing to end; returns its run. */
    private Map<String, Object> fireToEnd(String ruleId) {
        String firingId = asAdmin()
                .post("/api/rules/" + ruleId + "/run")
                .then()
                .statusCode(202)
                .extract()
                .path("firingId");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> asAdmin()
                                .get("/api/rules/" + ruleId + "/runs")
                                .jsonPath()
                                .getList("findAll { it.firingId == '" + firingId + "' && it.finishedAt != null }")
                                .size()
                        == 1);
        return asAdmin()
                .get("/api/rules/" + ruleId + "/runs")
                .jsonPath()
                .getMap("find { it.firingId == '" + firingId + "' }");
    }

    /** Waits for the refresh to end; returns its run (of many: other tests' refreshes may be listed first, at their clocks' times). */
    private Map<String, Object> awaitRefresh(String firingId) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> asAdmin()
                                .get("/api/profiles/refreshes?limit=500")
                                .jsonPath()
                                .getList("findAll { it.firingId == '" + firingId + "' && it.finishedAt != null }")
                                .size()
                        == 1);
        return asAdmin()
                .get("/api/profiles/refreshes?limit=500")
                .jsonPath()
                .getMap("find { it.firingId == '" + firingId + "' }");
    }

    private long messages(String ruleId, String firingId) throws SQLException {
        return count(
                "select count(*) from message where rule_id = '" + ruleId + "' and cause_ref = '" + firingId + "'");
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
        generateAccounts(prefix, accounts, reviewed, REVIEWED_PLAN, "starter", null);
    }

    /** Accounts with one user each, straight in the database, all on one plan and with one ARR (none if null). */
    private void generateAccounts(String prefix, int accounts, String plan, Integer arr) throws SQLException {
        generateAccounts(prefix, accounts, accounts, plan, plan, arr);
    }

    private void generateAccounts(
            String prefix, int accounts, int onFirstPlan, String firstPlan, String otherPlan, Integer arr)
            throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection db = dataSource.getConnection();
                PreparedStatement account = db.prepareStatement(
                        "insert into account (id, traits, first_seen_at, updated_at, plan, arr) values (?, '{}', ?, ?, ?, ?)");
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
                account.setString(4, i < onFirstPlan ? firstPlan : otherPlan);
                account.setObject(5, arr);
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
