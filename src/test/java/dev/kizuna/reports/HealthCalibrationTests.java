package dev.kizuna.reports;

import static dev.kizuna.TestKeys.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.HealthCalibrationProfile;
import dev.kizuna.SegmentCalls;
import dev.kizuna.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The health score against the churn that followed, over two generated years (1997–1998) of
 * 1,000 paying accounts: logins that fall off before a cancellation, so that the usage signal
 * predicts churn, and a noise signal drawn at signup that does not. Snapshots are taken on the
 * first of every third month from February 1997; every figure of the calibration equals the
 * computation here from the generated history (shares exact, AUC by comparing every stayer with
 * every churner).
 */
@QuarkusTest
@TestProfile(HealthCalibrationProfile.class)
class HealthCalibrationTests {

    private static final YearMonth FIRST = YearMonth.of(1997, 1);
    private static final YearMonth LAST = YearMonth.of(1998, 12);
    private static final int ACCOUNTS = 1000;
    /** After the 90 days that follow the last snapshot (1 November 1998). */
    private static final Instant AFTER_THE_LAST_WINDOW = Instant.parse("1999-04-01T00:00:00Z");

    @Inject
    TestClock clock;

    /** An account as generated: the noise drawn at signup, its logins and when it cancelled. */
    private record Generated(Instant signup, double noise, TreeMap<LocalDate, Integer> logins, Instant cancelledAt) {}

    @Test
    void healthBandsSignalsAndAucMatchTheChurnThatFollowed() {
        clock.set(Instant.parse("1999-06-01T00:00:00Z"));
        Map<String, Generated> accounts = generate(new Random(1997));

        List<Instant> snapshots = new ArrayList<>();
        for (YearMonth month = FIRST.plusMonths(1); !month.isAfter(LAST); month = month.plusMonths(3)) {
            Instant at = MonthRange.start(month);
            clock.set(at);
            asAdmin().post("/api/reports/health/snapshots").then().statusCode(200);
            snapshots.add(at);
        }
        clock.set(Instant.parse("1999-06-01T00:00:00Z"));
        JsonPath report = asAdmin()
                .queryParam("from", "1997-01-01")
                .queryParam("to", "1999-01-01")
                .get("/api/reports/health")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));

        // The calibration as it should be, from the generated history.
        Map<String, long[]> bands = new LinkedHashMap<>();
        List.of("healthy", "churn_suspected", "churn_imminent").forEach(band -> bands.put(band, new long[4]));
        List<int[]> scores90 = new ArrayList<>();
        List<int[]> scores30 = new ArrayList<>();
        List<double[]> noise90 = new ArrayList<>();
        long[] usageHalves = new long[4];
        long[] noiseHalves = new long[4];
        for (Generated account : accounts.values()) {
            for (Instant at : snapshots) {
                if (!account.signup().isBefore(at)
                        || (account.cancelledAt() != null
                                && account.cancelledAt().isBefore(at))) {
                    continue;
                }
                LocalDate today = LocalDate.ofInstant(at, ZoneOffset.UTC);
                int logins = account.logins().subMap(today.minusDays(29), true, today, true).values().stream()
                        .mapToInt(Integer::intValue)
                        .sum();
                double usage = Math.max(0, Math.min(1, logins / 2.0));
                double weighted = 0;
                weighted += 80 * usage;
                weighted += 20 * account.noise();
                int score = (int) Math.round(100 * weighted / 100);
                String band = score >= 60 ? "healthy" : score >= 30 ? "churn_suspected" : "churn_imminent";
                boolean churned30 =
                        account.cancelledAt() != null && account.cancelledAt().isBefore(at.plus(Duration.ofDays(30)));
                boolean churned90 =
                        account.cancelledAt() != null && account.cancelledAt().isBefore(at.plus(Duration.ofDays(90)));
                long[] counts = bands.get(band);
                counts[0]++;
                counts[1] += churned30 ? 1 : 0;
                counts[2]++;
                counts[3] += churned90 ? 1 : 0;
                scores30.add(new int[] {score, churned30 ? 1 : 0});
                scores90.add(new int[] {score, churned90 ? 1 : 0});
                noise90.add(new double[] {account.noise(), churned90 ? 1 : 0});
                int usageSide = usage < 0.5 ? 0 : 2;
                usageHalves[usageSide]++;
                usageHalves[usageSide + 1] += churned90 ? 1 : 0;
                int noiseSide = account.noise() < 0.5 ? 0 : 2;
                noiseHalves[noiseSide]++;
                noiseHalves[noiseSide + 1] += churned90 ? 1 : 0;
            }
        }

        assertEquals(scores90.size(), report.getLong("observations90"));
        assertEquals(List.of("healthy", "churn_suspected", "churn_imminent"), report.getList("bands.band"));
        for (int b = 0; b < 3; b++) {
            long[] counts = bands.get(report.getString("bands[" + b + "].band"));
            String band = "bands[" + b + "].";
            assertEquals(counts[0], report.getLong(band + "observations30"), band);
            assertEquals(counts[1], report.getLong(band + "churned30"), band);
            assertEquals((double) counts[1] / counts[0], report.getDouble(band + "churnShare30"), 1e-12, band);
            assertEquals(counts[2], report.getLong(band + "observations90"), band);
            assertEquals(counts[3], report.getLong(band + "churned90"), band);
            assertEquals((double) counts[3] / counts[2], report.getDouble(band + "churnShare90"), 1e-12, band);
        }
        assertTrue(
                report.getDouble("bands[2].churnShare90") > 2 * report.getDouble("bands[0].churnShare90"),
                "the generated score predicts churn: imminent churns far more often than healthy");

        double auc90 = pairwiseAuc(
                scores90.stream().map(row -> new double[] {row[0], row[1]}).toList());
        double auc30 = pairwiseAuc(
                scores30.stream().map(row -> new double[] {row[0], row[1]}).toList());
        assertEquals(auc90, report.getDouble("auc90"), 0.01);
        assertEquals(auc30, report.getDouble("auc30"), 0.01);
        assertTrue(
                auc30 > 0.75 && auc90 > 0.6,
                "the usage-built score ranks stayers above churners: " + auc30 + ", " + auc90);

        assertEquals(List.of("usage", "noise"), report.getList("signals.signal"));
        assertEquals(usageHalves[0], report.getLong("signals[0].observationsBelow"));
        assertEquals((double) usageHalves[1] / usageHalves[0], report.getDouble("signals[0].churnShareBelow"), 1e-12);
        assertEquals((double) usageHalves[3] / usageHalves[2], report.getDouble("signals[0].churnShareAbove"), 1e-12);
        assertEquals(noiseHalves[0], report.getLong("signals[1].observationsBelow"));
        assertEquals((double) noiseHalves[1] / noiseHalves[0], report.getDouble("signals[1].churnShareBelow"), 1e-12);
        assertEquals((double) noiseHalves[3] / noiseHalves[2], report.getDouble("signals[1].churnShareAbove"), 1e-12);
        double noiseAuc = pairwiseAuc(noise90);
        assertEquals(noiseAuc, report.getDouble("signals[1].auc90"), 0.01);
        assertEquals(0.5, noiseAuc, 0.1, "the control signal tells nothing about churn");
    }

    @Test
    void withoutSnapshotsInThePeriodThereIsNothingToMeasure() {
        JsonPath report = asAdmin()
                .queryParam("from", "1990-01-01")
                .queryParam("to", "1991-01-01")
                .get("/api/reports/health")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(0, report.getLong("observations90"));
        assertNull(report.get("auc90"));
        assertEquals(List.of("healthy", "churn_suspected", "churn_imminent"), report.getList("bands.band"));
    }

    /**
     * Accounts signing up in the first half of 1997, each engaged (1 or 2 logins a month) or
     * disengaged (at most 1) month by month; a disengaged month makes a cancellation in the next
     * month likely (30 %), an engaged one rare (1 %). Sent in batches, as a backfill.
     */
    private static Map<String, Generated> generate(Random random) {
        Map<String, Generated> accounts = new LinkedHashMap<>();
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String account = "health-" + i;
            Instant signup = MonthRange.start(FIRST).plus(Duration.ofMinutes(random.nextLong(180L * 24 * 60)));
            double noise = random.nextDouble();
            calls.add(Map.of(
                    "type",
                    "group",
                    "userId",
                    "user-" + account,
                    "groupId",
                    account,
                    "timestamp",
                    signup.toString(),
                    "messageId",
                    account + "-signup",
                    "traits",
                    Map.of("createdAt", signup.toString(), "plan", "team", "mrr", 100, "noise", noise)));
            TreeMap<LocalDate, Integer> logins = new TreeMap<>();
            Instant cancelledAt = null;
            boolean engaged = random.nextDouble() < 0.7;
            boolean cancelling = false;
            for (YearMonth month = YearMonth.from(signup.atZone(ZoneOffset.UTC));
                    !month.isAfter(LAST);
                    month = month.plusMonths(1)) {
                Instant day = MonthRange.start(month)
                        .plus(Duration.ofDays(1 + random.nextInt(26)))
                        .plus(Duration.ofMinutes(random.nextInt(1440)));
                if (cancelling) {
                    if (day.isAfter(signup)) {
                        cancelledAt = day;
                        calls.add(Map.of(
                                "type",
                                "track",
                                "userId",
                                "user-" + account,
                                "event",
                                "Subscription Cancelled",
                                "context",
                                Map.of("groupId", account),
                                "timestamp",
                                day.toString(),
                                "messageId",
                                account + "-cancelled"));
                        break;
                    }
                }
                int count = engaged ? 1 + random.nextInt(2) : random.nextDouble() < 0.3 ? 1 : 0;
                for (int login = 0; login < count; login++) {
                    Instant at = MonthRange.start(month)
                            .plus(Duration.ofDays(1 + random.nextInt(26)))
                            .plus(Duration.ofMinutes(random.nextInt(1440)));
                    if (at.isAfter(signup)) {
                        logins.merge(LocalDate.ofInstant(at, ZoneOffset.UTC), 1, Integer::sum);
                        calls.add(Map.of(
                                "type",
                                "track",
                                "userId",
                                "user-" + account,
                                "event",
                                "Logged In",
                                "context",
                                Map.of("groupId", account),
                                "timestamp",
                                at.toString(),
                                "messageId",
                                account + "-login-" + month + "-" + login));
                    }
                }
                cancelling = random.nextDouble() < (engaged ? 0.01 : 0.30);
                engaged = engaged ? random.nextDouble() >= 0.15 : random.nextDouble() < 0.3;
            }
            if (cancelledAt == null) {
                // Every account ends after the last window, so that no later test's months count it.
                cancelledAt = AFTER_THE_LAST_WINDOW;
                calls.add(Map.of(
                        "type",
                        "track",
                        "userId",
                        "user-" + account,
                        "event",
                        "Subscription Cancelled",
                        "context",
                        Map.of("groupId", account),
                        "timestamp",
                        cancelledAt.toString(),
                        "messageId",
                        account + "-cancelled"));
            }
            accounts.put(account, new Generated(signup, noise, logins, cancelledAt));
        }
        SegmentCalls.inBatches(calls);
        return accounts;
    }

    /** AUC by its definition: over every pair of a stayer and a churner, 1 if the stayer's value is higher, ½ if equal. */
    private static double pairwiseAuc(List<double[]> observations) {
        List<Double> stayers = observations.stream()
                .filter(row -> row[1] == 0)
                .map(row -> row[0])
                .toList();
        List<Double> churners = observations.stream()
                .filter(row -> row[1] == 1)
                .map(row -> row[0])
                .toList();
        double wins = 0;
        for (double stayer : stayers) {
            for (double churner : churners) {
                wins += stayer > churner ? 1 : stayer == churner ? 0.5 : 0;
            }
        }
        return wins / ((double) stayers.size() * churners.size());
    }
}
