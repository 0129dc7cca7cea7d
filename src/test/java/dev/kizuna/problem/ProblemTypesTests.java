package dev.kizuna.problem;

import static dev.kizuna.TestKeys.WRITE_KEY;
import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each kind of problem names itself with its own {@code type}, so a client can tell a missing key
 * from a wrong field without reading titles; the access check's refusals are the same documents
 * as every other problem.
 */
@QuarkusTest
class ProblemTypesTests {

    private static final String PROBLEMS = "https://kizuna.dev/problems/";

    @Test
    void aWrongFieldIsAValidationProblemNamingTheField() {
        asAdmin()
                .get("/api/accounts/acme/explain")
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo(PROBLEMS + "validation"))
                .body("title", equalTo("Bad Request"))
                .body("errors[0].field", equalTo("rule"));
        asProduct()
                .body("{\"userId\": ")
                .post("/v1/track")
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation"));
    }

    @Test
    void theAccessCheckRefusesWithTheSameProblemDocuments() {
        given().get("/api/messages")
                .then()
                .statusCode(401)
                .contentType(containsString("application/problem+json"))
                .header("WWW-Authenticate", containsString("Basic"))
                .body("type", equalTo(PROBLEMS + "unauthorized"))
                .body("status", equalTo(401));
        given().header("Authorization", "Bearer " + WRITE_KEY)
                .get("/api/messages")
                .then()
                .statusCode(403)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo(PROBLEMS + "forbidden"))
                .body("status", equalTo(403));
    }

    @Test
    void somethingThatIsNotThereIsNotFound() {
        asAdmin()
                .get("/api/rules/no-such-rule/sequence")
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEMS + "not-found"));
        asAdmin().get("/api/no-such-endpoint").then().statusCode(404).body("type", equalTo(PROBLEMS + "not-found"));
    }

    @Test
    void firingARuleThatHasNoScheduleIsAConflict() {
        asAdmin()
                .post("/api/rules/invite-teammates/run")
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEMS + "conflict"));
    }

    @Test
    void aBodyOverItsLimitIsALimitProblemAndAnUnreadableEncodingIsUnsupported() {
        String tooBig =
                "{\"userId\":\"pt-u1\",\"event\":\"Big\",\"properties\":{\"x\":\"" + "0".repeat(40 * 1024) + "\"}}";
        asProduct().body(tooBig).post("/v1/track").then().statusCode(413).body("type", equalTo(PROBLEMS + "limit"));
        asProduct()
                .header("Content-Encoding", "br")
                .body("{\"userId\":\"pt-u2\",\"event\":\"A\"}".getBytes(StandardCharsets.UTF_8))
                .post("/v1/track")
                .then()
                .statusCode(415)
                .body("type", equalTo(PROBLEMS + "unsupported"));
    }

    @Test
    void aBatchOfRulesWithAnUnknownOneIsNotFound() {
        asAdmin()
                .contentType("application/json")
                .body(Map.of("rules", List.of("no-such-rule")))
                .post("/api/rules/run")
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEMS + "not-found"));
    }
}
