package dev.kizuna.delivery;

import dev.kizuna.common.StandardWebhooks;
import dev.kizuna.delivery.email.DeliveryFailure;
import dev.kizuna.messages.Channel;
import dev.kizuna.messages.MessageSearch;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Posts webhook and Slack messages to their configured targets. The body was rendered when the
 * message was decided; a webhook is signed the Standard Webhooks way with its target's secret,
 * under an id that stays the same across retries so that the receiver can drop a repeat. 2xx is
 * sent; 5xx, 429, timeouts and connection failures are retried like a refused email; any other
 * answer, redirects included (they could lead anywhere), fails the message for good.
 */
@ApplicationScoped
public class WebhookPoster {

    /** As much of an answer as a message's timeline keeps. */
    static final int EXCERPT = 300;

    private final WebhookTargets targets;
    private final Clock clock;
    private final HttpClient http;

    WebhookPoster(WebhookTargets targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(targets.sendTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The webhook-id of a message: the same on every attempt. */
    static String webhookId(long messageId) {
        return "kizuna-message-" + messageId;
    }

    /** Posts the message; returns what the target answered, for the timeline; throws what failed. */
    String post(MessageSearch.EmailToSend message) throws DeliveryFailure {
        WebhookTargets.Target target = targets.targets().get(message.recipient());
        if (target == null) {
            throw new DeliveryFailure(
                    "target '" + message.recipient() + "' is not configured (kizuna.webhooks.targets."
                            + message.recipient() + ".url)",
                    true,
                    null);
        }
        byte[] body = message.text().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(target.url()));
        } catch (IllegalArgumentException e) {
            throw new DeliveryFailure(
                    "target '" + message.recipient() + "' has a URL that is not one: " + e.getMessage(), true, e);
        }
        request.timeout(targets.sendTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Kizuna")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (message.channel() == Channel.WEBHOOK && target.secret().isPresent()) {
            String id = webhookId(message.id());
            long timestamp = clock.instant().getEpochSecond();
            request.header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header(
                            "webhook-signature",
                            StandardWebhooks.signatureHeader(target.secret().get(), id, timestamp, body));
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailure(
                    "no answer from target '" + message.recipient() + "' within "
                            + targets.sendTimeout().toMillis() + " ms",
                    false,
                    e);
        } catch (IOException e) {
            throw new DeliveryFailure("target '" + message.recipient() + "' could not be reached: " + e, false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted while posting to target '" + message.recipient() + "'", false, e);
        }
        int status = answer.statusCode();
        String said = "HTTP " + status + excerpt(answer.body());
        if (status >= 200 && status < 300) {
            return said;
        }
        if (status >= 300 && status < 400) {
            throw new DeliveryFailure(
                    said + " (redirects are not followed: configure the target's final URL"
                            + answer.headers()
                                    .firstValue("Location")
                                    .map(location -> ", which may be " + location)
                                    .orElse("")
                            + ")",
                    true,
                    null);
        }
        throw new DeliveryFailure(said, status != 429 && status < 500, null);
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return ": " + (flat.length() > EXCERPT ? flat.substring(0, EXCERPT) + "…" : flat);
    }
}
