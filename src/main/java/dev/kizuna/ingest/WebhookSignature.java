package dev.kizuna.ingest;

import dev.kizuna.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook signed the Standard Webhooks way: HMAC-SHA256 over "id.timestamp.body" with
 * the source's secret, sent as "v1,&lt;base64&gt;" (several may be listed, space-separated, while a
 * secret is rotated), and a timestamp within the tolerance so that a captured call cannot be replayed later.
 */
final class WebhookSignature {

    private WebhookSignature() {}

    static void verify(String secret, String id, String timestamp, String signatures, byte[] body, Instant now, Duration tolerance) {
        if (id == null || timestamp == null || signatures == null) {
            throw ProblemException.unauthorized("a webhook needs the webhook-id, webhook-timestamp and webhook-signature headers");
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.unauthorized("webhook-timestamp must be seconds since 1970");
        }
        if (Math.abs(now.getEpochSecond() - sentAt) > tolerance.toSeconds()) {
            throw ProblemException.unauthorized("webhook-timestamp is more than " + tolerance.toSeconds() + " s away from now");
        }
        byte[] expected = sign(secret, id + "." + sentAt + ".", body);
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

    /** The signature of a webhook, as a sender computes it. */
    static byte[] sign(String secret, String prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyOf(secret), "HmacSHA256"));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static byte[] keyOf(String secret) {
        String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException notBase64) {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
    }
}
