package dev.kizuna.common;

import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The statements Kizuna sends to the database are counted where operators and the benchmark read them. */
@QuarkusTest
class StatementCountTests {

    @Test
    void aTrackedEventShowsUpAsStatementsInTheMetrics() {
        asProduct()
                .body(Map.of("userId", "sc-first", "event", "Counted"))
                .post("/v1/track")
                .then()
                .statusCode(200);
        double before = statements();

        asProduct()
                .body(Map.of("userId", "sc-ada", "event", "Counted", "context", Map.of("groupId", "sc-co")))
                .post("/v1/track")
                .then()
                .statusCode(200);

        double after = statements();
        // At the least: claim the messageId, store the raw event, count it for the user and the account.
        assertTrue(after - before >= 4, "statements for one track: " + (after - before));
    }

    private static double statements() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher counter = Pattern.compile("(?m)^kizuna_database_statements_total(?:\\{[^}]*\\})? (\\S+)$")
                .matcher(metrics);
        assertTrue(counter.find(), "kizuna_database_statements_total in /q/metrics");
        return Double.parseDouble(counter.group(1));
    }
}
