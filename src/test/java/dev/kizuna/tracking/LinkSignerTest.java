package dev.kizuna.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Link tokens: what is signed comes back unchanged; anything else is refused, and why. */
class LinkSignerTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final String SECRET = "a-secret-of-at-least-thirty-two-characters";

    private final LinkSigner signer = signer(SECRET, NOW);

    @Test
    void aSignedTokenReadsBackItsMessageExpiryAndTarget() throws Exception {
        String token = signer.sign(
                new LinkToken(LinkToken.Kind.CLICK, 42, NOW.plusSeconds(60), "https://app.example/a?b=1|2"));
        LinkToken read = signer.verify(token, LinkToken.Kind.CLICK);
        assertEquals(42, read.messageId());
        assertEquals(NOW.plusSeconds(60), read.expiresAt());
        assertEquals("https://app.example/a?b=1|2", read.target());
        assertTrue(token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), "safe in a URL path as it is: " + token);
    }

    @Test
    void anExpiredTokenIsRefusedAsExpired() {
        String token = signer.sign(new LinkToken(LinkToken.Kind.UNSUBSCRIBE, 42, NOW.plusSeconds(60), null));
        LinkSigner later = signer(SECRET, NOW.plus(Duration.ofMinutes(1)));
        assertEquals(
                LinkSigner.InvalidLink.Reason.EXPIRED,
                assertThrows(LinkSigner.InvalidLink.class, () -> later.verify(token, LinkToken.Kind.UNSUBSCRIBE))
                        .reason);
    }

    @Test
    void aTokenSignedWithAnotherSecretOrChangedIsRefusedAsTampered() {
        String token = signer.sign(new LinkToken(LinkToken.Kind.OPEN, 42, NOW.plusSeconds(60), null));
        LinkSigner other = signer("another-secret-of-at-least-thirty-two-chars", NOW);
        assertEquals(
                LinkSigner.InvalidLink.Reason.TAMPERED,
                assertThrows(LinkSigner.InvalidLink.class, () -> other.verify(token, LinkToken.Kind.OPEN)).reason);

        String forged = signer.sign(new LinkToken(LinkToken.Kind.OPEN, 43, NOW.plusSeconds(60), null));
        String spliced = forged.substring(0, forged.indexOf('.')) + token.substring(token.indexOf('.'));
        assertEquals(
                LinkSigner.InvalidLink.Reason.TAMPERED,
                assertThrows(LinkSigner.InvalidLink.class, () -> signer.verify(spliced, LinkToken.Kind.OPEN)).reason);
    }

    @Test
    void aTokenOfOneKindDoesNotWorkAsAnother() {
        String open = signer.sign(new LinkToken(LinkToken.Kind.OPEN, 42, NOW.plusSeconds(60), null));
        assertEquals(
                LinkSigner.InvalidLink.Reason.MALFORMED,
                assertThrows(LinkSigner.InvalidLink.class, () -> signer.verify(open, LinkToken.Kind.UNSUBSCRIBE))
                        .reason);
    }

    @Test
    void garbageIsRefusedAsMalformed() {
        for (String garbage :
                new String[] {"", ".", "abc", "abc.", ".abc", "a.b.c", "%%%.%%%", "x".repeat(9000) + ".y"}) {
            assertThrows(LinkSigner.InvalidLink.class, () -> signer.verify(garbage, LinkToken.Kind.CLICK), garbage);
        }
    }

    @Test
    void aShortSecretIsRefusedAtStartup() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> signer("short", NOW));
        assertTrue(refused.getMessage().contains("kizuna.links.secret"));
    }

    private static LinkSigner signer(String secret, Instant now) {
        return new LinkSigner(new TestLinks(secret), Clock.fixed(now, ZoneOffset.UTC));
    }

    /**
     * Named rather than anonymous: Quarkus marks the methods of a class implementing a mapping with
     * constraints for validation, and CDI forbids that on an anonymous class.
     */
    private record TestLinks(String secret) implements LinksConfig {

        @Override
        public String baseUrl() {
            return "https://kizuna.example.com";
        }

        @Override
        public Duration trackingTtl() {
            return Duration.ofDays(180);
        }

        @Override
        public Duration unsubscribeTtl() {
            return Duration.ofDays(400);
        }

        @Override
        public boolean trackOpens() {
            return true;
        }

        @Override
        public boolean trackClicks() {
            return true;
        }
    }
}
