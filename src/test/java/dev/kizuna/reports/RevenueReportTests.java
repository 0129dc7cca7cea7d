package dev.kizuna.reports;

import static dev.kizuna.TestKeys.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.SegmentCalls;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Recurring revenue from the accounts' dated history: the months' movements and rates, cohorts,
 * lifetime value by coverage tier and renewals, each checked against a computation of its own
 * over histories whose every change is known.
 */
@QuarkusTest
class RevenueReportTests {

    /**
     * One account in 2003: signs up on 10 January at 100 a month, upgrades on 15 February to
     * 150, loses seats on 3 March (120), cancels on 20 April and comes back on 1 June at midnight
     * with 200.
     */
    @Test
    void oneAccountsMonthsReadAsItsMovements() {
        send(List.of(
                group(
                        "rev-one",
                        "2003-01-10T09:00:00Z",
                        Map.of("createdAt", "2003-01-10T09:00:00Z", "plan", "team", "mrr", 100)),
                track("rev-one", "Plan Upgraded", "2003-02-15T09:00:00Z", Map.of("plan", "business", "mrr", 150)),
                group("rev-one", "2003-03-03T09:00:00Z", Map.of("mrr", "120.00")),
                track("rev-one", "Subscription Cancelled", "2003-04-20T09:00:00Z", Map.of()),
                track(
                        "rev-one",
                        "Subscription Renewed",
                        "2003-06-01T00:00:00Z",
                        Map.of("plan", "business", "mrr", 200)),
                // After the months read here, so that no other test's months count the account.
                track("rev-one", "Subscription Cancelled", "2003-09-01T09:00:00Z", Map.of())));

        JsonPath report = revenue("2003-01", "2003-07", null);

        assertEquals(
                List.of("2003-01", "2003-02", "2003-03", "2003-04", "2003-05", "2003-06", "2003-07"),
                report.getList("months.month"));
        assertEquals(List.of(0, 1, 1, 1, 0, 0, 1), report.getList("months.startingAccounts"));
        assertEquals(List.of(1, 0, 0, 0, 0, 0, 0), report.getList("months.newAccounts"));
        assertEquals(
                List.of(0, 0, 0, 0, 0, 1, 0),
                report.getList("months.reactivatedAccounts"),
                "a return is no new account");
        assertMoney(List.of("0", "100", "150", "120", "0", "0", "200"), report.getList("months.startingMrr"));
        assertMoney(List.of("100", "0", "0", "0", "0", "0", "0"), report.getList("months.newMrr"));
        assertMoney(List.of("0", "50", "0", "0", "0", "0", "0"), report.getList("months.expansionMrr"));
        assertMoney(List.of("0", "0", "30", "0", "0", "0", "0"), report.getList("months.contractionMrr"));
        assertMoney(List.of("0", "0", "0", "120", "0", "0", "0"), report.getList("months.churnedMrr"));
        assertMoney(List.of("0", "0", "0", "0", "0", "200", "0"), report.getList("months.reactivationMrr"));
        assertMoney(List.of("100", "150", "120", "0", "0", "200", "200"), report.getList("months.endingMrr"));

        assertNull(report.get("months[0].netRevenueRetention"), "no revenue at the start: no rate");
        assertEquals(1.5, report.getDouble("months[1].netRevenueRetention"), 1e-12);
        assertEquals(1.0, report.getDouble("months[1].grossRevenueRetention"), 1e-12);
        assertEquals(0.2, report.getDouble("months[2].revenueChurnRate"), 1e-12);
        assertEquals(0.8, report.getDouble("months[2].grossRevenueRetention"), 1e-12);
        assertEquals(0.0, report.getDouble("months[2].logoChurnRate"), 1e-12);
        assertEquals(1.0, report.getDouble("months[3].logoChurnRate"), 1e-12);
        assertEquals(0.0, report.getDouble("months[3].netRevenueRetention"), 1e-12);

        // The account shows its plan and revenue now: cancelled in September.
        JsonPath account = asAdmin()
                .get("/api/accounts/rev-one")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("business", account.getString("plan"));
        assertEquals(0.0, account.getDouble("mrr"), 1e-9);
    }

    /** A history sent late and out of order (a backfill) takes its place in time and leaves the newest values in place. */
    @Test
    void aBackfillSentInAnyOrderBuildsTheHistoryInTimeOrder() {
        List<Map<String, Object>> calls = List.of(
                group(
                        "rev-late",
                        "2004-01-05T09:00:00Z",
                        Map.of("createdAt", "2004-01-05T09:00:00Z", "plan", "team", "mrr", 100)),
                group("rev-late", "2004-02-05T09:00:00Z", Map.of("plan", "team", "mrr", 200)),
                group("rev-late", "2004-03-05T09:00:00Z", Map.of("plan", "team", "mrr", 100)),
                group("rev-late", "2004-04-05T09:00:00Z", Map.of("plan", "team", "mrr", 100)));
        // The first, then the newest, then the ones in between: each older call must neither change the account nor be
        // lost.
        send(List.of(calls.get(0)));
        send(List.of(calls.get(3)));
        send(List.of(calls.get(1)));
        send(List.of(calls.get(2)));
        // The cancellation in June, after the months read here (so that no other test's months count the account), sent
        // last.
        send(List.of(track("rev-late", "Subscription Cancelled", "2004-06-01T09:00:00Z", Map.of())));

        JsonPath report = revenue("2004-01", "2004-04", null);
        assertMoney(List.of("100", "200", "100", "100"), report.getList("months.endingMrr"));
        assertMoney(List.of("0", "100", "0", "0"), report.getList("months.expansionMrr"));
        assertMoney(List.of("0", "0", "100", "0"), report.getList("months.contractionMrr"));
        assertEquals(
                0.0,
                asAdmin()
                        .get("/api/accounts/rev-late")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getDouble("mrr"),
                1e-9);
        assertEquals(
                "team",
                asAdmin()
                        .get("/api/accounts/rev-late")
                        .then()
                        .extract()
                        .jsonPath()
                        .getString("plan"),
                "the plan of the newest call that stated one");

        JsonPath history = json(asAdmin().get("/api/accounts/rev-late/history"));
        String revenueChanges = "changes.findAll { it.source == 'group' }";
        assertEquals(
                List.of("2004-01-05T09:00:00Z", "2004-02-05T09:00:00Z", "2004-03-05T09:00:00Z", "2004-04-05T09:00:00Z"),
                history.getList(revenueChanges + ".changedAt"),
                "in time order, whatever the order they came in");
        assertMoney(List.of("100", "200", "100", "100"), history.getList(revenueChanges + ".mrr"));
        assertMoney(List.of("1200", "2400", "1200", "1200"), history.getList(revenueChanges + ".arr"));
        assertTrue(
                history.getList("changes.lifecycleStage").stream().anyMatch(java.util.Objects::nonNull),
                "lifecycle stages are kept too");
        asAdmin().get("/api/accounts/no-such-account/history").then().statusCode(404);
    }

    /**
     * Two years of generated subscription histories for 800 accounts, sent in random order:
     * every figure of the monthly movements (all accounts and each coverage tier), the cohorts
     * and the lifetime values equals the computation here, from the histories as generated.
     */
    @Test
    void reportsEqualAnIndependentComputationOverTwoYearsOfHistory() {
        RevenueHistoryGenerator generated = new RevenueHistoryGenerator(20050101);
        generated.generate("rev-gen", 800, YearMonth.of(2005, 1), 18, YearMonth.of(2006, 12));
        List<Map<String, Object>> calls = new ArrayList<>(generated.calls);
        Collections.shuffle(calls, new Random(7));
        SegmentCalls.inBatches(calls);
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth month = YearMonth.of(2005, 1);
                !month.isAfter(YearMonth.of(2006, 12));
                month = month.plusMonths(1)) {
            months.add(month);
        }

        Map<String, Expected[]> expected = expectedMonths(generated, months);
        for (String group : List.of("all", "high-touch", "low-touch", "tech-touch")) {
            // Read as plain maps once: a JsonPath expression per figure would be compiled each time.
            List<Map<String, Object>> reported = revenue("2005-01", "2006-12", group.equals("all") ? null : group)
                    .getList("months");
            assertEquals(months.size(), reported.size(), group + ": a row per month");
            for (int i = 0; i < months.size(); i++) {
                expected.get(group)[i].assertEqualTo(reported.get(i), group + " " + months.get(i));
            }
        }
        for (String tier : List.of("high-touch", "low-touch", "tech-touch")) {
            List<Expected> tierMonths = List.of(expected.get(tier));
            assertTrue(
                    tierMonths.stream().anyMatch(month -> month.churnedAccounts > 0)
                            && tierMonths.stream().anyMatch(month -> month.contractedAccounts > 0)
                            && tierMonths.stream().anyMatch(month -> month.reactivatedAccounts > 0)
                            && tierMonths.stream().anyMatch(month -> month.expansionMrr.signum() > 0),
                    tier + ": the generated history churns, contracts, expands and reactivates accounts of every tier");
        }

        JsonPath values = json(asAdmin()
                .queryParam("from", "2005-01")
                .queryParam("to", "2006-12")
                .get("/api/reports/revenue/lifetime-value"));
        assertEquals(0.8, values.getDouble("grossMargin"), 1e-12);
        assertEquals(List.of("all", "high-touch", "low-touch", "tech-touch"), values.getList("tiers.tier"));
        for (int t = 0; t < 4; t++) {
            Expected sum = new Expected();
            for (Expected month : expected.get(values.getString("tiers[" + t + "].tier"))) {
                sum.startingAccounts += month.startingAccounts;
                sum.startingMrr = sum.startingMrr.add(month.startingMrr);
                sum.churnedMrr = sum.churnedMrr.add(month.churnedMrr).add(month.contractionMrr);
            }
            double arpa = sum.startingMrr.doubleValue() / sum.startingAccounts;
            double churn = sum.churnedMrr.doubleValue() / sum.startingMrr.doubleValue();
            assertEquals(sum.startingAccounts, values.getLong("tiers[" + t + "].payingAccountMonths"));
            assertEquals(churn, values.getDouble("tiers[" + t + "].monthlyRevenueChurn"), 1e-12);
            assertEquals(arpa, values.getDouble("tiers[" + t + "].arpa"), 0.005);
            assertEquals(arpa * 0.8 / churn, values.getDouble("tiers[" + t + "].lifetimeValue"), 0.006);
        }

        List<Map<String, Object>> cohorts = json(asAdmin()
                        .queryParam("from", "2005-01")
                        .queryParam("to", "2006-12")
                        .get("/api/reports/revenue/cohorts"))
                .getList("cohorts");
        for (int c = 0; c < 18; c++) {
            YearMonth cohort = YearMonth.of(2005, 1).plusMonths(c);
            List<String> members = generated.signups.entrySet().stream()
                    .filter(signup -> YearMonth.from(signup.getValue().atZone(ZoneOffset.UTC))
                            .equals(cohort))
                    .map(Map.Entry::getKey)
                    .toList();
            Map<String, Object> reported = cohorts.stream()
                    .filter(row -> row.get("cohort").equals(cohort.toString()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no cohort " + cohort));
            assertEquals(members.size(), number(reported, "accounts").intValueExact(), cohort.toString());
            List<BigDecimal> paying = numbers(reported, "paying");
            List<BigDecimal> mrr = numbers(reported, "mrr");
            assertEquals(24 - c, paying.size(), cohort + ": followed to December 2006");
            for (int k = 0; k < paying.size(); k++) {
                Instant end = MonthRange.end(cohort.plusMonths(k));
                long expectedPaying = members.stream()
                        .filter(account -> generated.mrrBefore(account, end).signum() > 0)
                        .count();
                BigDecimal expectedMrr = members.stream()
                        .map(account -> generated.mrrBefore(account, end))
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                assertEquals(expectedPaying, paying.get(k).longValueExact(), cohort + " month " + k);
                assertEquals(0, expectedMrr.compareTo(mrr.get(k)), cohort + " month " + k);
                if (paying.get(0).signum() > 0) {
                    assertEquals(
                            (double) expectedPaying / paying.get(0).doubleValue(),
                            numbers(reported, "logoRetention").get(k).doubleValue(),
                            1e-12);
                    assertEquals(
                            expectedMrr.doubleValue() / mrr.get(0).doubleValue(),
                            numbers(reported, "revenueRetention").get(k).doubleValue(),
                            1e-12);
                }
            }
        }

        // Sent out of order, each account shows the revenue of its newest change.
        for (String account :
                List.of("rev-gen-0", "rev-gen-1", "rev-gen-2", "rev-gen-3", "rev-gen-4", "rev-gen-5", "rev-gen-6")) {
            BigDecimal latest = generated.latest(account);
            Object shown = asAdmin()
                    .get("/api/accounts/" + account)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .get("mrr");
            if (latest == null) {
                assertNull(shown, account);
            } else {
                assertEquals(0, latest.compareTo(new BigDecimal(shown.toString())), account);
            }
        }
    }

    /** The month of every account's movement from the generated histories, for all accounts and per tier by ARR as it stood. */
    private static Map<String, Expected[]> expectedMonths(RevenueHistoryGenerator generated, List<YearMonth> months) {
        Map<String, Expected[]> expected = new LinkedHashMap<>();
        for (String group : List.of("all", "high-touch", "low-touch", "tech-touch")) {
            Expected[] perMonth = new Expected[months.size()];
            for (int i = 0; i < perMonth.length; i++) {
                perMonth[i] = new Expected();
            }
            expected.put(group, perMonth);
        }
        for (String account : generated.mrr.keySet()) {
            for (int i = 0; i < months.size(); i++) {
                Instant start = MonthRange.start(months.get(i));
                BigDecimal atStart = generated.mrrBefore(account, start);
                BigDecimal atEnd = generated.mrrBefore(account, MonthRange.end(months.get(i)));
                if (atStart.signum() == 0 && atEnd.signum() == 0) {
                    continue;
                }
                BigDecimal arr = (atStart.signum() > 0 ? atStart : atEnd).multiply(BigDecimal.valueOf(12));
                String tier = arr.compareTo(BigDecimal.valueOf(60000)) >= 0
                        ? "high-touch"
                        : arr.compareTo(BigDecimal.valueOf(6000)) >= 0 ? "low-touch" : "tech-touch";
                boolean returning = atStart.signum() == 0 && generated.paidBefore(account, start);
                expected.get("all")[i].add(atStart, atEnd, returning);
                expected.get(tier)[i].add(atStart, atEnd, returning);
            }
        }
        return expected;
    }

    /** A month's figures, added up plainly. */
    private static final class Expected {
        long startingAccounts;
        BigDecimal startingMrr = BigDecimal.ZERO;
        long newAccounts;
        BigDecimal newMrr = BigDecimal.ZERO;
        long reactivatedAccounts;
        BigDecimal reactivationMrr = BigDecimal.ZERO;
        BigDecimal expansionMrr = BigDecimal.ZERO;
        long contractedAccounts;
        BigDecimal contractionMrr = BigDecimal.ZERO;
        long churnedAccounts;
        BigDecimal churnedMrr = BigDecimal.ZERO;
        long endingAccounts;
        BigDecimal endingMrr = BigDecimal.ZERO;

        void add(BigDecimal atStart, BigDecimal atEnd, boolean returning) {
            if (atStart.signum() > 0) {
                startingAccounts++;
                startingMrr = startingMrr.add(atStart);
            }
            if (atEnd.signum() > 0) {
                endingAccounts++;
                endingMrr = endingMrr.add(atEnd);
            }
            if (atStart.signum() == 0 && returning) {
                reactivatedAccounts++;
                reactivationMrr = reactivationMrr.add(atEnd);
            } else if (atStart.signum() == 0) {
                newAccounts++;
                newMrr = newMrr.add(atEnd);
            } else if (atEnd.signum() == 0) {
                churnedAccounts++;
                churnedMrr = churnedMrr.add(atStart);
            } else if (atEnd.compareTo(atStart) > 0) {
                expansionMrr = expansionMrr.add(atEnd.subtract(atStart));
            } else if (atEnd.compareTo(atStart) < 0) {
                contractedAccounts++;
                contractionMrr = contractionMrr.add(atStart.subtract(atEnd));
            }
        }

        void assertEqualTo(Map<String, Object> month, String what) {
            assertEquals(startingAccounts, number(month, "startingAccounts").longValueExact(), what);
            assertEquals(newAccounts, number(month, "newAccounts").longValueExact(), what);
            assertEquals(
                    reactivatedAccounts, number(month, "reactivatedAccounts").longValueExact(), what);
            assertEquals(contractedAccounts, number(month, "contractedAccounts").longValueExact(), what);
            assertEquals(churnedAccounts, number(month, "churnedAccounts").longValueExact(), what);
            assertEquals(endingAccounts, number(month, "endingAccounts").longValueExact(), what);
            for (Map.Entry<String, BigDecimal> amount : Map.of(
                            "startingMrr",
                            startingMrr,
                            "newMrr",
                            newMrr,
                            "reactivationMrr",
                            reactivationMrr,
                            "expansionMrr",
                            expansionMrr,
                            "contractionMrr",
                            contractionMrr,
                            "churnedMrr",
                            churnedMrr,
                            "endingMrr",
                            endingMrr)
                    .entrySet()) {
                assertEquals(
                        0,
                        amount.getValue().compareTo(number(month, amount.getKey())),
                        what + " " + amount.getKey() + ": " + amount.getValue() + " vs " + month.get(amount.getKey()));
            }
            if (startingAccounts == 0) {
                assertNull(month.get("logoChurnRate"), what);
                return;
            }
            BigDecimal kept = startingMrr.subtract(churnedMrr).subtract(contractionMrr);
            assertEquals(
                    (double) churnedAccounts / startingAccounts,
                    number(month, "logoChurnRate").doubleValue(),
                    1e-12,
                    what);
            assertEquals(
                    churnedMrr.add(contractionMrr).doubleValue() / startingMrr.doubleValue(),
                    number(month, "revenueChurnRate").doubleValue(),
                    1e-12,
                    what);
            assertEquals(
                    kept.doubleValue() / startingMrr.doubleValue(),
                    number(month, "grossRevenueRetention").doubleValue(),
                    1e-12,
                    what);
            assertEquals(
                    kept.add(expansionMrr).doubleValue() / startingMrr.doubleValue(),
                    number(month, "netRevenueRetention").doubleValue(),
                    1e-12,
                    what);
        }
    }

    @Test
    void renewalsDueInTheNext90DaysSoonestFirstWithTheirHealth() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String now = Instant.now().toString();
        send(List.of(
                group(
                        "renew-soon",
                        now,
                        Map.of(
                                "plan",
                                "team",
                                "mrr",
                                100,
                                "renewal_date",
                                today.plusDays(10).toString())),
                group(
                        "renew-later",
                        now,
                        Map.of(
                                "plan",
                                "team",
                                "mrr",
                                300,
                                "renewalDate",
                                today.plusDays(45).toString())),
                group(
                        "renew-last",
                        now,
                        Map.of(
                                "plan",
                                "scale",
                                "mrr",
                                4000,
                                "renewal_date",
                                today.plusDays(80).toString())),
                group(
                        "renew-far",
                        now,
                        Map.of(
                                "plan",
                                "team",
                                "mrr",
                                100,
                                "renewal_date",
                                today.plusDays(120).toString())),
                group(
                        "renew-past",
                        now,
                        Map.of(
                                "plan",
                                "team",
                                "mrr",
                                100,
                                "renewal_date",
                                today.minusDays(1).toString()))));

        JsonPath renewals = json(asAdmin().get("/api/reports/renewals"));

        List<String> due = renewals.getList("renewals.accountId");
        assertEquals(
                List.of("renew-soon", "renew-later", "renew-last"),
                due.stream().filter(id -> id.startsWith("renew-")).toList());
        String soon = "renewals.find { it.accountId == 'renew-soon' }";
        assertEquals(10, renewals.getInt(soon + ".daysUntil"));
        assertEquals(30, renewals.getInt(soon + ".withinDays"));
        assertEquals(60, renewals.getInt("renewals.find { it.accountId == 'renew-later' }.withinDays"));
        assertEquals(90, renewals.getInt("renewals.find { it.accountId == 'renew-last' }.withinDays"));
        assertEquals(List.of(30, 60, 90), renewals.getList("windows.days"));
    }

    @Test
    void aReportOfAnUnknownSegmentOrAReversedRangeSaysWhatIsWrong() {
        asAdmin()
                .queryParam("segment", "no-such")
                .get("/api/reports/revenue")
                .then()
                .statusCode(400)
                .body("detail", containsString("no segment 'no-such'"));
        asAdmin()
                .queryParam("from", "2006-12")
                .queryParam("to", "2006-01")
                .get("/api/reports/revenue")
                .then()
                .statusCode(400)
                .body("detail", containsString("'from' (2006-12)"));
        asAdmin()
                .queryParam("from", "last spring")
                .get("/api/reports/revenue/cohorts")
                .then()
                .statusCode(400)
                .body("detail", containsString("a month like 2026-11"));
    }

    private static JsonPath revenue(String from, String to, String segment) {
        var request = asAdmin().queryParam("from", from).queryParam("to", to);
        if (segment != null) {
            request = request.queryParam("segment", segment);
        }
        return json(request.get("/api/reports/revenue"));
    }

    private static JsonPath json(io.restassured.response.Response response) {
        return response.then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    /** A number of a report read as a map, exactly as written. */
    private static BigDecimal number(Map<String, Object> row, String field) {
        Object value = row.get(field);
        assertNotNull(value, field + " in " + row);
        return new BigDecimal(value.toString());
    }

    /** A list of numbers of a report read as a map, exactly as written. */
    private static List<BigDecimal> numbers(Map<String, Object> row, String field) {
        List<?> values = (List<?>) row.get(field);
        assertNotNull(values, field + " in " + row);
        return values.stream().map(value -> new BigDecimal(value.toString())).toList();
    }

    private static void assertMoney(List<String> expected, List<Object> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(
                    0,
                    new BigDecimal(expected.get(i))
                            .compareTo(new BigDecimal(actual.get(i).toString())),
                    "item " + i + ": " + expected + " vs " + actual);
        }
    }

    private static void send(List<Map<String, Object>> calls) {
        SegmentCalls.batch(calls).statusCode(200);
    }

    private static Map<String, Object> group(String account, String at, Map<String, Object> traits) {
        return Map.of(
                "type",
                "group",
                "userId",
                "owner-" + account,
                "groupId",
                account,
                "traits",
                traits,
                "timestamp",
                at,
                "messageId",
                "rev-" + account + "-" + at + "-" + traits.hashCode());
    }

    private static Map<String, Object> track(String account, String event, String at, Map<String, Object> properties) {
        return Map.of(
                "type",
                "track",
                "userId",
                "owner-" + account,
                "event",
                event,
                "properties",
                properties,
                "context",
                Map.of("groupId", account),
                "timestamp",
                at,
                "messageId",
                "rev-" + account + "-" + event + "-" + at);
    }
}
