package dev.kizuna.ui;

import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The retention page: MRR movements, revenue retention and ending MRR drawn as SVG on the server,
 * the months' table, lifetime value, cohorts, renewals and health, in English and Japanese, with
 * what products send shown as text.
 */
@QuarkusTest
class UiRetentionPageTests {

    private static final Cookie JAPANESE = new Cookie.Builder(UiLanguage.COOKIE, "ja").build();

    /** Two accounts in 2002: one starts at 100 in January and grows to 150 in February (and cancels in June), one starts in February at 40 and cancels in March. */
    private static void history() {
        asProduct()
                .body(Map.of(
                        "batch",
                        List.of(
                                group(
                                        "ui-rev-a",
                                        "2002-01-10T09:00:00Z",
                                        Map.of(
                                                "name",
                                                "Alpha <b>Co</b>",
                                                "createdAt",
                                                "2002-01-10T09:00:00Z",
                                                "plan",
                                                "team",
                                                "mrr",
                                                100)),
                                group("ui-rev-a", "2002-02-10T09:00:00Z", Map.of("mrr", 150)),
                                group(
                                        "ui-rev-b",
                                        "2002-02-03T09:00:00Z",
                                        Map.of(
                                                "createdAt",
                                                "2002-02-03T09:00:00Z",
                                                "plan",
                                                "starter",
                                                "mrr",
                                                40,
                                                "renewal_date",
                                                LocalDate.now(ZoneOffset.UTC)
                                                        .plusDays(20)
                                                        .toString())),
                                Map.of(
                                        "type",
                                        "track",
                                        "userId",
                                        "owner-ui-rev-b",
                                        "event",
                                        "Subscription Cancelled",
                                        "context",
                                        Map.of("groupId", "ui-rev-b"),
                                        "timestamp",
                                        "2002-03-15T09:00:00Z",
                                        "messageId",
                                        "ui-rev-b-cancel"),
                                // After the months shown here, so that no other test's months count the account.
                                Map.of(
                                        "type",
                                        "track",
                                        "userId",
                                        "owner-ui-rev-a",
                                        "event",
                                        "Subscription Cancelled",
                                        "context",
                                        Map.of("groupId", "ui-rev-a"),
                                        "timestamp",
                                        "2002-06-01T09:00:00Z",
                                        "messageId",
                                        "ui-rev-a-cancel"))))
                .post("/v1/batch")
                .then()
                .statusCode(200);
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
                account + "-" + at);
    }

    @Test
    void theRetentionPageDrawsTheMonthsAsChartsAndTables() {
        history();
        String session = UiKeys.sessionOf(UiKeys.create("csm").secret());
        String page = given().cookie(UiSessions.COOKIE, session)
                .queryParam("from", "2002-01")
                .queryParam("to", "2002-03")
                .get("/ui/retention")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .replaceAll(">\\s+<", "><");

        assertTrue(
                page.contains("<svg class=\"chart\" id=\"mrr-movements\" role=\"img\""),
                "the movements chart is inline SVG");
        assertTrue(page.contains("<title id=\"mrr-movements-title\">MRR movements</title>"));
        assertTrue(page.contains("<title>2002-02 · Expansion: 50</title>"), "each bar says what it is");
        assertTrue(page.contains("<title>2002-02 · New: 40</title>"));
        assertTrue(page.contains("<title>2002-03 · Churned: −40</title>"));
        assertTrue(page.contains("id=\"revenue-retention\"")
                && page.contains("id=\"mrr-ending\"")
                && page.contains("id=\"health-bands\""));
        assertTrue(
                page.contains("<th scope=\"row\">2002-02</th><td>100</td><td>90</td><td>0</td><td>190</td>"),
                "February: 100 + 90 = 190");
        assertTrue(
                page.contains(
                        "<th scope=\"row\">2002-03</th><td>190</td><td>0</td><td>40</td><td>150</td><td>1</td><td>50.0%</td>"
                                + "<td>78.9%</td><td>78.9%</td>"),
                "March: B's 40 churned of 190");
        assertFalse(page.contains("<script"), "no script on the page");
        assertFalse(page.contains("Alpha <b>Co</b>"), "names are text");
        assertTrue(page.contains("id=\"renewals\""));
        assertTrue(page.contains("<a href=\"/ui/accounts/ui-rev-b\">ui-rev-b</a>"), "the renewal links its account");

        String japanese = given().cookie(UiSessions.COOKIE, session)
                .cookie(JAPANESE)
                .queryParam("from", "2002-01")
                .queryParam("to", "2002-03")
                .get("/ui/retention")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(japanese.contains("<h1>リテンションと収益</h1>"));
        assertTrue(japanese.contains("<title id=\"mrr-movements-title\">MRR の増減</title>"));
        assertTrue(japanese.contains("<title>2002-02 · 拡大: 50</title>"));
        assertTrue(japanese.contains("グロス収益維持率 (GRR)"));
    }

    @Test
    void aSegmentNarrowsTheMonthsToItsAccountsAsTheyStood() {
        history();
        String session = UiKeys.sessionOf(UiKeys.create("csm").secret());
        given().cookie(UiSessions.COOKIE, session)
                .queryParam("from", "2002-01")
                .queryParam("to", "2002-03")
                .queryParam("segment", "tech-touch")
                .get("/ui/retention")
                .then()
                .statusCode(200)
                .body(containsString("<option value=\"tech-touch\" selected>tech-touch</option>"))
                .body(containsString("<th scope=\"row\">2002-02</th><td>100</td><td>90</td>"));
        given().cookie(UiSessions.COOKIE, session)
                .queryParam("segment", "no-such")
                .get("/ui/retention")
                .then()
                .statusCode(400);
    }
}
