package dev.kizuna.ingest;

import java.time.Instant;
import java.util.Map;

/** One validated Segment call, with its timestamp corrected for the client's clock skew. */
public record SegmentCall(
        CallType type,
        String messageId,
        String userId,
        String anonymousId,
        String groupId,
        String event,
        Map<String, Object> traits,
        Map<String, Object> properties,
        Map<String, Object> context,
        Instant timestamp,
        Instant receivedAt) {}
