package dev.kizuna.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.kizuna.Scenario;
import dev.kizuna.SegmentCalls;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the pages show, and that what customers' products send is shown as text, never run as markup. */
@QuarkusTest
class UiPagesTests {

    @Test
    void hostileTraitValuesAreEscapedOnTheAccountPage() {
        String hostile = "<script>alert('owned')</script>";
        SegmentCalls.identify("ui-mallory", Map.of("email", "mallory@evil.example"))
                .statusCode(200);
        SegmentCalls.group("ui-mallory", "ui-evil", Map.of("name", hostile, "plan", "\"><img src=x onerror=alert(1)>"))
                .statusCode(200);

        String session = UiKeys.sessionOf(UiKeys.create("csm").secret());
        given().cookie(UiSessions.COOKIE, session)
                .get("/ui/accounts/ui-evil")
                .then()
                .statusCode(200)
                .body(not(containsString("<script>alert")))
                .body(not(containsString("<img src=x")))
                .body(containsString("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;"))
                .body(containsString("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        given().cookie(UiSessions.COOKIE, session)
                .queryParam("q", "ui-evil")
                .get("/ui/accounts")
                .then()
                .statusCode(200)
                .body(not(containsString("<script>alert")))
                .body(containsString("href=\"/ui/accounts/ui-evil\""));
    }

    @Test
    void onlyMarketersAndAdminsGetTemplatePreviewsAndSimulations() {
        Scenario.trialUser("ui-pia", "ui-preview")
                .withTraits(Map.of("email", "pia@preview.example", "name", "Pia"))
                .inAccountNamed("Preview Co")
                .identifies()
                .joinsTheAccount();

        String csm = UiKeys.sessionOf(UiKeys.create("csm").secret());
        given().cookie(UiSessions.COOKIE, csm)
                .get("/ui/rules")
                .then()
                .statusCode(200)
                .body(containsString("id=\"rule-welcome-new-workspace\""))
                .body(not(containsString("preview-form")));
        given().cookie(UiSessions.COOKIE, csm)
                .queryParam("account", "ui-preview")
                .get("/ui/rules/welcome-new-workspace/preview")
                .then()
                .statusCode(403);

        String marketer = UiKeys.sessionOf(UiKeys.create("marketer").secret());
        given().cookie(UiSessions.COOKIE, marketer)
                .get("/ui/rules")
                .then()
                .statusCode(200)
                .body(containsString("id=\"preview-form-welcome-new-workspace\""));
        given().cookie(UiSessions.COOKIE, marketer)
                .queryParam("account", "ui-preview")
                .get("/ui/rules/welcome-new-workspace/preview")
                .then()
                .statusCode(200)
                .body(containsString("Welcome to Tasklane, Pia"))
                .body(containsString("srcdoc=\"&lt;"))
                .body(containsString("Start with your first project"))
                .body(containsString("id=\"simulation\""))
                .body(containsString("<span class=\"status status-sent\">would get the message</span>"));
    }

    @Test
    void marketersReloadTheRulesFromTheRulesPageAndCsmsCannot() {
        io.restassured.http.Cookie csm = new io.restassured.http.Cookie.Builder(
                        UiSessions.COOKIE, UiKeys.sessionOf(UiKeys.create("csm").secret()))
                .build();
        String csmPage = given().cookie(csm)
                .get("/ui/rules")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        org.junit.jupiter.api.Assertions.assertFalse(
                csmPage.contains("id=\"reload-rules\""), "a CSM gets no reload button");
        String csmCsrf = csmPage.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        given().redirects()
                .follow(false)
                .cookie(csm)
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf", csmCsrf)
                .post("/ui/rules/reload")
                .then()
                .statusCode(403);

        io.restassured.http.Cookie marketer = new io.restassured.http.Cookie.Builder(
                        UiSessions.COOKIE,
                        UiKeys.sessionOf(UiKeys.create("marketer").secret()))
                .build();
        String page = given().cookie(marketer)
                .get("/ui/rules")
                .then()
                .statusCode(200)
                .body(containsString("id=\"reload-rules\""))
                .extract()
                .asString();
        String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        given().redirects()
                .follow(false)
                .cookie(marketer)
                .contentType("application/x-www-form-urlencoded")
                .formParam("other", "x")
                .post("/ui/rules/reload")
                .then()
                .statusCode(403);
        given().redirects()
                .follow(false)
                .cookie(marketer)
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf", csrf)
                .post("/ui/rules/reload")
                .then()
                .statusCode(303)
                .header("Location", containsString("/ui/rules"));
        dev.kizuna.TestKeys.asAdmin()
                .get("/api/audit")
                .then()
                .statusCode(200)
                .body("items.detail", org.hamcrest.Matchers.hasItem(containsString("(from the web UI)")));
    }

    @Test
    void theReportsPageDrawsTheFunnelTimeToValueAndEngagement() {
        Scenario.trialUser("ui-rita", "ui-reports")
                .withEmail("rita@reports.example")
                .inAccountNamed("Reports Co")
                .signsUp("ui-reports-signup");

        String session = UiKeys.sessionOf(UiKeys.create("csm").secret());
        given().cookie(UiSessions.COOKIE, session)
                .get("/ui/reports")
                .then()
                .statusCode(200)
                .body(containsString("id=\"funnel\""))
                .body(containsString("created_project"))
                .body(containsString("Created a first project"))
                .body(containsString("id=\"cohorts\""))
                .body(containsString("href=\"/ui/rules#rule-welcome-new-workspace\""))
                .body(containsString("class=\"meter\""));
        given().cookie(UiSessions.COOKIE, session)
                .header("Accept-Language", "ja,en;q=0.5")
                .get("/ui/reports")
                .then()
                .statusCode(200)
                .body(containsString("アクティベーションファネル"))
                .body(containsString("<html lang=\"ja\">"));
    }

    @Test
    void pagesRunNoScriptAndCannotBeFramedOrCached() {
        given().get("/ui/sign-in")
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'none'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Cache-Control", "no-store")
                .body(not(containsString("<script")));
    }
}
