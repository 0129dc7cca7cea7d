package dev.kizuna;

import io.restassured.response.ValidatableResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kizuna.TestKeys.asProduct;

/**
 * Segment calls as a product's library sends them with its write key, answered once Kizuna has
 * processed them (see {@link TestKeys#asProduct()}); each returns the answer for the test to assert on.
 */
public final class SegmentCalls {

    private SegmentCalls() {}

    /** Who the user is: {@code POST /v1/identify}. */
    public static ValidatableResponse identify(String userId, Map<String, ?> traits) {
        return send("identify", Map.of("userId", userId, "traits", traits));
    }

    /** The user belongs to an account (Segment's group): {@code POST /v1/group}. */
    public static ValidatableResponse group(String userId, String accountId, Map<String, ?> traits) {
        return send("group", Map.of("userId", userId, "groupId", accountId, "traits", traits));
    }

    /**
     * The user did something in an account ({@code context.groupId}); the messageId makes a second
     * send of the same call a duplicate. A null account or messageId is left out of the call.
     */
    public static ValidatableResponse track(String userId, String event, String accountId, String messageId) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("userId", userId);
        call.put("event", event);
        if (messageId != null) {
            call.put("messageId", messageId);
        }
        if (accountId != null) {
            call.put("context", Map.of("groupId", accountId));
        }
        return send("track", call);
    }

    /** Several calls in one request, each with its {@code type}: {@code POST /v1/batch}. */
    public static ValidatableResponse batch(List<? extends Map<String, ?>> calls) {
        return asProduct().body(Map.of("batch", calls)).post("/v1/batch").then();
    }

    /** A call of this type with this body, as it is: {@code POST /v1/{type}}. */
    public static ValidatableResponse send(String type, Map<String, ?> call) {
        return asProduct().body(call).post("/v1/" + type).then();
    }
}
