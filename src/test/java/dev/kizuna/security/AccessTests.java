package dev.kizuna.security;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static dev.kizuna.TestKeys.ADMIN_KEY;
import static dev.kizuna.TestKeys.WRITE_KEY;
import static io.restassured.RestAssured.given;

@QuarkusTest
class AccessTests {

    @Test
    void theReviewApiNeedsAnAdminBearerKey() {
        given().get("/api/messages").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").get("/api/messages").then().statusCode(401);
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/api/messages").then().statusCode(200);
    }

    @Test
    void aWriteKeyCannotReadMessages() {
        given().header("Authorization", "Bearer " + WRITE_KEY).get("/api/messages").then().statusCode(403);
    }

    @Test
    void keysAreStoredOnlyAsHashes() {
        org.junit.jupiter.api.Assertions.assertEquals(64, ApiKeys.hash(WRITE_KEY).length());
        org.junit.jupiter.api.Assertions.assertNotEquals(WRITE_KEY, ApiKeys.hash(WRITE_KEY));
    }

    @Test
    void operationsEndpointsAreOpen() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
