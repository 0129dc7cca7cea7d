package dev.kizuna.reports;

import static dev.kizuna.TestKeys.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The effect report recovers a known truth. 5,000 simulated accounts get the first-project
 * reminder (goal: created_project within 14 days), a fifth of them held out. Whether an account
 * creates a project within the window is drawn with a fixed seed from the true rates; the report
 * must find the true lift inside its 95% interval. Each scenario lives in its own year, so that
 * other tests' messages never mix in.
 */
@QuarkusTest
class RuleEffectProofTests {

    private static final String RULE = "first-project-reminder";
    private static final String GOAL = "created_project";
    private static final int ACCOUNTS = 5_000;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Attribution attribution;

    @Test
    void aTenPointTrueLiftIsFoundAndCoveredByTheInterval() throws SQLException {
        simulate("proof-lift", Instant.parse("2011-03-01T09:00:00Z"), 0.30, 0.40, new Random(20110301));
        attribution.run();

        JsonPath report = effect("2011-01-01", "2012-01-01");

        assertEquals(ACCOUNTS, report.getLong("effect.treated.accounts") + report.getLong("effect.heldOut.accounts"));
        assertEquals(0.20, report.getDouble("effect.heldOut.accounts") / ACCOUNTS, 0.02, "a fifth held out");
        assertEquals(0.40, report.getDouble("effect.treated.rate"), 0.03);
        assertEquals(0.30, report.getDouble("effect.heldOut.rate"), 0.04);
        double lift = report.getDouble("effect.absoluteLift");
        assertEquals(0.10, lift, 0.04, "close to +10 points");
        double lower = report.getDouble("effect.ci95.lower");
        double upper = report.getDouble("effect.ci95.upper");
        assertTrue(
                lower <= 0.10 && 0.10 <= upper,
                "the interval [" + lower + ", " + upper + "] covers the true +10 points");
        assertTrue(lower > 0, "and excludes no effect");
        assertTrue(report.getDouble("effect.pValue") < 0.05);
        assertEquals("lifts the goal", report.getString("effect.verdict"));
        assertEquals(
                report.getDouble("effect.absoluteLift") / report.getDouble("effect.heldOut.rate"),
                report.getDouble("effect.relativeLift"),
                1e-6);

        // Every simulated account is in tech-touch, half of them in trial too: one row per segment.
        List<Map<String, Object>> segments = report.getList("segments");
        Map<String, Object> techTouch = segments.stream()
                .filter(row -> "tech-touch".equals(row.get("segment")))
                .findFirst()
                .orElseThrow();
        assertEquals(
                report.getLong("effect.treated.accounts"),
                ((Number) ((Map<?, ?>) ((Map<?, ?>) techTouch.get("effect")).get("treated")).get("accounts"))
                        .longValue());
        assertTrue(segments.stream().anyMatch(row -> "trial".equals(row.get("segment"))));
    }

    @Test
    void withNoTrueEffectTheIntervalCoversZero() throws SQLException {
        simulate("proof-none", Instant.parse("2012-03-01T09:00:00Z"), 0.30, 0.30, new Random(20120301));
        attribution.run();

        JsonPath report = effect("2012-01-01", "2013-01-01");

        double lower = report.getDouble("effect.ci95.lower");
        double upper = report.getDouble("effect.ci95.upper");
        assertTrue(lower <= 0 && 0 <= upper, "the interval [" + lower + ", " + upper + "] covers zero");
        assertEquals(0, report.getDouble("effect.absoluteLift"), 0.04);
        assertEquals("no significant difference", report.getString("effect.verdict"));
    }

    @Test
    void aRuleWithFewAccountsSaysNotEnoughDataYet() throws SQLException {
        Population population = new Population(dataSource);
        Instant start = Instant.parse("2013-03-01T09:00:00Z");
        for (int i = 0; i < 12; i++) {
            String account = "proof-few-" + i;
            Instant sent = start.plus(Duration.ofHours(i));
            population.message(RULE, account, i % 4 == 0 ? "HELD_OUT" : "SENT", "EMAIL", RULE, "en", sent);
            if (i % 2 == 0) {
                population.milestone(account, GOAL, sent.plus(Duration.ofDays(2)));
            }
        }
        population.insert();
        attribution.run();

        JsonPath report = effect("2013-01-01", "2014-01-01");

        assertEquals(9, report.getLong("effect.treated.accounts"));
        assertEquals(3, report.getLong("effect.heldOut.accounts"));
        assertEquals("not enough data yet", report.getString("effect.verdict"));
        assertNull(report.get("effect.ci95"));
        assertNull(report.get("effect.pValue"));
    }

    /**
     * One reminder per account (a fifth held out), and for the accounts drawn as converting a
     * project created 1 hour to 13 days later. Some of the others create one only after the
     * window (20 days) or had one before the message: neither may count.
     */
    private void simulate(String prefix, Instant start, double heldOutRate, double treatedRate, Random random)
            throws SQLException {
        Population population = new Population(dataSource);
        for (int i = 0; i < ACCOUNTS; i++) {
            String account = prefix + "-" + i;
            Instant sent = start.plus(Duration.ofMinutes(i));
            boolean heldOut = random.nextDouble() < 0.20;
            population.message(RULE, account, heldOut ? "HELD_OUT" : "SENT", "EMAIL", RULE, "en", sent);
            population.segment(account, "tech-touch");
            if (i % 2 == 0) {
                population.segment(account, "trial");
            }
            boolean converts = random.nextDouble() < (heldOut ? heldOutRate : treatedRate);
            double other = random.nextDouble();
            if (converts) {
                population.milestone(account, GOAL, sent.plus(Duration.ofMinutes(60 + random.nextInt(13 * 24 * 60))));
            } else if (other < 0.10) {
                population.milestone(account, GOAL, sent.plus(Duration.ofDays(20)));
            } else if (other < 0.15) {
                population.milestone(account, GOAL, sent.minus(Duration.ofDays(1)));
            }
        }
        population.insert();
    }

    private static JsonPath effect(String from, String to) {
        return asAdmin()
                .queryParam("from", from)
                .queryParam("to", to)
                .get("/api/reports/rules/" + RULE)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
