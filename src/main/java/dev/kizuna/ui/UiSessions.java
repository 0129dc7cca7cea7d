package dev.kizuna.ui;

import dev.kizuna.security.Role;
import dev.kizuna.tracking.LinksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues, checks and ends the sessions of the web UI. The cookie's token holds the key id, role,
 * expiry and a random nonce, signed with HMAC-SHA256, so a forged cookie is refused without a
 * query; the session itself lives in the ui_session table (by the SHA-256 of the nonce), so that
 * signing out ends it on the server and on every instance. The signing key is
 * {@code kizuna.links.secret}; every MAC is taken over a purpose prefix, so a session token can
 * never pass as a link token or a CSRF token, nor the reverse. The secret of the API key itself is
 * never stored in the cookie.
 */
@ApplicationScoped
class UiSessions {

    static final String COOKIE = "kizuna_ui";

    private static final String SESSION_PURPOSE = "kizuna-ui-session:";
    private static final String CSRF_PURPOSE = "kizuna-ui-csrf:";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final UiConfig config;
    private final Clock clock;

    UiSessions(LinksConfig links, UiConfig config, Clock clock) {
        this.key = new SecretKeySpec(links.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.config = config;
        this.clock = clock;
    }

    @Transactional
    UiSession issue(long keyId, Role role) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(config.sessionTtl());
        String encodedNonce = ENCODER.encodeToString(nonce);
        String payload = keyId + "." + role.wireName() + "." + expiresAt.getEpochSecond() + "." + encodedNonce;
        String token = payload + "." + ENCODER.encodeToString(mac(SESSION_PURPOSE + payload));
        // Sign-ins are rare: tidying expired sessions here keeps the table small without a job.
        StoredSession.delete("expiresAt < ?1", now);
        StoredSession stored = new StoredSession();
        stored.id = sessionId(encodedNonce);
        stored.keyId = keyId;
        stored.createdAt = now;
        stored.expiresAt = expiresAt;
        stored.persist();
        return new UiSession(keyId, role, expiresAt, token);
    }

    /** The session a token stands for, if its signature holds, it has not expired and it has not been ended. */
    @Transactional
    Optional<UiSession> verify(String token) {
        return signed(token)
                .filter(session -> StoredSession.count(
                                "id = ?1 and endedAt is null and expiresAt > ?2",
                                sessionId(nonceOf(session.token())),
                                clock.instant())
                        == 1);
    }

    /** Ends the session on the server: its cookie, even if kept or copied, no longer opens any page. */
    @Transactional
    void end(UiSession session) {
        StoredSession.update(
                "endedAt = ?1 where id = ?2 and endedAt is null", clock.instant(), sessionId(nonceOf(session.token())));
    }

    /** The session a token claims, if its signature holds and it has not expired; the server's record is not consulted. */
    private Optional<UiSession> signed(String token) {
        if (token == null || token.length() > 512) {
            return Optional.empty();
        }
        int lastDot = token.lastIndexOf('.');
        if (lastDot <= 0) {
            return Optional.empty();
        }
        String payload = token.substring(0, lastDot);
        byte[] signature;
        try {
            signature = DECODER.decode(token.substring(lastDot + 1));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(signature, mac(SESSION_PURPOSE + payload))) {
            return Optional.empty();
        }
        String[] parts = payload.split("\\.");
        if (parts.length != 4) {
            return Optional.empty();
        }
        Role role = Role.ofWireName(parts[1]);
        try {
            long keyId = Long.parseLong(parts[0]);
            Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            if (role == null || !clock.instant().isBefore(expiresAt)) {
                return Optional.empty();
            }
            return Optional.of(new UiSession(keyId, role, expiresAt, token));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The CSRF token of a session: derived from its token, so it is worthless without the cookie and changes with each sign-in. */
    String csrfToken(UiSession session) {
        return ENCODER.encodeToString(mac(CSRF_PURPOSE + session.token()));
    }

    boolean csrfMatches(UiSession session, String presented) {
        return presented != null
                && MessageDigest.isEqual(
                        presented.getBytes(StandardCharsets.UTF_8),
                        csrfToken(session).getBytes(StandardCharsets.UTF_8));
    }

    /** The nonce is the fourth part of a token whose signature was checked. */
    private static String nonceOf(String token) {
        return token.split("\\.")[3];
    }

    private static String sessionId(String nonce) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
