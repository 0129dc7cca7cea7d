package dev.kizuna.security;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which role each endpoint needs: the first matching line wins. It is the "Access" table of the
 * README, which a test walks. An /api path no line names needs an admin key, so a new endpoint is
 * closed until it is given a line here.
 */
final class AccessPolicy {

    record Line(String method, Pattern path, Role needed) {

        boolean matches(String requestMethod, String requestPath) {
            return (method.equals("*") || method.equalsIgnoreCase(requestMethod))
                    && path.matcher(requestPath).matches();
        }
    }

    /** Checked by its own means (a webhook signature) rather than by a key. */
    private static final Role SIGNED = null;

    private static final List<Line> LINES = List.of(
            line("POST", "/v1/webhooks/[^/]+", SIGNED),
            line("*", "/v1/.*", Role.WRITE),
            line("GET", "/api/accounts(/.*)?", Role.CSM),
            line("GET", "/api/users/[^/]+", Role.CSM),
            line("GET", "/api/users/[^/]+/preferences", Role.CSM),
            line("PUT", "/api/users/[^/]+/preferences/[^/]+", Role.MARKETER),
            line("GET", "/api/users/[^/]+/consents", Role.CSM),
            line("PUT", "/api/users/[^/]+/consents/[^/]+", Role.MARKETER),
            line("GET", "/api/consents/erased", Role.ADMIN),
            line("DELETE", "/api/users/[^/]+", Role.ADMIN),
            line("GET", "/api/messages(/.*)?", Role.CSM),
            line("*", "/api/rules(/.*)?", Role.MARKETER),
            line("*", "/api/profiles(/.*)?", Role.MARKETER),
            line("*", "/api/templates(/.*)?", Role.MARKETER),
            line("GET", "/api/reports(/.*)?", Role.MARKETER),
            line("*", "/api/keys(/.*)?", Role.ADMIN),
            line("GET", "/api/audit", Role.ADMIN));

    private AccessPolicy() {}

    /** The role a call needs, or null where no key is asked for (public links, operations, signed webhooks). */
    static Role needed(String method, String path) {
        for (Line line : LINES) {
            if (line.matches(method, path)) {
                return line.needed();
            }
        }
        return path.startsWith("/api/") ? Role.ADMIN : null;
    }

    private static Line line(String method, String path, Role needed) {
        return new Line(method, Pattern.compile(path), needed);
    }
}
