package dev.kizuna.privacy;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.kizuna.SegmentCalls;
import dev.kizuna.TestSmtp;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@QuarkusTest
class ErasureTests {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(TestSmtp.SETUP).withPerMethodLifecycle(false);

    @Test
    void erasureRemovesPersonalDataAndEventsAndTheAddressIsNeverMailedAgain() {
        SegmentCalls.identify("er-mia", Map.of("email", "Mia@Erase.example", "name", "Mia Erased"))
                .statusCode(200);
        SegmentCalls.group("er-mia", "er-co", Map.of("plan", "trial")).statusCode(200);
        SegmentCalls.track("er-mia", "Signed Up", "er-co", null).statusCode(200);
        asAdmin().queryParam("userId", "er-mia").get("/api/messages").then().body("items", hasSize(2));
        // The welcome email's delivery is an event of Mia's too, erased with the others.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> asAdmin()
                        .get("/api/accounts/er-co/events")
                        .then()
                        .body("items.name", hasItem("kizuna.email.delivered")));

        asAdmin()
                .delete("/api/users/er-mia")
                .then()
                .statusCode(200)
                .body("userFound", equalTo(true))
                .body("events", equalTo(4))
                .body("messagesRedacted", equalTo(2))
                .body("addressSuppressed", equalTo(true));

        asAdmin().get("/api/users/er-mia").then().statusCode(404);
        asAdmin().get("/api/accounts/er-co").then().statusCode(200).body("userIds", not(hasItem("er-mia")));
        asAdmin().get("/api/accounts/er-co/events").then().body("items", hasSize(0));
        asAdmin()
                .queryParam("userId", "er-mia")
                .get("/api/messages")
                .then()
                .body("items", hasSize(2))
                .body("items[0].recipient", nullValue())
                .body("items[0].subject", nullValue());
        asProduct().queryParam("userId", "er-mia").get("/v1/nudges").then().body("nudges", hasSize(0));

        // The same address comes back under a new id: it is suppressed, whatever its case.
        SegmentCalls.identify("er-mia-2", Map.of("email", "mia@erase.example")).statusCode(200);
        SegmentCalls.group("er-mia-2", "er-co-2", Map.of("plan", "trial")).statusCode(200);
        SegmentCalls.track("er-mia-2", "Signed Up", "er-co-2", null).statusCode(200);
        asAdmin()
                .queryParam("userId", "er-mia-2")
                .queryParam("channel", "email")
                .get("/api/messages")
                .then()
                .body("items", hasSize(1))
                .body("items[0].status", equalTo("suppressed"));
    }

    @Test
    void erasingAnUnknownUserIsHarmless() {
        asAdmin().delete("/api/users/er-never-seen").then().statusCode(200).body("userFound", equalTo(false));
    }

    @Test
    void onlyAnAdminMayErase() {
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + dev.kizuna.TestKeys.WRITE_KEY)
                .delete("/api/users/er-anyone")
                .then()
                .statusCode(403);
    }
}
