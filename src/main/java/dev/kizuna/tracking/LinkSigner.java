package dev.kizuna.tracking;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the tokens in public links: base64url(payload) "." base64url(HMAC-SHA256),
 * the payload being kind, message id, expiry and (for a click) the target URL. A changed byte
 * anywhere makes the signature fail, so a click token can only lead where Kizuna sent it.
 */
@ApplicationScoped
public class LinkSigner {

    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;

    LinkSigner(LinksConfig config, Clock clock) {
        if (config.secret().length() < 32) {
            throw new IllegalStateException("kizuna.links.secret must be at least 32 characters long");
        }
        this.key = new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    String sign(LinkToken token) {
        String payload = token.kind().code + "|" + token.messageId() + "|"
                + token.expiresAt().getEpochSecond() + "|" + (token.target() == null ? "" : token.target());
        String encoded = ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return encoded + "." + ENCODER.encodeToString(mac(encoded));
    }

    /** The token's content, or why it is refused. */
    LinkToken verify(String token, LinkToken.Kind expected) throws InvalidLink {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0 || token.length() > 8192) {
            throw new InvalidLink(InvalidLink.Reason.MALFORMED);
        }
        String encoded = token.substring(0, dot);
        byte[] signature;
        byte[] payloadBytes;
        try {
            signature = DECODER.decode(token.substring(dot + 1));
            payloadBytes = DECODER.decode(encoded);
        } catch (IllegalArgumentException notBase64) {
            throw new InvalidLink(InvalidLink.Reason.MALFORMED);
        }
        if (!MessageDigest.isEqual(signature, mac(encoded))) {
            throw new InvalidLink(InvalidLink.Reason.TAMPERED);
        }
        String[] parts = new String(payloadBytes, StandardCharsets.UTF_8).split("\\|", 4);
        LinkToken.Kind kind = parts.length == 4 ? LinkToken.Kind.ofCode(parts[0]) : null;
        if (kind != expected) {
            throw new InvalidLink(InvalidLink.Reason.MALFORMED);
        }
        LinkToken parsed;
        try {
            parsed = new LinkToken(
                    kind,
                    Long.parseLong(parts[1]),
                    Instant.ofEpochSecond(Long.parseLong(parts[2])),
                    parts[3].isEmpty() ? null : parts[3]);
        } catch (NumberFormatException e) {
            throw new InvalidLink(InvalidLink.Reason.MALFORMED);
        }
        if (!clock.instant().isBefore(parsed.expiresAt())) {
            throw new InvalidLink(InvalidLink.Reason.EXPIRED);
        }
        return parsed;
    }

    private byte[] mac(String encodedPayload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(encodedPayload.getBytes(StandardCharsets.US_ASCII)), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** A link that is not honoured, and why. */
    static final class InvalidLink extends Exception {

        enum Reason {
            MALFORMED,
            TAMPERED,
            EXPIRED
        }

        final Reason reason;

        InvalidLink(Reason reason) {
            super(reason.name().toLowerCase());
            this.reason = reason;
        }
    }
}
