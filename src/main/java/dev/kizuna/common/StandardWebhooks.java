package dev.kizuna.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature (standardwebhooks.com), for webhooks Kizuna receives and those
 * it sends: HMAC-SHA256 over "id.timestamp.body" with the secret (base64 after its "whsec_"
 * prefix), sent as "v1,&lt;base64&gt;" in the webhook-signature header.
 */
public final class StandardWebhooks {

    private StandardWebhooks() {}

    /** The webhook-signature header of a body sent with this webhook-id and webhook-timestamp (seconds since 1970). */
    public static String signatureHeader(String secret, String id, long timestamp, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(secret, id + "." + timestamp + ".", body));
    }

    /** The HMAC of a prefix and a body with the secret's key. */
    public static byte[] hmac(String secret, String prefix, byte[] body) {
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
