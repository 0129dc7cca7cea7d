package dev.kizuna.tracking;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The track events with which a product records a consent where the user gives it (a signup or
 * settings form): "Consent Given" and "Consent Withdrawn", with the properties {@code category},
 * {@code wording} or {@code form_id} (what the user saw; one is required to give consent) and
 * optionally {@code source} (where: "signup form"). The event's timestamp is when.
 */
public final class ConsentEvent {

    public static final String GIVEN = "Consent Given";
    public static final String WITHDRAWN = "Consent Withdrawn";

    private static final Set<String> NAMES = Set.of(GIVEN, WITHDRAWN);

    /** The source recorded when the event names none. */
    static final String DEFAULT_SOURCE = "event";

    private ConsentEvent() {}

    public static boolean named(String event) {
        return NAMES.contains(event);
    }

    /** What is wrong with a consent event's properties, property name to message; empty when nothing is. */
    public static Map<String, String> problems(String event, Map<String, Object> properties) {
        Map<String, String> problems = new LinkedHashMap<>();
        Object category = properties.get("category");
        if (!(category instanceof String name) || !Subscriptions.isCategory(name)) {
            problems.put(
                    "category",
                    "is required for '" + event
                            + "': the subscription category, lower-case letters, digits, '-' or '_'");
        }
        String wording = text(properties, "wording", Consents.MAX_WORDING, problems);
        String formId = text(properties, "form_id", Consents.MAX_FORM_ID, problems);
        text(properties, "source", Consents.MAX_SOURCE, problems);
        if (GIVEN.equals(event)
                && wording == null
                && formId == null
                && !problems.containsKey("wording")
                && !problems.containsKey("form_id")) {
            problems.put(
                    "wording",
                    "'" + GIVEN
                            + "' needs the wording the user agreed to, or the id of the form that showed it (form_id)");
        }
        return problems;
    }

    /** Records what a valid consent event says, as of its timestamp. */
    public static void record(
            Consents consents,
            String userId,
            String event,
            Map<String, Object> properties,
            Instant at,
            String messageId) {
        String category = (String) properties.get("category");
        String source = nonBlank(properties.get("source"));
        Consents.Evidence evidence = new Consents.Evidence(
                at,
                source == null ? DEFAULT_SOURCE : source,
                nonBlank(properties.get("wording")),
                nonBlank(properties.get("form_id")),
                messageId);
        if (GIVEN.equals(event)) {
            consents.give(userId, category, evidence);
        } else {
            consents.withdraw(userId, category, evidence);
        }
    }

    private static String text(
            Map<String, Object> properties, String name, int maxLength, Map<String, String> problems) {
        Object value = properties.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            problems.put(name, "must be a string");
            return null;
        }
        if (text.length() > maxLength) {
            problems.put(name, "must be at most " + maxLength + " characters");
            return null;
        }
        return text.isBlank() ? null : text;
    }

    private static String nonBlank(Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }
}
