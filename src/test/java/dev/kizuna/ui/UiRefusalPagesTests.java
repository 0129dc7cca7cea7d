package dev.kizuna.ui;

import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A refused form or page reads as a page in the reader's language; API clients keep their problem+json. */
@QuarkusTest
class UiRefusalPagesTests {

    @Test
    void aFormWithoutItsCsrfTokenAnswersAReadablePageInEnglish() {
        Cookie session = new Cookie.Builder(
                        UiSessions.COOKIE, UiKeys.sessionOf(UiKeys.create("csm").secret()))
                .build();
        given().redirects()
                .follow(false)
                .cookie(session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("other", "x")
                .post("/ui/sign-out")
                .then()
                .statusCode(403)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'none'"))
                .body(containsString("<html lang=\"en\">"))
                .body(containsString("403 · Not allowed"))
                .body(containsString("without its security token"))
                .body(containsString("id=\"error-back\">Back</a>"))
                .body(not(containsString("\"status\"")));
    }

    @Test
    void aFormWithoutItsCsrfTokenAnswersAReadablePageInJapanese() {
        Cookie session = new Cookie.Builder(
                        UiSessions.COOKIE, UiKeys.sessionOf(UiKeys.create("csm").secret()))
                .build();
        given().redirects()
                .follow(false)
                .cookie(session)
                .cookie(UiLanguage.COOKIE, "ja")
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf", "forged")
                .post("/ui/sign-out")
                .then()
                .statusCode(403)
                .contentType(startsWith("text/html"))
                .body(containsString("<html lang=\"ja\">"))
                .body(containsString("403 · 許可されていません"))
                .body(containsString("セキュリティトークン"))
                .body(containsString(">戻る</a>"));
    }

    @Test
    void aRoleWithoutTheRightIsToldWhichRoleItNeedsInBothLanguages() {
        asProduct()
                .body(Map.of("userId", "refusal-pia", "traits", Map.of("email", "pia@refusal.example")))
                .post("/v1/identify")
                .then()
                .statusCode(200);
        Cookie csm = new Cookie.Builder(
                        UiSessions.COOKIE, UiKeys.sessionOf(UiKeys.create("csm").secret()))
                .build();
        given().cookie(csm)
                .header("Referer", "http://localhost:8081/ui/rules")
                .queryParam("account", "refusal-acme")
                .get("/ui/rules/welcome-new-workspace/preview")
                .then()
                .statusCode(403)
                .contentType(startsWith("text/html"))
                .body(containsString("need a marketer or admin key; your csm key can read"))
                .body(containsString("href=\"/ui/rules\" id=\"error-back\""));
        given().cookie(csm)
                .header("Accept-Language", "ja")
                .queryParam("account", "refusal-acme")
                .get("/ui/rules/welcome-new-workspace/preview")
                .then()
                .statusCode(403)
                .body(containsString("marketer または admin のキーが必要です"))
                .body(containsString("href=\"/ui/messages\" id=\"error-back\""));
    }

    @Test
    void anUnknownUiAddressIsAPageToo() {
        Cookie csm = new Cookie.Builder(
                        UiSessions.COOKIE, UiKeys.sessionOf(UiKeys.create("csm").secret()))
                .build();
        given().cookie(csm)
                .get("/ui/no-such-page")
                .then()
                .statusCode(404)
                .contentType(startsWith("text/html"))
                .body(containsString("404 · Not found"));
    }

    @Test
    void apiClientsKeepProblemJsonAndBrowsersOnTheApiGetAPage() {
        given().get("/api/accounts")
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("Bearer"));
        given().accept("application/json")
                .get("/api/accounts")
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"));
        given().accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .header("Accept-Language", "ja")
                .get("/api/accounts")
                .then()
                .statusCode(401)
                .contentType(startsWith("text/html"))
                .body(containsString("401 · サインインしていません"))
                .body(containsString("Bearer"));
    }
}
