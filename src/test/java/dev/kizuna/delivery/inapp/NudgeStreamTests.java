package dev.kizuna.delivery.inapp;

import static dev.kizuna.TestKeys.asProduct;
import static dev.kizuna.delivery.inapp.ProductEvents.createFirstProject;
import static dev.kizuna.delivery.inapp.ProductEvents.onlyNudgeOf;
import static dev.kizuna.delivery.inapp.ProductEvents.pendingNudges;
import static dev.kizuna.delivery.inapp.ProductEvents.signUpForTrial;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** GET /v1/nudges/stream: the pending nudges on connect, then each new one as it is decided. */
@QuarkusTest
class NudgeStreamTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI base;

    @Inject
    OpenStreams openStreams;

    @Inject
    NudgeInbox inbox;

    private static RenderedNudge toast(String title) {
        return new RenderedNudge(title, "Placed by the test", null, null, NudgePlacement.TOAST, null, "en", null);
    }

    @Test
    void thePendingNudgesArriveOnConnectAndANewOneArrivesOnTheOpenStream() throws Exception {
        signUpForTrial("st-ada", "st-acme");
        long pending = onlyNudgeOf("st-ada");

        try (SseClient stream = SseClient.open(base, "st-ada")) {
            assertEquals(200, stream.status());
            assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());

            SseClient.Event onConnect = stream.next(WAIT);
            assertEquals("nudge", onConnect.name());
            assertEquals(String.valueOf(pending), onConnect.id());
            assertEquals(pending, onConnect.json().getLong("id"));
            assertEquals("Start with your first project", onConnect.json().getString("title"));
            assertEquals("modal", onConnect.json().getString("placement"));
            assertEquals("pending", onConnect.json().getString("status"));

            createFirstProject("st-ada", "st-acme");

            SseClient.Event live = stream.next(WAIT);
            assertEquals("nudge", live.name());
            assertTrue(Long.parseLong(live.id()) > pending, "a new nudge: " + live);
            assertEquals("Projects go faster together", live.json().getString("title"), live.data());
            assertEquals(
                    "banner", live.json().getString("placement"), "invite-teammates names no placement: the default");
            assertEquals(
                    "https://app.tasklane.example/settings/members", live.json().getString("cta.url"));
            assertNull(stream.poll(Duration.ofMillis(2500)), "each nudge once, though the database check also sees it");
        }
    }

    @Test
    void aNudgeDecidedOnAnotherInstanceArrivesThroughTheDatabaseCheck() throws Exception {
        signUpForTrial("st-grace", "st-navy");
        long first = onlyNudgeOf("st-grace");

        try (SseClient stream = SseClient.open(base, "st-grace")) {
            assertEquals(first, stream.next(WAIT).json().getLong("id"));

            // Written straight to the shared database, as another instance would: no commit on this instance announces
            // it.
            long other = QuarkusTransaction.requiringNew().call(() -> {
                Nudge copy = Nudge.findById(first);
                Nudge nudge = new Nudge();
                nudge.messageId = copy.messageId;
                nudge.userId = "st-grace";
                nudge.title = "Decided elsewhere";
                nudge.body = "On another instance";
                nudge.placement = "toast";
                nudge.status = Nudge.PENDING;
                nudge.createdAt = Instant.now();
                nudge.persist();
                return nudge.id;
            });

            SseClient.Event event = stream.next(WAIT);
            assertEquals(String.valueOf(other), event.id());
            assertEquals("Decided elsewhere", event.json().getString("title"));
            assertEquals("toast", event.json().getString("placement"));
        }
    }

    @Test
    void aNudgeIsStreamedOnlyOnceItsTransactionHasCommitted() throws Exception {
        signUpForTrial("st-ken", "st-bell");
        long messageId = pendingNudges("st-ken").getLong("nudges[0].messageId");

        try (SseClient stream = SseClient.open(base, "st-ken")) {
            stream.next(WAIT);

            long placed = QuarkusTransaction.requiringNew().call(() -> {
                long id = inbox.deliver(messageId, "st-ken", "st-bell", toast("Held back until commit"));
                assertNull(
                        stream.poll(Duration.ofMillis(700)),
                        "nothing is streamed while the decision may still roll back");
                return id;
            });

            SseClient.Event event = stream.next(WAIT);
            assertEquals(String.valueOf(placed), event.id());
            assertEquals("Held back until commit", event.json().getString("title"));
        }
    }

    @Test
    void aNudgeWhoseDecisionRolledBackIsNeverStreamed() throws Exception {
        signUpForTrial("st-dennis", "st-unix");
        long messageId = pendingNudges("st-dennis").getLong("nudges[0].messageId");

        try (SseClient stream = SseClient.open(base, "st-dennis")) {
            stream.next(WAIT);

            // Something later in the same transaction fails: the nudge placed before goes with it.
            assertThrows(
                    IllegalStateException.class,
                    () -> QuarkusTransaction.requiringNew().run(() -> {
                        inbox.deliver(messageId, "st-dennis", "st-unix", toast("Never happened"));
                        throw new IllegalStateException("the rest of the decision failed");
                    }));

            assertNull(
                    stream.poll(Duration.ofMillis(2500)), "not streamed, and not found by the database check either");
        }
    }

    @Test
    void theSubscriptionIsCleanedUpWhenTheClientGoesAway() throws Exception {
        signUpForTrial("st-linus", "st-kernel");
        SseClient stream = SseClient.open(base, "st-linus");
        stream.next(WAIT);
        assertEquals(1, openStreams.count("st-linus"));

        stream.close();

        await().atMost(WAIT).until(() -> openStreams.count("st-linus") == 0);
    }

    @Test
    void aUserWithoutNudgesGetsAnOpenStreamAtOnce() throws Exception {
        try (SseClient stream = SseClient.open(base, "st-nobody")) {
            assertEquals(200, stream.status());
            assertNull(stream.poll(Duration.ofMillis(500)));
        }
    }

    @Test
    void theStreamNeedsAUserIdAndAWriteKey() throws Exception {
        try (SseClient noUser = SseClient.open(base, "")) {
            assertEquals(400, noUser.status());
            assertTrue(noUser.contentType().startsWith("application/problem+json"), noUser.contentType());
        }
        String wrongKey = "Basic " + Base64.getEncoder().encodeToString("not-a-key:".getBytes(StandardCharsets.UTF_8));
        try (SseClient unknownKey = SseClient.open(base, "st-ada", wrongKey)) {
            assertEquals(401, unknownKey.status());
        }
        asProduct().get("/v1/nudges/stream").then().statusCode(400).body("errors[0].field", equalTo("userId"));
        asProduct()
                .queryParam("userId", "")
                .get("/v1/nudges")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("userId"));
        given().queryParam("userId", "st-ada").get("/v1/nudges").then().statusCode(401);
    }
}
