package dev.kizuna.security;

import dev.kizuna.problem.ProblemException;
import dev.kizuna.problem.ProblemMappers;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks the key on every call against the role its endpoint needs (see {@link AccessPolicy}):
 * /v1 takes a write key as the HTTP Basic user (as Segment does), /api a key as a Bearer token.
 * Public email links under /t and operations endpoints under /q stay open. Each key is held to
 * its rate limit.
 */
public class AccessFilter {

    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final Caller caller;

    AccessFilter(ApiKeys keys, RateLimiter limiter, Caller caller) {
        this.keys = keys;
        this.limiter = limiter;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Optional<Response> checkKey(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        Role needed = AccessPolicy.needed(request.getMethod(), path);
        if (needed == null) {
            return Optional.empty();
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (path.startsWith("/v1/") && authorization == null && isIngestion(path)) {
            // Segment libraries may send the key as the body's writeKey; the resource checks it.
            return Optional.empty();
        }
        boolean basic = path.startsWith("/v1/");
        String secret = basic ? writeKeyOf(authorization) : bearerOf(authorization);
        String how = basic
                ? "a write key as the HTTP Basic user name"
                : "a " + needed.wireName() + " key as 'Authorization: Bearer <key>'";
        if (secret == null) {
            return deny(ProblemException.unauthorized("this endpoint needs " + how));
        }
        Optional<ApiKeys.Authenticated> key = keys.authenticate(secret);
        if (key.isEmpty()) {
            return deny(ProblemException.unauthorized("the key is unknown or revoked"));
        }
        if (!key.get().role().grants(needed)) {
            return deny(ProblemException.forbidden("a " + key.get().role().wireName() + " key cannot call "
                    + request.getMethod() + " " + path + "; it needs " + how));
        }
        long wait = limiter.secondsToWait(key.get());
        if (wait > 0) {
            return deny(ProblemException.tooManyRequests(
                    "this key made more calls than its rate limit allows; retry after " + wait + " s",
                    (int) Math.min(wait, Integer.MAX_VALUE)));
        }
        caller.set(key.get());
        return Optional.empty();
    }

    private static boolean isIngestion(String path) {
        return !path.startsWith("/v1/nudges");
    }

    /** Refuses the call with the same problem document the exception mapper would answer. */
    private static Optional<Response> deny(ProblemException e) {
        Response answer = ProblemMappers.answer(e);
        if (e.status() == 401) {
            answer = Response.fromResponse(answer)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"kizuna\"")
                    .build();
        }
        return Optional.of(answer);
    }

    /** Segment's libraries send the write key as the Basic user name with an empty password. */
    static String writeKeyOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            return user.isEmpty() ? null : user;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    static String bearerOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
