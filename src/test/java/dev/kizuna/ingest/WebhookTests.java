package dev.kizuna.ingest;

import static dev.kizuna.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.kizuna.common.StandardWebhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A billing system posts signed webhooks; only a valid, fresh signature gets an event in, once. */
@QuarkusTest
class WebhookTests {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String BODY = """
            {"userId":"wh-ada","event":"Invoice Paid","properties":{"amount":120},"context":{"groupId":"wh-acme"}}""";

    @Test
    void aSignedWebhookIsAnEventAndItsRedeliveryHasNoSecondEffect() {
        long now = Instant.now().getEpochSecond();
        signed("msg_1", now, BODY)
                .post("/v1/webhooks/billing")
                .then()
                .statusCode(200)
                .body("success", equalTo(true));
        signed("msg_1", now + 30, BODY).post("/v1/webhooks/billing").then().statusCode(200);
        asAdmin().get("/api/accounts/wh-acme").then().statusCode(200).body("events.'Invoice Paid'.count", equalTo(1));
    }

    @Test
    void aWrongStaleOrMissingSignatureIsRefused() {
        long now = Instant.now().getEpochSecond();
        given().contentType("application/json")
                .body(BODY)
                .post("/v1/webhooks/billing")
                .then()
                .statusCode(401)
                .body("detail", containsString("webhook-signature"));
        given().contentType("application/json")
                .body(BODY)
                .header("webhook-id", "msg_2")
                .header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", "v1," + Base64.getEncoder().encodeToString(new byte[32]))
                .post("/v1/webhooks/billing")
                .then()
                .statusCode(401)
                .body("detail", containsString("does not match"));
        signed("msg_3", now - 600, BODY)
                .post("/v1/webhooks/billing")
                .then()
                .statusCode(401)
                .body("detail", containsString("away from now"));
        signed("msg_4", now, BODY)
                .body(BODY.replace("120", "1200"))
                .post("/v1/webhooks/billing")
                .then()
                .statusCode(401);
        signed("msg_5", now, BODY).post("/v1/webhooks/unknown-source").then().statusCode(404);
    }

    @Test
    void aSignedButMalformedBodyIsA400() {
        long now = Instant.now().getEpochSecond();
        signed("msg_6", now, "[1,2]").post("/v1/webhooks/billing").then().statusCode(400);
        signed("msg_7", now, "{\"event\":\"No One\"}")
                .post("/v1/webhooks/billing")
                .then()
                .statusCode(400);
    }

    /** As a Standard Webhooks sender signs: HMAC-SHA256 of "id.timestamp.body", "v1," and base64; a rotated-out signature may come first. */
    private static RequestSpecification signed(String id, long timestamp, String body) {
        byte[] signature =
                StandardWebhooks.hmac(SECRET, id + "." + timestamp + ".", body.getBytes(StandardCharsets.UTF_8));
        return given().contentType("application/json")
                .body(body)
                .queryParam("wait", "decided")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header(
                        "webhook-signature",
                        "v1,b2xkLXNpZ25hdHVyZQ== v1," + Base64.getEncoder().encodeToString(signature));
    }
}
