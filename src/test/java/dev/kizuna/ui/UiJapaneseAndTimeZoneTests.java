package dev.kizuna.ui;

import static dev.kizuna.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import dev.kizuna.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Japanese UI says in Japanese what Kizuna itself writes, and every time shows in the reader's time zone, named. */
@QuarkusTest
class UiJapaneseAndTimeZoneTests {

    private static final Cookie JAPANESE = new Cookie.Builder(UiLanguage.COOKIE, "ja").build();

    @Test
    void aMessageReadInJapaneseHasItsStatusTimelineAndExplanationInJapanese() {
        long id = welcomeEmailOf("ja-ken", "ja-acme");
        String session = UiKeys.sessionOf(UiKeys.create("csm").secret());

        String page = given().cookie(UiSessions.COOKIE, session)
                .cookie(JAPANESE)
                .get("/ui/messages/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String heading = between(page, "id=\"message-heading\"", "</h1>");
        assertContainsNone(heading, ">queued<", ">sent<", ">failed<");
        org.hamcrest.MatcherAssert.assertThat(
                heading, org.hamcrest.Matchers.anyOf(containsString("送信待ち"), containsString("送信済み")));
        String timeline = between(page, "id=\"timeline\"", "</ol>");
        org.hamcrest.MatcherAssert.assertThat(
                timeline, allOf(containsString("<span class=\"tag\">決定</span>"), not(containsString(">decided<"))));
        String explanation = between(page, "id=\"explanation\"", "</p>");
        org.hamcrest.MatcherAssert.assertThat(
                explanation,
                allOf(
                        containsString("イベント「Signed Up」がきっかけ（イベント ja-acme-signup）"),
                        containsString("条件: `account.traits.plan == &#39;trial&#39;` は真です"),
                        containsString("送信回数の制限: まだ送信していません（ユーザーごとに 1 回）")));
        assertContainsNone(explanation, "condition:", " is true", "not sent yet", "once per");
        org.hamcrest.MatcherAssert.assertThat(
                "the cause's type", page, containsString("<span class=\"tag\">イベント</span>"));
    }

    @Test
    void theJapaneseLogRulesAndAccountPagesNameStatusesInJapanese() {
        welcomeEmailOf("ja-rin", "ja-rin-co");
        String session = UiKeys.sessionOf(UiKeys.create("csm").secret());

        String log = given().cookie(UiSessions.COOKIE, session)
                .cookie(JAPANESE)
                .queryParam("account", "ja-rin-co")
                .get("/ui/messages")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        org.hamcrest.MatcherAssert.assertThat(
                log,
                allOf(
                        containsString("<option value=\"held_out\">ホールドアウト</option>"),
                        containsString("<option value=\"capped\">上限で見送り</option>"),
                        not(containsString(">held_out<"))));
        assertContainsNone(between(log, "id=\"message-log\"", "</table>"), ">queued<", ">sent<");

        String rules = given().cookie(UiSessions.COOKIE, session)
                .cookie(JAPANESE)
                .get("/ui/rules")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        org.hamcrest.MatcherAssert.assertThat(rules, containsString("イベント「Signed Up」"));
        assertContainsNone(rules, "event 'Signed Up'", ">queued</span>", ">sent</span>");

        String account = given().cookie(UiSessions.COOKIE, session)
                .cookie(JAPANESE)
                .get("/ui/accounts/ja-rin-co")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertContainsNone(
                between(account, "id=\"account-timeline\"", "</table>"), "· queued", "· sent", ">queued<", ">sent<");
    }

    @Test
    void theSimulationAndPreviewSpeakJapaneseToo() {
        Scenario.trialUser("ja-mio", "ja-preview")
                .withTraits(Map.of("email", "mio@ja-preview.example", "name", "Mio"))
                .inAccountNamed("Preview KK")
                .identifies()
                .joinsTheAccount();
        String marketer = UiKeys.sessionOf(UiKeys.create("marketer").secret());
        String page = given().cookie(UiSessions.COOKIE, marketer)
                .cookie(JAPANESE)
                .queryParam("account", "ja-preview")
                .get("/ui/rules/welcome-new-workspace/preview")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        org.hamcrest.MatcherAssert.assertThat(
                page,
                allOf(
                        containsString("<dt>送信者</dt>"),
                        containsString("<p>発火</p>"),
                        containsString("<strong>条件</strong>"),
                        containsString("頻度上限の範囲内です")));
        assertContainsNone(
                page, "<dt>Sender</dt>", "<p>fire</p>", "<strong>condition</strong>", "within the frequency caps");
    }

    @Test
    void timesShowInTheChosenTimeZoneAndJapaneseReadersDefaultToJapanTime() {
        long id = welcomeEmailOf("tz-aki", "tz-acme");
        Instant decided = Instant.parse(asAdmin()
                .get("/api/messages/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("createdAt"));
        String inTokyo =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                                .withZone(ZoneId.of("Asia/Tokyo"))
                                .format(decided) + " JST";
        String inUtc = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                        .withZone(ZoneId.of("UTC"))
                        .format(decided) + " UTC";
        String session = UiKeys.sessionOf(UiKeys.create("csm").secret());

        given().cookie(UiSessions.COOKIE, session)
                .get("/ui/messages/" + id)
                .then()
                .statusCode(200)
                .body(containsString("<dd>" + inUtc + "</dd>"))
                .body(containsString("<option value=\"UTC\" selected>UTC</option>"));
        given().cookie(UiSessions.COOKIE, session)
                .cookie(JAPANESE)
                .get("/ui/messages/" + id)
                .then()
                .statusCode(200)
                .body(containsString("<dd>" + inTokyo + "</dd>"))
                .body(containsString("<option value=\"Asia/Tokyo\" selected>Asia/Tokyo</option>"))
                .body(not(containsString(" UTC</")));

        // An English reader who chooses Japan's time: the choice is a cookie, like the language.
        String cookie = given().redirects()
                .follow(false)
                .queryParam("to", "Asia/Tokyo")
                .queryParam("back", "/ui/messages/" + id)
                .get("/ui/timezone")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/ui/messages/" + id))
                .header("Set-Cookie", allOf(containsString("kizuna_tz=Asia/Tokyo"), containsString("Path=/ui")))
                .extract()
                .cookie(UiTimeZone.COOKIE);
        given().cookie(UiSessions.COOKIE, session)
                .cookie(UiTimeZone.COOKIE, cookie)
                .get("/ui/messages/" + id)
                .then()
                .statusCode(200)
                .body(containsString("<html lang=\"en\">"))
                .body(containsString("<dd>" + inTokyo + "</dd>"))
                .body(containsString("<span class=\"tag\">decided</span> <time>" + inTokyo + "</time>"));
        given().cookie(UiSessions.COOKIE, session)
                .cookie(UiTimeZone.COOKIE, cookie)
                .queryParam("account", "tz-acme")
                .get("/ui/messages")
                .then()
                .statusCode(200)
                .body(containsString("<td>" + inTokyo + "</td>"));
    }

    @Test
    void anUnknownTimeZoneIsForgottenNotStored() {
        given().redirects()
                .follow(false)
                .queryParam("to", "Mars/Olympus")
                .get("/ui/timezone")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/ui/messages"))
                .header("Set-Cookie", allOf(containsString("kizuna_tz=;"), containsString("Max-Age=0")));
    }

    /** Signs a trial workspace up through the product's API and returns the id of its welcome email. */
    private static long welcomeEmailOf(String userId, String accountId) {
        Scenario.trialUser(userId, accountId)
                .withTraits(Map.of("email", userId + "@ja.example", "name", userId))
                .signsUp(accountId + "-signup");
        Number id = asAdmin()
                .queryParam("accountId", accountId)
                .queryParam("channel", "email")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].id");
        return id.longValue();
    }

    private static String between(String page, String from, String to) {
        int start = page.indexOf(from);
        return page.substring(start, page.indexOf(to, start));
    }

    private static void assertContainsNone(String text, String... untranslated) {
        for (String word : untranslated) {
            org.junit.jupiter.api.Assertions.assertFalse(
                    text.contains(word), "untranslated '" + word + "' in: " + text);
        }
    }
}
