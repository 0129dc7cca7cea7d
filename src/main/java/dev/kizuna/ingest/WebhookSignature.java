package dev.kizuna.ingest;

import dev.kizuna.common.StandardWebhooks;
import dev.kizuna.problem.ProblemException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Checks a webhook signed the Standard Webhooks way: HMAC-SHA256 over "id.timestamp.body" with
 * the source's secret, sent as "v1,&lt;base64&gt;" (several may be listed, space-separated, while a
 * secret is rotated), and a timestamp within the tolerance so that a captured call cannot be replayed later.
 */
final class WebhookSignature {

    private WebhookSignature() {}

    static void verify(
            String secret,
            String id,
            String timestamp,
            String signatures,
            byte[] body,
            Instant now,
            Duration tolerance) {
        if (id == null || timestamp == null || signatures == null) {
            throw ProblemException.unauthorized(
                    "a webhook needs the webhook-id, webhook-timestamp and webhook-signature headers");
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.unauthorized("webhook-timestamp must be seconds since 1970");
        }
        if (Math.abs(now.getEpochSecond() - sentAt) > tolerance.toSeconds()) {
            throw ProblemException.unauthorized(
                    "webhook-timestamp is more than " + tolerance.toSeconds() + " s away from now");
        }
        byte[] expected = StandardWebhooks.hmac(secret, id + "." + sentAt + ".", body);
        for (String candidate : signatures.strip().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma > 0 && candidate.substring(0, comma).equals("v1")) {
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(candidate.substring(comma + 1));
                } catch (IllegalArgumentException notBase64) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return;
                }
            }
        }
        throw ProblemException.unauthorized("the webhook signature does not match");
    }
}
