package dev.kizuna.ui;

import static dev.kizuna.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import org.junit.jupiter.api.Test;

/** Who may open the UI: a live csm, marketer or admin key's signed session, and nobody else. */
@QuarkusTest
class UiAccessTests {

    @Test
    void withoutASessionEveryPageRedirectsToSignIn() {
        for (String page : new String[] {
            "/ui/messages",
            "/ui/messages/1",
            "/ui/accounts",
            "/ui/accounts/acme",
            "/ui/rules",
            "/ui/rules/welcome-new-workspace/preview",
            "/ui/reports"
        }) {
            given().redirects()
                    .follow(false)
                    .get(page)
                    .then()
                    .statusCode(303)
                    .header("Location", endsWith("/ui/sign-in"));
        }
    }

    @Test
    void aCsmKeySignsInWithAStrictHttpOnlyCookieLimitedToTheUi() {
        UiKeys.Key csm = UiKeys.create("csm");
        UiKeys.signIn(csm.secret())
                .then()
                .statusCode(303)
                .header("Location", endsWith("/ui/messages"))
                .header(
                        "Set-Cookie",
                        allOf(
                                containsString("kizuna_ui="),
                                containsString("HttpOnly"),
                                containsString("SameSite=Strict"),
                                containsString("Path=/ui"),
                                not(containsString("Secure"))));
        given().cookie(UiSessions.COOKIE, UiKeys.sessionOf(csm.secret()))
                .get("/ui/messages")
                .then()
                .statusCode(200)
                .body(containsString("id=\"message-log\""));
    }

    @Test
    void aWriteKeyIsRefusedWithAClearMessage() {
        UiKeys.signIn("test-write-key")
                .then()
                .statusCode(403)
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue())
                .body(containsString("A write key is for sending events"));
    }

    @Test
    void anUnknownKeyIsRefused() {
        UiKeys.signIn("not-a-key").then().statusCode(401).body(containsString("unknown or has been revoked"));
    }

    @Test
    void aTamperedCookieIsRefused() {
        UiKeys.Key csm = UiKeys.create("csm");
        String session = UiKeys.sessionOf(csm.secret());
        // Claim the admin role and another key in the payload; the signature no longer matches.
        String[] parts = session.split("\\.");
        String forged = "1.admin." + parts[2] + "." + parts[3] + "." + parts[4];
        given().redirects()
                .follow(false)
                .cookie(UiSessions.COOKIE, forged)
                .get("/ui/messages")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/ui/sign-in"))
                .header("Set-Cookie", containsString("Max-Age=0"));
        // A different character in the signature (its last-but-one carries whole bits of the MAC).
        char signatureChar = session.charAt(session.length() - 2);
        String flipped = session.substring(0, session.length() - 2)
                + (signatureChar == 'A' ? 'B' : 'A')
                + session.charAt(session.length() - 1);
        given().redirects()
                .follow(false)
                .cookie(UiSessions.COOKIE, flipped)
                .get("/ui/messages")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/ui/sign-in"));
    }

    @Test
    void revokingTheKeyEndsItsSessionAtTheNextPage() {
        UiKeys.Key csm = UiKeys.create("csm");
        String session = UiKeys.sessionOf(csm.secret());
        given().cookie(UiSessions.COOKIE, session).get("/ui/messages").then().statusCode(200);

        asAdmin().delete("/api/keys/" + csm.id()).then().statusCode(200);

        given().redirects()
                .follow(false)
                .cookie(UiSessions.COOKIE, session)
                .get("/ui/messages")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/ui/sign-in"));
    }

    @Test
    void signingOutWithoutTheFormsCsrfTokenIsForbidden() {
        UiKeys.Key csm = UiKeys.create("csm");
        Cookie session = new Cookie.Builder(UiSessions.COOKIE, UiKeys.sessionOf(csm.secret())).build();
        given().redirects()
                .follow(false)
                .cookie(session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("other", "x")
                .post("/ui/sign-out")
                .then()
                .statusCode(403);
        given().redirects()
                .follow(false)
                .cookie(session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf", "forged")
                .post("/ui/sign-out")
                .then()
                .statusCode(403);

        String page = given().cookie(session)
                .get("/ui/messages")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        given().redirects()
                .follow(false)
                .cookie(session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf", csrf)
                .post("/ui/sign-out")
                .then()
                .statusCode(303)
                .header("Set-Cookie", containsString("Max-Age=0"));
    }

    @Test
    void signingOutEndsTheSessionOnTheServerSoAKeptCookieNoLongerOpensPages() {
        UiKeys.Key csm = UiKeys.create("csm");
        Cookie session = new Cookie.Builder(UiSessions.COOKIE, UiKeys.sessionOf(csm.secret())).build();
        String page = given().cookie(session)
                .get("/ui/messages")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");

        given().redirects()
                .follow(false)
                .cookie(session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf", csrf)
                .post("/ui/sign-out")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/ui/sign-in"));

        // The browser dropped the cookie; someone who kept a copy replays it.
        given().redirects()
                .follow(false)
                .cookie(session)
                .get("/ui/messages")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/ui/sign-in"));
        given().redirects()
                .follow(false)
                .cookie(session)
                .get("/ui/messages/1")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/ui/sign-in"));
    }

    @Test
    void signingOutEndsOnlyThatSessionNotTheKeysOthers() {
        UiKeys.Key csm = UiKeys.create("csm");
        Cookie leaving = new Cookie.Builder(UiSessions.COOKIE, UiKeys.sessionOf(csm.secret())).build();
        String staying = UiKeys.sessionOf(csm.secret());
        String page = given().cookie(leaving)
                .get("/ui/messages")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        given().redirects()
                .follow(false)
                .cookie(leaving)
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf", csrf)
                .post("/ui/sign-out")
                .then()
                .statusCode(303);

        given().cookie(UiSessions.COOKIE, staying).get("/ui/messages").then().statusCode(200);
    }

    @Test
    void revokingTheKeyEndsEveryOneOfItsSessions() {
        UiKeys.Key csm = UiKeys.create("csm");
        String first = UiKeys.sessionOf(csm.secret());
        String second = UiKeys.sessionOf(csm.secret());
        given().cookie(UiSessions.COOKIE, first).get("/ui/messages").then().statusCode(200);
        given().cookie(UiSessions.COOKIE, second).get("/ui/messages").then().statusCode(200);

        asAdmin().delete("/api/keys/" + csm.id()).then().statusCode(200);

        for (String session : new String[] {first, second}) {
            given().redirects()
                    .follow(false)
                    .cookie(UiSessions.COOKIE, session)
                    .get("/ui/messages")
                    .then()
                    .statusCode(303)
                    .header("Location", endsWith("/ui/sign-in"));
        }
    }
}
