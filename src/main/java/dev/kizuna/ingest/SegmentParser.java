package dev.kizuna.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Turns a Segment JSON body into a {@link SegmentCall}, naming every field that is wrong. */
final class SegmentParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ID_LENGTH = 255;

    private SegmentParser() {}

    static SegmentCall parse(CallType type, JsonNode body, Instant receivedAt) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object", List.of(Violation.atField("body", "must be a JSON object")));
        }
        List<Violation> violations = new ArrayList<>();
        String userId = id(body, "userId", violations);
        String anonymousId = id(body, "anonymousId", violations);
        if (userId == null && anonymousId == null) {
            violations.add(Violation.atField("userId", "userId or anonymousId is required"));
        }
        String messageId = id(body, "messageId", violations);
        Map<String, Object> traits = object(body, "traits", violations);
        Map<String, Object> properties = object(body, "properties", violations);
        Map<String, Object> context = object(body, "context", violations);
        String event = null;
        String groupId = id(body, "groupId", violations);
        switch (type) {
            case TRACK -> {
                event = text(body, "event", violations);
                if (event == null) {
                    violations.add(Violation.atField("event", "is required for track"));
                } else if (event.isBlank() || event.length() > MAX_ID_LENGTH) {
                    violations.add(Violation.atField("event", "must be 1 to " + MAX_ID_LENGTH + " characters"));
                }
                if (groupId == null && context.get("groupId") instanceof String contextGroup && !contextGroup.isBlank()) {
                    groupId = contextGroup;
                }
            }
            case GROUP -> {
                if (groupId == null) {
                    violations.add(Violation.atField("groupId", "is required for group"));
                }
            }
            case IDENTIFY -> { }
        }
        Instant timestamp = correctedTimestamp(body, receivedAt, violations);
        if (!violations.isEmpty()) {
            String detail = violations.stream().map(v -> v.field() + " " + v.message()).reduce((a, b) -> a + "; " + b).orElseThrow();
            throw ProblemException.badRequest("invalid " + type.wireName() + " call: " + detail, violations);
        }
        return new SegmentCall(type, messageId != null ? messageId : "kizuna-" + UUID.randomUUID(), userId, anonymousId,
                groupId, event, traits, properties, context, timestamp, receivedAt);
    }

    /**
     * Segment's skew correction: the client's clock may be off, so the event time is the receive
     * time minus how long before sending the client says the event happened.
     */
    private static Instant correctedTimestamp(JsonNode body, Instant receivedAt, List<Violation> violations) {
        Instant timestamp = instant(body, "timestamp", violations);
        Instant original = instant(body, "originalTimestamp", violations);
        Instant sentAt = instant(body, "sentAt", violations);
        Instant clientTime = original != null ? original : timestamp;
        if (clientTime == null) {
            return receivedAt;
        }
        if (sentAt == null) {
            return clientTime;
        }
        return receivedAt.minus(Duration.between(clientTime, sentAt));
    }

    private static String id(JsonNode body, String field, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() && !node.isIntegralNumber()) {
            violations.add(Violation.atField(field, "must be a string"));
            return null;
        }
        String value = node.asText();
        if (value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_ID_LENGTH) {
            violations.add(Violation.atField(field, "must be at most " + MAX_ID_LENGTH + " characters"));
            return null;
        }
        return value;
    }

    private static String text(JsonNode body, String field, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            violations.add(Violation.atField(field, "must be a string"));
            return null;
        }
        return node.asText();
    }

    private static Map<String, Object> object(JsonNode body, String field, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!node.isObject()) {
            violations.add(Violation.atField(field, "must be a JSON object"));
            return new LinkedHashMap<>();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.convertValue(node, LinkedHashMap.class);
        return map;
    }

    private static Instant instant(JsonNode body, String field, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            violations.add(Violation.atField(field, "must be an ISO 8601 date-time string"));
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(Violation.atField(field, "'" + node.asText() + "' is not an ISO 8601 date-time with offset"));
            return null;
        }
    }
}
