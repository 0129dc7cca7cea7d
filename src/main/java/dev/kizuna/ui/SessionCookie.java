package dev.kizuna.ui;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * The Set-Cookie values of the UI session: HttpOnly (no script reads it), SameSite=Strict (no
 * other site's page sends it), limited to /ui, and Secure when the UI is reached over https.
 */
final class SessionCookie {

    private SessionCookie() {}

    static String issued(UiSession session, UriInfo uri, long maxAgeSeconds) {
        return UiSessions.COOKIE + "=" + session.token() + attributes(isHttps(uri)) + "; Max-Age=" + maxAgeSeconds;
    }

    static String cleared(UriInfo uri) {
        return UiSessions.COOKIE + "=" + attributes(isHttps(uri)) + "; Max-Age=0";
    }

    static String cleared(ContainerRequestContext request) {
        return cleared(request.getUriInfo());
    }

    private static String attributes(boolean https) {
        return "; Path=/ui; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }

    private static boolean isHttps(UriInfo uri) {
        return "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
    }
}
