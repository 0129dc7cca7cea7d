package dev.kizuna.scheduling;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.kizuna.ScenarioProfile;
import dev.kizuna.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** messageIds are remembered for the de-duplication window; raw events for their retention; counts for good. */
@QuarkusTest
@TestProfile(ScenarioProfile.class)
class EventRetentionTests {

    @Inject
    TestClock clock;

    @Inject
    EventRetentionJob retention;

    @Test
    void aRetryWithinSevenDaysHasNoEffectEvenAfterTheNightlyPurgeAndOldRawEventsGo() {
        clock.set(Instant.parse("2027-01-04T10:00:00Z"));
        send();

        clock.advance(Duration.ofDays(6));
        retention.purge();
        send();
        asAdmin().get("/api/accounts/ret-co").then().body("events.'Exported'.count", equalTo(1));

        clock.advance(Duration.ofDays(3));
        retention.purge();
        send();
        asAdmin().get("/api/accounts/ret-co").then().body("events.'Exported'.count", equalTo(2));
        asAdmin().get("/api/accounts/ret-co/events").then().body("items", hasSize(2));

        clock.advance(Duration.ofDays(401));
        retention.purge();
        asAdmin().get("/api/accounts/ret-co/events").then().body("items", hasSize(0));
        asAdmin().get("/api/accounts/ret-co").then().body("events.'Exported'.count", equalTo(2));
    }

    private void send() {
        asProduct()
                .body(Map.of(
                        "userId",
                        "ret-user",
                        "event",
                        "Exported",
                        "messageId",
                        "ret-1",
                        "context",
                        Map.of("groupId", "ret-co"),
                        "timestamp",
                        clock.instant().toString()))
                .post("/v1/track")
                .then()
                .statusCode(200);
    }
}
