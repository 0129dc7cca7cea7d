package dev.kizuna.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.ScenarioProfile;
import dev.kizuna.TestClock;
import dev.kizuna.decisions.Sweeps;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Attribution passes that look only at what changed decide exactly what a pass over every
 * followed message decides: a generated history of accounts signing up, creating projects,
 * inviting teammates (or not, or too late), with a pass every simulated day, is attributed
 * again from scratch mid-way and at the end and compared message by message. The users have no
 * email address, so no message changes status behind the test's back while it compares.
 */
@QuarkusTest
@TestProfile(ScenarioProfile.class)
class IncrementalAttributionTests {

    private static final int ACCOUNTS = 40;
    private static final int DAYS = 45;
    private static final Instant DAY_0 = Instant.parse("2029-03-01T01:00:00Z");

    @Inject
    TestClock clock;

    @Inject
    Attribution attribution;

    @Inject
    Sweeps sweeps;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void passesOverWhatChangedDecideWhatAFullRecomputationDecides() throws SQLException {
        Random random = new Random(20291201);
        int[] signUpDay = new int[ACCOUNTS];
        int[] projectDay = new int[ACCOUNTS];
        int[] inviteDay = new int[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++) {
            signUpDay[i] = random.nextInt(20);
            // Some never create a project (the reminder's goal), some invite within the window, late, or never.
            projectDay[i] = random.nextInt(4) == 0 ? -1 : signUpDay[i] + random.nextInt(8);
            inviteDay[i] = projectDay[i] < 0 || random.nextInt(3) == 0 ? -1 : projectDay[i] + random.nextInt(25);
        }

        clock.set(DAY_0);
        attribution.run(); // the first pass looks at everything; the ones below only at what changed
        List<Attribution.Pass> passes = new ArrayList<>();
        for (int day = 0; day < DAYS; day++) {
            clock.set(DAY_0.plus(Duration.ofDays(day)));
            for (int i = 0; i < ACCOUNTS; i++) {
                String account = "inc-" + i;
                clock.set(DAY_0.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(7L * i)));
                if (day == signUpDay[i]) {
                    signUp(account);
                }
                if (day == projectDay[i]) {
                    track(account, "Project Created");
                }
                if (day == inviteDay[i]) {
                    track(account, "Teammate Invited");
                }
            }
            clock.set(DAY_0.plus(Duration.ofDays(day)).plus(Duration.ofHours(12)));
            sweeps.runDueTimers();
            passes.add(attribution.run());
            if (day == DAYS / 2) {
                // Mid-way, with many messages still followed: a goal reached since the last pass is already decided.
                Attribution.Pass today = passes.get(passes.size() - 1);
                Attribution.Pass full = assertSameAsAFullRecomputation();
                assertTrue(
                        today.examined() < full.examined(),
                        "the day's pass looked at " + today.examined() + " messages, a full one at " + full.examined());
            }
        }

        assertTrue(passes.stream().noneMatch(Attribution.Pass::full), "every daily pass looked at changes only");
        assertSameAsAFullRecomputation();
        Map<Long, String> outcomes = outcomes();
        assertTrue(
                outcomes.values().stream().anyMatch(outcome -> outcome.startsWith("converted")),
                "some messages converted: " + outcomes);
        assertTrue(
                outcomes.values().stream().anyMatch(outcome -> outcome.startsWith("not_converted")),
                "some did not: " + outcomes);
    }

    /** Attributes the generated accounts' messages again from scratch, now, and compares; returns the full pass. */
    private Attribution.Pass assertSameAsAFullRecomputation() throws SQLException {
        Map<Long, String> incremental = outcomes();
        execute(
                "update message set goal_outcome = null, converted_at = null, goal_window_ends_at = null where account_id like 'inc-%'");
        execute("delete from attribution_state");
        Attribution.Pass full = attribution.run();
        assertTrue(full.full());
        assertEquals(
                incremental,
                outcomes(),
                "a full recomputation at " + clock.instant() + " decided the same, message by message");
        return full;
    }

    /** Message id → outcome and conversion time, for the generated accounts. */
    private Map<Long, String> outcomes() throws SQLException {
        Map<Long, String> outcomes = new TreeMap<>();
        try (Connection db = dataSource.getConnection();
                PreparedStatement query = db.prepareStatement(
                        "select id, goal_outcome, converted_at from message where account_id like 'inc-%' order by id");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                Object convertedAt = rows.getObject(3, java.time.OffsetDateTime.class);
                outcomes.put(rows.getLong(1), rows.getString(2) + (convertedAt == null ? "" : " at " + convertedAt));
            }
        }
        assertFalse(outcomes.isEmpty());
        return outcomes;
    }

    private void execute(String sql) throws SQLException {
        try (Connection db = dataSource.getConnection();
                PreparedStatement statement = db.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }

    private void signUp(String account) {
        TrialAccounts.signUpWithoutEmail(account, clock.instant());
    }

    private void track(String account, String event) {
        TrialAccounts.track(account, event, clock.instant());
    }
}
