package dev.kizuna.security;

import dev.kizuna.problem.Problem;
import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks the key on every call: /v1 takes a write key as the HTTP Basic user (as Segment does),
 * /api takes an admin key as a Bearer token. Operations endpoints under /q stay open.
 */
public class AccessFilter {

    private final ApiKeys keys;

    AccessFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter
    public Optional<Response> checkKey(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (path.startsWith("/v1/") && authorization == null && isIngestion(path)) {
            // Segment libraries may send the key as the body's writeKey; the resource checks it.
            return Optional.empty();
        }
        if (path.startsWith("/v1/")) {
            return require(writeKeyOf(authorization), Role.WRITE, "a write key as the HTTP Basic user name");
        }
        if (path.startsWith("/api/")) {
            return require(bearerOf(authorization), Role.ADMIN, "an admin key as 'Authorization: Bearer <key>'");
        }
        return Optional.empty();
    }

    private static boolean isIngestion(String path) {
        return !path.startsWith("/v1/nudges");
    }

    private Optional<Response> require(String secret, Role needed, String how) {
        if (secret == null) {
            return deny(ProblemException.unauthorized("this endpoint needs " + how));
        }
        Optional<Role> role = keys.authenticate(secret);
        if (role.isEmpty()) {
            return deny(ProblemException.unauthorized("the key is unknown or revoked"));
        }
        if (role.get() != needed && role.get() != Role.ADMIN) {
            return deny(ProblemException.forbidden(
                    "a " + role.get().wireName() + " key cannot call this endpoint; it needs " + how));
        }
        return Optional.empty();
    }

    private static Optional<Response> deny(ProblemException e) {
        Problem problem = e.toProblem();
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"kizuna\"");
        }
        return Optional.of(response.build());
    }

    /** Segment's libraries send the write key as the Basic user name with an empty password. */
    static String writeKeyOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
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
