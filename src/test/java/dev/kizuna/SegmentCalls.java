package dev.kizuna;

import static dev.kizuna.TestKeys.asProduct;

import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Segment calls as a product's library sends them with its write key, answered once Kizuna has
 * processed them (see {@link TestKeys#asProduct()}); each returns the answer for the test to assert on.
 * {@link #at(Instant)} stamps calls with the time they happened, for tests that run on the test clock.
 */
public final class SegmentCalls {

    private SegmentCalls() {}

    /** Who the user is: {@code POST /v1/identify}. */
    public static ValidatableResponse identify(String userId, Map<String, ?> traits) {
        return identify(userId, traits, null);
    }

    /** The user belongs to an account (Segment's group): {@code POST /v1/group}. */
    public static ValidatableResponse group(String userId, String accountId, Map<String, ?> traits) {
        return group(userId, accountId, traits, null);
    }

    /**
     * The user did something in an account ({@code context.groupId}); the messageId makes a second
     * send of the same call a duplicate. A null account or messageId is left out of the call.
     */
    public static ValidatableResponse track(String userId, String event, String accountId, String messageId) {
        return track(userId, event, accountId, messageId, null);
    }

    /** Several calls in one request, each with its {@code type}: {@code POST /v1/batch}. */
    public static ValidatableResponse batch(List<? extends Map<String, ?>> calls) {
        return asProduct().body(Map.of("batch", calls)).post("/v1/batch").then();
    }

    /**
     * Many calls as a product's library sends a backfill: in order, 400 to a {@code POST /v1/batch},
     * each request answered 200 once its calls are processed.
     */
    public static void inBatches(List<? extends Map<String, ?>> calls) {
        for (int from = 0; from < calls.size(); from += 400) {
            batch(calls.subList(from, Math.min(calls.size(), from + 400))).statusCode(200);
        }
    }

    /** A call of this type with this body, as it is: {@code POST /v1/{type}}. */
    public static ValidatableResponse send(String type, Map<String, ?> call) {
        return asProduct().body(call).post("/v1/" + type).then();
    }

    /** Calls that say they happened at this time (Segment's {@code timestamp}). */
    public static Stamped at(Instant timestamp) {
        return new Stamped(timestamp);
    }

    /** Identify, group and track calls stamped with the time they happened. */
    public record Stamped(Instant timestamp) {

        public ValidatableResponse identify(String userId, Map<String, ?> traits) {
            return SegmentCalls.identify(userId, traits, timestamp);
        }

        public ValidatableResponse group(String userId, String accountId, Map<String, ?> traits) {
            return SegmentCalls.group(userId, accountId, traits, timestamp);
        }

        /** A track call without a messageId: Kizuna gives it one. */
        public ValidatableResponse track(String userId, String event, String accountId) {
            return SegmentCalls.track(userId, event, accountId, null, timestamp);
        }
    }

    static ValidatableResponse identify(String userId, Map<String, ?> traits, Instant timestamp) {
        return send("identify", identifyBody(userId, traits, timestamp));
    }

    static ValidatableResponse group(String userId, String accountId, Map<String, ?> traits, Instant timestamp) {
        return send("group", groupBody(userId, accountId, traits, timestamp));
    }

    static ValidatableResponse track(
            String userId, String event, String accountId, String messageId, Instant timestamp) {
        return send("track", trackBody(userId, event, accountId, messageId, timestamp));
    }

    /** An identify call for a {@link #batch}, stamped with the time it happened. */
    public static Map<String, Object> identifyCall(String userId, Map<String, ?> traits, Instant timestamp) {
        return typed("identify", identifyBody(userId, traits, timestamp));
    }

    /** A group call for a {@link #batch}, stamped with the time it happened. */
    public static Map<String, Object> groupCall(
            String userId, String accountId, Map<String, ?> traits, Instant timestamp) {
        return typed("group", groupBody(userId, accountId, traits, timestamp));
    }

    /** A track call for a {@link #batch}, in an account, stamped with the time it happened; Kizuna gives it a messageId. */
    public static Map<String, Object> trackCall(String userId, String event, String accountId, Instant timestamp) {
        return typed("track", trackBody(userId, event, accountId, null, timestamp));
    }

    private static Map<String, Object> identifyBody(String userId, Map<String, ?> traits, Instant timestamp) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("userId", userId);
        call.put("traits", traits);
        return stamped(call, timestamp);
    }

    private static Map<String, Object> groupBody(
            String userId, String accountId, Map<String, ?> traits, Instant timestamp) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("userId", userId);
        call.put("groupId", accountId);
        call.put("traits", traits);
        return stamped(call, timestamp);
    }

    private static Map<String, Object> trackBody(
            String userId, String event, String accountId, String messageId, Instant timestamp) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("userId", userId);
        call.put("event", event);
        if (messageId != null) {
            call.put("messageId", messageId);
        }
        if (accountId != null) {
            call.put("context", Map.of("groupId", accountId));
        }
        return stamped(call, timestamp);
    }

    private static Map<String, Object> typed(String type, Map<String, Object> body) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("type", type);
        call.putAll(body);
        return call;
    }

    private static Map<String, Object> stamped(Map<String, Object> call, Instant timestamp) {
        if (timestamp != null) {
            call.put("timestamp", timestamp.toString());
        }
        return call;
    }
}
