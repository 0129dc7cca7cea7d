package dev.kizuna.delivery;

import static dev.kizuna.TestKeys.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kizuna.SegmentCalls;
import dev.kizuna.TestFolders;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Webhook and Slack actions, posted to a real local HTTP server through the outbox: the body is
 * rendered with every value escaped for JSON (or Slack's text), a webhook is signed the Standard
 * Webhooks way, 2xx is sent with the answer on the timeline, 5xx is retried under the same
 * webhook-id, 4xx fails, redirects are refused and a receiver that answers too late is retried
 * until the attempts run out.
 */
@QuarkusTest
@TestProfile(WebhookDeliveryTests.SamplesWithWebhookRules.class)
class WebhookDeliveryTests {

    /** The Standard Webhooks example secret: whsec_ and base64. */
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static final WebhookReceiver RECEIVER = new WebhookReceiver();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    public static class SamplesWithWebhookRules implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path root = TestFolders.copyOfSamples("kizuna-webhook-rules");
                Path crm = Files.createDirectories(root.resolve("templates/crm-update"));
                Files.writeString(
                        crm.resolve("template.yaml"),
                        "description: an account update for the CRM\ncategory: internal\n");
                Files.writeString(crm.resolve("webhook.ftl"), """
                        {"type": "account.update", "message_id": ${message_id}, "rule": "${rule.id}",
                         "account": {"id": "${account.id}", "name": "${(account.traits.name)!""}", "seats": ${(account.traits.seats)!0}},
                         "user": "${user.id}"}
                        """);
                Path broken = Files.createDirectories(root.resolve("templates/not-json"));
                Files.writeString(broken.resolve("webhook.ftl"), "{\"name\": ${account.id}}\n");
                Map<String, String> posts = Map.of(
                        "crm",
                        "crm-update",
                        "flaky",
                        "crm-update",
                        "reject",
                        "crm-update",
                        "moved",
                        "crm-update",
                        "slow",
                        "crm-update",
                        "broken",
                        "not-json");
                for (Map.Entry<String, String> post : posts.entrySet()) {
                    Files.writeString(
                            root.resolve("rules/post-to-" + post.getKey() + ".yaml"),
                            "trigger:\n  event: Post To " + post.getKey()
                                    + "\nactions:\n  - channel: webhook\n    template: " + post.getValue()
                                    + "\n    target: " + post.getKey() + "\n");
                }
                Files.writeString(root.resolve("rules/alert-slack.yaml"), """
                        trigger:
                          event: Alert Slack
                        actions:
                          - channel: slack
                            template: csm-risk-alert
                            target: csm-alerts
                        """);
                Map<String, String> overrides = new HashMap<>();
                overrides.put("kizuna.rules.dir", root.resolve("rules").toString());
                overrides.put("kizuna.templates.dir", root.resolve("templates").toString());
                for (String target : List.of("crm", "flaky", "reject", "moved", "slow")) {
                    overrides.put("kizuna.webhooks.targets." + target + ".url", RECEIVER.url("/" + target));
                    overrides.put("kizuna.webhooks.targets." + target + ".secret", SECRET);
                }
                overrides.put("kizuna.webhooks.targets.broken.url", RECEIVER.url("/crm"));
                overrides.put("kizuna.webhooks.targets.csm-alerts.url", RECEIVER.url("/slack"));
                overrides.put("kizuna.webhooks.send-timeout", "1s");
                overrides.put("kizuna.delivery.max-attempts", "2");
                return overrides;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void aWebhookCarriesTheRenderedJsonSignedTheStandardWebhooksWay() throws Exception {
        String name = "Acme \"Analytics\"\n<b>&</b> \\ 株式会社";
        account("wh-acme", "u-wh-acme", Map.of("name", name, "seats", 12));
        long id = post("u-wh-acme", "wh-acme", "crm");

        Map<String, Object> message = awaitStatus(id, "sent");
        WebhookReceiver.Request request = RECEIVER.requestsTo("/crm").stream()
                .filter(received -> received.body().contains("\"message_id\": " + id))
                .findFirst()
                .orElseThrow();
        JsonNode body = JSON.readTree(request.body());
        assertEquals(name, body.path("account").path("name").asText(), "escaped for JSON, read back as it was");
        assertEquals(12, body.path("account").path("seats").asInt());
        assertEquals("post-to-crm", body.path("rule").asText());
        assertEquals("u-wh-acme", body.path("user").asText());
        assertEquals("application/json", request.header("Content-Type"));

        String webhookId = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        assertEquals(
                "v1," + signature(webhookId + "." + timestamp + "." + request.body()),
                request.header("webhook-signature"));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) < 60, timestamp);
        assertEquals("wh-acme", message.get("accountId"));
        assertEquals("crm", message.get("recipient"), "the target is the message's recipient");
        assertTrue(
                String.valueOf(message.get("timeline")).contains("HTTP 200: {\"received\": true}"),
                String.valueOf(message));
    }

    @Test
    void a5xxIsRetriedUnderTheSameWebhookIdAndA4xxFailsWithTheAnswer() {
        account("wh-flaky", "u-wh-flaky", Map.of("name", "Flaky Co"));
        long retried = post("u-wh-flaky", "wh-flaky", "flaky");
        Map<String, Object> sent = awaitStatus(retried, "sent");
        List<WebhookReceiver.Request> attempts = RECEIVER.requestsTo("/flaky");
        assertEquals(2, attempts.size(), "a 503, then the retry");
        assertEquals(
                attempts.get(0).header("webhook-id"),
                attempts.get(1).header("webhook-id"),
                "the receiver can tell a retry from a new message");
        assertEquals(attempts.get(0).body(), attempts.get(1).body());
        String timeline = String.valueOf(sent.get("timeline"));
        assertTrue(timeline.contains("HTTP 503: busy, try later") && timeline.contains("HTTP 200: ok"), timeline);

        long rejected = post("u-wh-flaky", "wh-flaky", "reject");
        Map<String, Object> failed = awaitStatus(rejected, "failed");
        assertEquals("HTTP 422: {\"error\": \"unknown type\"}", failed.get("error"));
        assertEquals(1, RECEIVER.requestsTo("/reject").size(), "a 4xx is not retried");
    }

    @Test
    void redirectsAreRefusedAndAReceiverThatAnswersTooLateIsRetriedUntilTheAttemptsRunOut() {
        account("wh-odd", "u-wh-odd", Map.of("name", "Odd Co"));
        long moved = post("u-wh-odd", "wh-odd", "moved");
        Map<String, Object> refused = awaitStatus(moved, "failed");
        assertTrue(
                String.valueOf(refused.get("error"))
                        .startsWith("HTTP 302 (redirects are not followed: configure the target's final URL,"
                                + " which may be http://elsewhere.example/hook)"),
                String.valueOf(refused.get("error")));

        long slow = post("u-wh-odd", "wh-odd", "slow");
        Map<String, Object> timedOut = awaitStatus(slow, "failed");
        assertEquals("no answer from target 'slow' within 1000 ms", timedOut.get("error"));
        assertEquals(2, ((Number) timedOut.get("attempts")).intValue(), "kizuna.delivery.max-attempts");
    }

    @Test
    void aSlackMessageIsSlackTextWithValuesEscaped() throws Exception {
        account("wh-slack", "u-wh-slack", Map.of("name", "<!channel> & Co", "plan", "business"));
        long id = post("u-wh-slack", "wh-slack", "slack");
        awaitStatus(id, "sent");
        WebhookReceiver.Request request =
                RECEIVER.requestsTo("/slack").get(RECEIVER.requestsTo("/slack").size() - 1);
        String text = JSON.readTree(request.body()).path("text").asText();
        assertTrue(text.startsWith(":warning: *&lt;!channel&gt; &amp; Co* has entered the at-risk segment."), text);
        assertTrue(text.contains("Plan: business"), text);
        assertEquals(null, request.header("webhook-signature"), "Slack's URL is its secret; nothing is signed");
    }

    @Test
    void aBodyThatIsNotJsonFailsTheMessageAndNothingIsPosted() {
        account("wh-broken", "u-wh-broken", Map.of("name", "Broken Co"));
        int before = RECEIVER.requestsTo("/crm").size();
        long id = post("u-wh-broken", "wh-broken", "broken");
        Map<String, Object> failed = awaitStatus(id, "failed");
        assertTrue(
                String.valueOf(failed.get("error"))
                        .startsWith("template failed: not-json/webhook.ftl: the rendered body is not JSON"),
                String.valueOf(failed.get("error")));
        assertEquals(before, RECEIVER.requestsTo("/crm").size());
    }

    @Test
    void anExplanationNamesTheTargetAndNoCaps() {
        account("wh-explained", "u-wh-explained", Map.of("name", "Explained Co"));
        List<Map<String, Object>> checks = asAdmin()
                .queryParam("rule", "post-to-crm")
                .queryParam("userId", "u-wh-explained")
                .get("/api/accounts/wh-explained/explain")
                .then()
                .statusCode(200)
                .extract()
                .path("users[0].checks");
        assertTrue(
                checks.stream()
                        .anyMatch(check -> "target".equals(check.get("name"))
                                && Boolean.TRUE.equals(check.get("passed"))
                                && "webhook 'crm-update': posts to target 'crm'".equals(check.get("detail"))),
                String.valueOf(checks));
        assertTrue(
                checks.stream().noneMatch(check -> "cap".equals(check.get("name"))), "posts are not capped: " + checks);
    }

    @Test
    void aRuleMustNameAConfiguredTarget() {
        String rule =
                "trigger:\n  event: X\nactions:\n  - channel: webhook\n    template: crm-update\n    target: erp\n";
        List<Map<String, Object>> problems = asAdmin()
                .contentType("text/plain")
                .queryParam("file", "erp.yaml")
                .body(rule)
                .post("/api/rules/validate")
                .then()
                .statusCode(200)
                .extract()
                .path("problems");
        assertEquals(1, problems.size(), String.valueOf(problems));
        assertEquals(6, problems.get(0).get("line"));
        assertEquals(
                "actions[0].target 'erp' is not configured: set kizuna.webhooks.targets.erp.url (configured: broken, crm, csm-alerts,"
                        + " flaky, moved, reject, slow)",
                problems.get(0).get("message"));
    }

    private static void account(String account, String user, Map<String, Object> traits) {
        SegmentCalls.identify(user, Map.of("email", user + "@webhooks.example")).statusCode(200);
        SegmentCalls.group(user, account, traits).statusCode(200);
    }

    /** Sends the event of the target's rule; the id of the message it decided. */
    private static long post(String user, String account, String target) {
        String event = target.equals("slack") ? "Alert Slack" : "Post To " + target;
        SegmentCalls.track(user, event, account, null).statusCode(200);
        String rule = target.equals("slack") ? "alert-slack" : "post-to-" + target;
        List<Number> ids = asAdmin()
                .queryParam("userId", user)
                .queryParam("rule", rule)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items.id");
        assertEquals(1, ids.size(), rule + " decided once for " + user);
        return ids.get(0).longValue();
    }

    private static Map<String, Object> awaitStatus(long id, String status) {
        return await().atMost(PATIENCE)
                .until(
                        () -> asAdmin()
                                .get("/api/messages/" + id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .<Map<String, Object>>path(""),
                        message -> status.equals(message.get("status")));
    }

    /** Computed here from the specification, not with Kizuna's own code. */
    private static String signature(String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
