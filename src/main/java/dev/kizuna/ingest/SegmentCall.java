package dev.kizuna.ingest;

import java.time.Instant;
import java.util.LinkedHashMap;
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
        Instant receivedAt) {

    /** What is stored of the call besides its columns: traits, properties, context, and previousId for an alias. */
    Map<String, Object> payload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("traits", traits);
        payload.put("properties", properties);
        payload.put("context", context);
        if (previousId != null) {
            payload.put("previousId", previousId);
        }
        return payload;
    }
}
