package dev.kizuna.ui;

import static dev.kizuna.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.util.Map;

/** Keys of each role for UI tests, and signing in with them as a browser would. */
public final class UiKeys {

    record Key(long id, String secret) {}

    private UiKeys() {}

    static Key create(String role) {
        var created = asAdmin()
                .contentType("application/json")
                .body(Map.of("name", "ui " + role, "role", role))
                .post("/api/keys")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Key(created.getLong("id"), created.getString("secret"));
    }

    static Response signIn(String secret) {
        return given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("key", secret)
                .post("/ui/sign-in");
    }

    /** The session cookie a successful sign-in sets. */
    static String sessionOf(String secret) {
        Response response = signIn(secret);
        response.then().statusCode(303);
        return response.getCookie(UiSessions.COOKIE);
    }

    /** A page of the UI as a user of the role, signed in, reads it in the language (en, ja): its HTML. */
    public static String page(String role, String path, String language) {
        return given().cookie(UiSessions.COOKIE, sessionOf(create(role).secret()))
                .cookie(UiLanguage.COOKIE, language)
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }
}
