package dev.kizuna.ingest;

import java.time.Instant;
import java.util.Map;

/**
 * One validated Segment call, with its timestamp corrected for the client's clock skew.
 * {@code event} is the name the call is counted under: the track event, or for page and screen
 * calls "Viewed &lt;name&gt; Page" / "Viewed &lt;name&gt; Screen", as Segment's destinations name them.
 */
public record SegmentCall(
        CallType type,
        String messageId,
        String userId,
        String anonymousId,
        String previousId,
        String groupId,
        String event,
        Map<String, Object> traits,
        Map<String, Object> properties,
        Map<String, Object> context,
        Instant timestamp,
        Instant receivedAt) {}
