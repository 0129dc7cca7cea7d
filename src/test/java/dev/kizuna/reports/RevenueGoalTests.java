package dev.kizuna.reports;

import static dev.kizuna.TestKeys.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Rules judged on retention and expansion: the sample offer-help-at-risk (goal retained: 90d,
 * a tenth held out) and upgrade-at-usage-limit (goal expanded: 30d), decided by attribution
 * from the accounts' revenue history and reported with the same lift, interval and verdict as
 * activation goals.
 */
@QuarkusTest
class RevenueGoalTests {

    private static final String RETENTION_RULE = "offer-help-at-risk";
    private static final String EXPANSION_RULE = "upgrade-at-usage-limit";
    private static final int ACCOUNTS = 4000;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Attribution attribution;

    /**
     * 4,000 paying accounts get the offer in March 2008 (a tenth held out by the rule's own
     * assignment): 30 % of the held-out churn within 90 days against 20 % of the others. Some
     * churn only after the window (retained), and 200 more were no longer paying when the offer
     * came (nothing to retain: not counted).
     */
    @Test
    void aRetentionGoalFindsATenPointLiftInAccountsStillPaying() throws SQLException {
        Population population = new Population(dataSource);
        Random random = new Random(2008);
        Instant start = Instant.parse("2008-03-01T09:00:00Z");
        for (int i = 0; i < ACCOUNTS + 200; i++) {
            String account = "retained-" + i;
            Instant sent = start.plus(Duration.ofMinutes(i));
            boolean heldOut = dev.kizuna.rules.HoldoutAssignment.heldOut(RETENTION_RULE, account, 10);
            population.message(
                    RETENTION_RULE, account, heldOut ? "HELD_OUT" : "SENT", "INAPP", "help-offer", "en", sent);
            population.revenue(account, Instant.parse("2007-06-01T00:00:00Z"), 100);
            if (i >= ACCOUNTS) {
                population.revenue(account, sent.minus(Duration.ofDays(3)), 0);
            } else if (random.nextDouble() < (heldOut ? 0.30 : 0.20)) {
                population.revenue(account, sent.plus(Duration.ofMinutes(60 + random.nextInt(88 * 24 * 60))), 0);
            } else if (random.nextDouble() < 0.2) {
                population.revenue(account, sent.plus(Duration.ofDays(120)), 0);
            }
        }
        population.insert();
        attribution.run();

        JsonPath report = asAdmin()
                .queryParam("from", "2008-01-01")
                .queryParam("to", "2009-01-01")
                .get("/api/reports/rules/" + RETENTION_RULE)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertEquals("90d", report.getString("goal.retained"));
        assertEquals(
                ACCOUNTS,
                report.getLong("effect.treated.accounts") + report.getLong("effect.heldOut.accounts"),
                "accounts that were not paying at the offer are not followed");
        assertEquals(0.80, report.getDouble("effect.treated.rate"), 0.03);
        assertEquals(0.70, report.getDouble("effect.heldOut.rate"), 0.05);
        double lower = report.getDouble("effect.ci95.lower");
        double upper = report.getDouble("effect.ci95.upper");
        assertTrue(
                lower <= 0.10 && 0.10 <= upper,
                "the interval [" + lower + ", " + upper + "] covers the true +10 points");
        assertTrue(lower > 0 && report.getDouble("effect.pValue") < 0.05);
        assertEquals("lifts the goal", report.getString("effect.verdict"));

        Map<String, String> outcomes = outcomes(RETENTION_RULE, "retained-");
        assertEquals("not_followed", outcomes.get("retained-" + ACCOUNTS));
        long converted = outcomes.values().stream().filter("converted"::equals).count();
        assertEquals(
                report.getLong("effect.treated.converted") + report.getLong("effect.heldOut.converted"), converted);
    }

    /**
     * Four accounts nudged on 1 June 2009, the goal "expanded: 30d": one raises its MRR after 10
     * days (converted then), one after 40 days (too late), one lowers it, and a free one starts
     * paying within the window (from nothing is up too).
     */
    @Test
    void anExpansionGoalConvertsWhenMrrRisesWithinTheWindow() throws SQLException {
        Instant sent = Instant.parse("2009-06-01T09:00:00Z");
        Population population = new Population(dataSource);
        for (String account : new String[] {"expanded-soon", "expanded-late", "expanded-down", "expanded-free"}) {
            population.message(EXPANSION_RULE, account, "SENT", "INAPP", "upgrade-plan", "en", sent);
        }
        population.revenue("expanded-soon", Instant.parse("2009-01-01T00:00:00Z"), 100);
        population.revenue("expanded-soon", sent.plus(Duration.ofDays(10)), 150);
        population.revenue("expanded-late", Instant.parse("2009-01-01T00:00:00Z"), 100);
        population.revenue("expanded-late", sent.plus(Duration.ofDays(40)), 150);
        population.revenue("expanded-down", Instant.parse("2009-01-01T00:00:00Z"), 100);
        population.revenue("expanded-down", sent.plus(Duration.ofDays(5)), 80);
        population.revenue("expanded-free", sent.plus(Duration.ofDays(20)), 49);
        population.insert();
        attribution.run();

        Map<String, String> outcomes = outcomes(EXPANSION_RULE, "expanded-");
        assertEquals(
                Map.of(
                        "expanded-soon",
                        "converted",
                        "expanded-late",
                        "not_converted",
                        "expanded-down",
                        "not_converted",
                        "expanded-free",
                        "converted"),
                outcomes);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select m.converted_at, e.detail from message m "
                                + "join message_event e on e.message_id = m.id and e.type = 'CONVERTED' where m.account_id = 'expanded-soon'");
                ResultSet row = statement.executeQuery()) {
            assertTrue(row.next());
            assertEquals(
                    sent.plus(Duration.ofDays(10)),
                    row.getObject(1, java.time.OffsetDateTime.class).toInstant());
            assertEquals("MRR up from 100.00 to 150.00 10d 0h after the message", row.getString(2));
        }
    }

    private Map<String, String> outcomes(String ruleId, String prefix) throws SQLException {
        Map<String, String> outcomes = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select account_id, goal_outcome from message where rule_id = ? and account_id like ?")) {
            statement.setString(1, ruleId);
            statement.setString(2, prefix + "%");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    outcomes.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return outcomes;
    }
}
