package dev.kizuna.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.tracking.ConsentEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns Segment JSON bodies into {@link SegmentCall}s, enforcing Segment's limits and naming
 * every field that is wrong. A batch is accepted whole or not at all.
 */
final class SegmentParser {

    static final int MAX_EVENT_BYTES = 32 * 1024;
    static final int MAX_BATCH_BYTES = 500 * 1024;
    static final int MAX_NESTING = 32;
    private static final int MAX_ID_LENGTH = 255;
    /** Event names Kizuna keeps for the events it records itself (an email clicked, say), so that a product's never collide. */
    static final String RESERVED_EVENT_PREFIX = "kizuna.";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxStringLength(MAX_BATCH_BYTES)
                        .maxNumberLength(100)
                        .build());
    }

    private SegmentParser() {}

    /** A body of one call, posted to /v1/{type}. */
    static SegmentCall parseOne(CallType type, byte[] body, Instant receivedAt) {
        if (body.length > MAX_EVENT_BYTES) {
            throw tooLarge("an event may be at most 32 KB (" + MAX_EVENT_BYTES + " bytes); this one is " + body.length
                    + " bytes");
        }
        JsonNode root = read(body);
        List<Violation> violations = new ArrayList<>();
        SegmentCall call = parse(type, root, "", null, receivedAt, violations);
        rejectIfAny(type.wireName() + " call", violations);
        return call;
    }

    /** A body of /v1/batch: {"batch": [calls], "sentAt", "context"}. */
    static List<SegmentCall> parseBatch(byte[] body, Instant receivedAt) {
        if (body.length > MAX_BATCH_BYTES) {
            throw tooLarge("a batch may be at most 500 KB (" + MAX_BATCH_BYTES + " bytes); this one is " + body.length
                    + " bytes");
        }
        JsonNode root = read(body);
        requireObject(root);
        JsonNode items = root.get("batch");
        if (items == null || !items.isArray()) {
            throw ProblemException.badField("batch", "must be an array of calls");
        }
        List<Violation> violations = new ArrayList<>();
        Instant batchSentAt = instant(root, "sentAt", "sentAt", violations);
        JsonNode sharedContext = root.get("context");
        List<SegmentCall> calls = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = "batch[" + i + "].";
            if (!item.isObject()) {
                violations.add(Violation.atField("batch[" + i + "]", "must be a JSON object"));
                continue;
            }
            int size = item.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (size > MAX_EVENT_BYTES) {
                violations.add(Violation.atField(
                        "batch[" + i + "]", "an event may be at most 32 KB; this one is " + size + " bytes"));
                continue;
            }
            JsonNode typeNode = item.get("type");
            CallType type = typeNode != null && typeNode.isTextual() ? CallType.fromWire(typeNode.asText()) : null;
            if (type == null) {
                violations.add(Violation.atField(
                        at + "type",
                        typeNode == null
                                ? "is required: identify, track, page, screen, group or alias"
                                : "'" + typeNode.asText()
                                        + "' is not a call type: identify, track, page, screen, group or alias"));
                continue;
            }
            if (sharedContext != null && sharedContext.isObject() && item.get("context") == null) {
                ((ObjectNode) item).set("context", sharedContext);
            }
            calls.add(parse(type, item, at, batchSentAt, receivedAt, violations));
        }
        rejectIfAny("batch", violations);
        return calls;
    }

    /** The writeKey body field some libraries send instead of HTTP Basic authentication. */
    static String writeKeyIn(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode key = root == null ? null : root.get("writeKey");
            return key != null && key.isTextual() ? key.asText() : null;
        } catch (IOException unreadable) {
            return null;
        }
    }

    private static JsonNode read(byte[] body) {
        if (body.length == 0) {
            throw ProblemException.badField("body", "is empty; send a JSON object");
        }
        try {
            JsonNode root = JSON.readTree(body);
            requireObject(root);
            return root;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + " column "
                            + e.getLocation().getColumnNr();
            throw ProblemException.badRequest(
                    "the body is not valid JSON" + where + ": " + e.getOriginalMessage(),
                    List.of(new Violation(
                            "body",
                            null,
                            e.getLocation() == null ? null : e.getLocation().getLineNr(),
                            e.getOriginalMessage())));
        } catch (IOException e) {
            throw ProblemException.badField("body", "cannot be read: " + e.getMessage());
        }
    }

    private static void requireObject(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw ProblemException.badRequest(
                    "the body must be a JSON object", List.of(Violation.atField("body", "must be a JSON object")));
        }
    }

    private static SegmentCall parse(
            CallType type,
            JsonNode body,
            String at,
            Instant batchSentAt,
            Instant receivedAt,
            List<Violation> violations) {
        int before = violations.size();
        String userId = id(body, "userId", at, violations);
        String anonymousId = id(body, "anonymousId", at, violations);
        String previousId = null;
        if (type == CallType.ALIAS) {
            previousId = id(body, "previousId", at, violations);
            if (previousId == null) {
                violations.add(Violation.atField(at + "previousId", "is required for alias"));
            }
            if (userId == null) {
                violations.add(Violation.atField(at + "userId", "is required for alias"));
            }
        } else if (userId == null && anonymousId == null) {
            violations.add(Violation.atField(at + "userId", "userId or anonymousId is required"));
        }
        String messageId = id(body, "messageId", at, violations);
        Map<String, Object> traits = object(body, "traits", at, violations);
        Map<String, Object> properties = object(body, "properties", at, violations);
        Map<String, Object> context = object(body, "context", at, violations);
        if (type == CallType.IDENTIFY && traits.isEmpty() && context.get("traits") instanceof Map<?, ?> contextTraits) {
            traits = castMap(contextTraits);
        }
        String groupId = id(body, "groupId", at, violations);
        String event = null;
        switch (type) {
            case TRACK -> {
                event = text(body, "event", at, violations);
                if (event == null) {
                    violations.add(Violation.atField(at + "event", "is required for track"));
                } else if (event.isBlank() || event.length() > MAX_ID_LENGTH) {
                    violations.add(Violation.atField(at + "event", "must be 1 to " + MAX_ID_LENGTH + " characters"));
                } else if (event.regionMatches(true, 0, RESERVED_EVENT_PREFIX, 0, RESERVED_EVENT_PREFIX.length())) {
                    violations.add(
                            Violation.atField(
                                    at + "event",
                                    "'" + event + "': names starting with '" + RESERVED_EVENT_PREFIX
                                            + "' are reserved for the events Kizuna records itself; name the product's event otherwise"));
                } else if (ConsentEvent.named(event)) {
                    if (userId == null) {
                        violations.add(Violation.atField(
                                at + "userId", "is required for '" + event + "': a consent is a known user's"));
                    }
                    ConsentEvent.problems(event, properties)
                            .forEach((name, problem) ->
                                    violations.add(Violation.atField(at + "properties." + name, problem)));
                }
            }
            case PAGE, SCREEN -> {
                String name = text(body, "name", at, violations);
                String noun = type == CallType.PAGE ? "Page" : "Screen";
                if (name != null && name.length() > MAX_ID_LENGTH - 20) {
                    violations.add(
                            Violation.atField(at + "name", "must be at most " + (MAX_ID_LENGTH - 20) + " characters"));
                }
                event = name == null || name.isBlank()
                        ? (type == CallType.PAGE ? "Loaded a Page" : "Loaded a Screen")
                        : "Viewed " + name + " " + noun;
            }
            case GROUP -> {
                if (groupId == null) {
                    violations.add(Violation.atField(at + "groupId", "is required for group"));
                }
            }
            case IDENTIFY, ALIAS -> {}
        }
        if (type != CallType.GROUP
                && groupId == null
                && context.get("groupId") instanceof String contextGroup
                && !contextGroup.isBlank()
                && contextGroup.length() <= MAX_ID_LENGTH) {
            groupId = contextGroup;
        }
        Instant timestamp = correctedTimestamp(body, at, batchSentAt, receivedAt, violations);
        if (violations.size() > before) {
            return null;
        }
        return new SegmentCall(
                type,
                messageId != null ? messageId : "kizuna-" + UUID.randomUUID(),
                userId,
                anonymousId,
                previousId,
                groupId,
                event,
                traits,
                properties,
                context,
                timestamp,
                receivedAt);
    }

    private static void rejectIfAny(String what, List<Violation> violations) {
        if (violations.isEmpty()) {
            return;
        }
        String detail = violations.stream()
                .limit(10)
                .map(v -> v.field() + " " + v.message())
                .reduce((a, b) -> a + "; " + b)
                .orElseThrow();
        throw ProblemException.badRequest(
                "invalid " + what + ": " + detail + (violations.size() > 10 ? "; …" : ""), violations);
    }

    private static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "Content Too Large", detail, List.of(Violation.atField("body", detail)));
    }

    /**
     * Segment's skew correction: the client's clock may be off, so the event time is the receive
     * time minus how long before sending the client says the event happened.
     */
    private static Instant correctedTimestamp(
            JsonNode body, String at, Instant batchSentAt, Instant receivedAt, List<Violation> violations) {
        Instant timestamp = instant(body, "timestamp", at + "timestamp", violations);
        Instant original = instant(body, "originalTimestamp", at + "originalTimestamp", violations);
        Instant sentAt = instant(body, "sentAt", at + "sentAt", violations);
        if (sentAt == null) {
            sentAt = batchSentAt;
        }
        Instant clientTime = original != null ? original : timestamp;
        if (clientTime == null) {
            return receivedAt;
        }
        if (sentAt == null) {
            return clientTime;
        }
        Instant corrected = receivedAt.minus(Duration.between(clientTime, sentAt));
        if (corrected.isBefore(EARLIEST) || corrected.isAfter(receivedAt.plus(Duration.ofDays(1)))) {
            violations.add(Violation.atField(
                    at + "sentAt",
                    "is inconsistent with the event's timestamp: corrected for clock skew, "
                            + "the event would have happened at " + corrected));
            return receivedAt;
        }
        return corrected;
    }

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    private static String id(JsonNode body, String field, String at, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() && !node.isIntegralNumber()) {
            violations.add(Violation.atField(at + field, "must be a string"));
            return null;
        }
        String value = node.asText();
        if (value.isBlank()) {
            return null;
        }
        if (value.chars().anyMatch(c -> c < 0x20)) {
            violations.add(Violation.atField(at + field, "must not contain control characters"));
            return null;
        }
        if (value.length() > MAX_ID_LENGTH) {
            violations.add(Violation.atField(at + field, "must be at most " + MAX_ID_LENGTH + " characters"));
            return null;
        }
        return value;
    }

    private static String text(JsonNode body, String field, String at, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            violations.add(Violation.atField(at + field, "must be a string"));
            return null;
        }
        if (node.asText().chars().anyMatch(c -> c < 0x20)) {
            violations.add(Violation.atField(at + field, "must not contain control characters"));
            return null;
        }
        return node.asText();
    }

    private static Map<String, Object> object(JsonNode body, String field, String at, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!node.isObject()) {
            violations.add(Violation.atField(at + field, "must be a JSON object"));
            return new LinkedHashMap<>();
        }
        return castMap(JSON.convertValue(node, LinkedHashMap.class));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Instant instant(JsonNode body, String field, String name, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            violations.add(Violation.atField(name, "must be an ISO 8601 date-time string"));
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(node.asText()).toInstant();
            if (instant.isBefore(Instant.parse("1970-01-01T00:00:00Z"))
                    || instant.isAfter(Instant.parse("9999-01-01T00:00:00Z"))) {
                violations.add(Violation.atField(name, "'" + node.asText() + "' is out of range"));
                return null;
            }
            return instant;
        } catch (DateTimeParseException e) {
            violations.add(Violation.atField(name, "'" + node.asText() + "' is not an ISO 8601 date-time with offset"));
            return null;
        }
    }
}
