package dev.kizuna.security;

import static dev.kizuna.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A key past its rate limit is told to wait; other keys are not held up by it. */
@QuarkusTest
@TestProfile(RateLimitTests.LowLimits.class)
class RateLimitTests {

    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // One call every 5 seconds, two at once: slow enough that a slow machine cannot refill a token mid-test.
            return Map.of("kizuna.security.api-rate-limit", "0.2", "kizuna.security.burst-seconds", "10");
        }
    }

    @Test
    void aKeyPastItsLimitGets429WithRetryAfterAndOthersGoOn() {
        String busy = newCsmKey("busy");
        String quiet = newCsmKey("quiet");
        for (int call = 0; call < 2; call++) {
            given().header("Authorization", "Bearer " + busy)
                    .get("/api/messages")
                    .then()
                    .statusCode(200);
        }
        given().header("Authorization", "Bearer " + busy)
                .get("/api/messages")
                .then()
                .statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-5]"))
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("https://kizuna.dev/problems/limit"))
                .body("detail", containsString("rate limit"));
        given().header("Authorization", "Bearer " + quiet)
                .get("/api/messages")
                .then()
                .statusCode(200);
    }

    private static String newCsmKey(String name) {
        return asAdmin()
                .contentType("application/json")
                .body(Map.of("name", name, "role", "csm"))
                .post("/api/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("secret");
    }
}
