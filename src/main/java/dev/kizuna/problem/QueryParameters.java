package dev.kizuna.problem;

/** Query parameters read as text and checked here, so that a malformed one is a 400 naming it, not a 404. */
public final class QueryParameters {

    private QueryParameters() {}

    /** A page size: absent means {@code fallback}; otherwise a whole number from 1 to {@code max}. */
    public static int limit(String value, int fallback, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Long parsed = whole(value);
        if (parsed == null || parsed < 1 || parsed > max) {
            throw ProblemException.badField(
                    "limit", "must be a whole number from 1 to " + max + ", was '" + value + "'");
        }
        return parsed.intValue();
    }

    /** An optional id cursor: absent means null; otherwise a whole number. */
    public static Long id(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Long parsed = whole(value);
        if (parsed == null) {
            throw ProblemException.badField(
                    name, "must be a message or event id (a whole number), was '" + value + "'");
        }
        return parsed;
    }

    private static Long whole(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException notAWholeNumber) {
            return null;
        }
    }
}
