package dev.kizuna.ui;

import dev.kizuna.security.ApiKeys;
import dev.kizuna.security.Role;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The UI's own access check: /ui is outside /api and /v1, so the API's key filter lets it through.
 * Every page but sign-in and the language and time zone switches needs a session cookie whose
 * session has not ended, whose key is still live in the key store (a revoked key signs its
 * sessions out at the next page) and has a UI role.
 */
public class UiAccessFilter {

    /** Images from Kizuna itself (and inline data) only: the policy of every page by default. */
    static final String STRICT_IMAGES = "img-src 'self' data:";
    /** Images from anywhere: only for a message page whose reader chose to show its email's remote images. */
    static final String ANY_IMAGES = "img-src * data:";

    private final UiSessions sessions;
    private final ApiKeys keys;
    private final SignedIn signedIn;

    UiAccessFilter(UiSessions sessions, ApiKeys keys, SignedIn signedIn) {
        this.sessions = sessions;
        this.keys = keys;
        this.signedIn = signedIn;
    }

    @ServerRequestFilter
    public Optional<Response> checkSession(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/ui") && !path.startsWith("/ui/") || isOpen(path)) {
            return Optional.empty();
        }
        Cookie cookie = request.getCookies().get(UiSessions.COOKIE);
        Optional<UiSession> session = cookie == null ? Optional.empty() : sessions.verify(cookie.getValue());
        Optional<ApiKeys.Authenticated> key = session.flatMap(
                        found -> keys.live(found.keyId()).filter(live -> live.role() == found.role()))
                .filter(live -> mayUseUi(live.role()));
        if (key.isEmpty()) {
            Response.ResponseBuilder toSignIn = Response.seeOther(URI.create("/ui/sign-in"));
            if (cookie != null) {
                toSignIn.header(HttpHeaders.SET_COOKIE, SessionCookie.cleared(request));
            }
            return Optional.of(toSignIn.build());
        }
        signedIn.set(session.get(), key.get());
        return Optional.empty();
    }

    /**
     * Pages carry no script at all, and emails shown in them (srcdoc frames inherit the page's
     * policy) cannot run any either; no other site may frame the UI. Pages are personal: not cached.
     * Images come from Kizuna only, so that reading an email does not tell its sender's servers
     * (or a third party's pixel) that it was read; a message page opened with
     * {@code ?remote-images=show} is the one exception, chosen by its reader.
     */
    @ServerResponseFilter
    public void secureHeaders(ContainerRequestContext request, ContainerResponseContext response) {
        if (isUi(request)) {
            putSecureHeaders(response, showsRemoteImages(request) ? ANY_IMAGES : STRICT_IMAGES);
        }
    }

    static void putSecureHeaders(ContainerResponseContext response, String imageSources) {
        response.getHeaders()
                .putSingle(
                        "Content-Security-Policy",
                        "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; " + imageSources
                                + "; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
        response.getHeaders().putSingle("Referrer-Policy", "same-origin");
        response.getHeaders().putSingle("Cache-Control", "no-store");
    }

    /** One message's page, when its reader asked for the email's remote images. */
    private static boolean showsRemoteImages(ContainerRequestContext request) {
        return MessagesPage.SHOW_REMOTE_IMAGES.equals(
                        request.getUriInfo().getQueryParameters().getFirst(MessagesPage.REMOTE_IMAGES))
                && request.getUriInfo().getPath().matches("/ui/messages/[^/]+");
    }

    static boolean isUi(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return path.equals("/ui") || path.startsWith("/ui/");
    }

    static boolean mayUseUi(Role role) {
        return role != Role.WRITE;
    }

    private static boolean isOpen(String path) {
        return path.equals("/ui/sign-in") || path.equals("/ui/language") || path.equals("/ui/timezone");
    }
}
