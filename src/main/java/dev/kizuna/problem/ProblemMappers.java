package dev.kizuna.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.kizuna.common.TransientFailures;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders every failure as problem+json; bad input is a 4xx that says what is wrong and where. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return answer(e);
    }

    /**
     * The answer to a problem, with Retry-After when the caller may try again later. Filters that
     * refuse a request before it reaches a resource (the access check) answer with this too.
     */
    public static Response answer(ProblemException e) {
        Response.ResponseBuilder response =
                Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem());
        if (e.retryAfter() != null) {
            response.header("Retry-After", e.retryAfter());
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        String where = describe(e);
        String message = e.getOriginalMessage();
        Problem problem = Problem.of(
                400,
                "Bad Request",
                "request body is not valid JSON for this endpoint" + (where.isEmpty() ? "" : " at " + where) + ": "
                        + message,
                List.of(new Problem.Violation(fieldPath(e), null, lineOf(e), message)));
        return answer(problem);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // The JSON body reader wraps parse errors; unwrap them to say where the body is broken.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return unreadableJson(json);
            }
        }
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return answer(Problem.of(status, title, e.getMessage(), List.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        var overload = TransientFailures.classify(e);
        if (overload.isPresent()) {
            return overloaded(overload.get(), e);
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure, incident %s", incident);
        return answer(Problem.of(
                500,
                "Internal Server Error",
                "Kizuna failed to handle this request; operators can find incident " + incident + " in the log",
                List.of()));
    }

    /** The database could not serve the request now: the caller should retry, and is told why. */
    private Response overloaded(TransientFailures.Kind kind, Exception e) {
        String what = switch (kind) {
            case BUSY ->
                "the database was busy: this request lost a deadlock with concurrent requests on every attempt";
            case CONNECTIONS_EXHAUSTED ->
                "all database connections are busy: none became free within the acquisition timeout";
            case UNAVAILABLE -> "the database is unavailable";
        };
        LOG.warnf("%s (%s): %s", what, kind, e.getMessage());
        int retryAfter = kind == TransientFailures.Kind.UNAVAILABLE ? 5 : 1;
        return problem(ProblemException.serviceUnavailable(
                what + "; this request is not acknowledged: retry it later (a retried messageId takes effect once)",
                retryAfter));
    }

    static Response answer(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    private static String describe(JsonProcessingException e) {
        String field = fieldPath(e);
        Integer line = lineOf(e);
        StringBuilder where = new StringBuilder();
        if (field != null) {
            where.append("field '").append(field).append("'");
        }
        if (line != null) {
            JsonLocation location = e.getLocation();
            if (where.length() > 0) {
                where.append(", ");
            }
            where.append("line ").append(line).append(" column ").append(location.getColumnNr());
        }
        return where.toString();
    }

    private static Integer lineOf(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null || location.getLineNr() < 0 ? null : location.getLineNr();
    }

    private static String fieldPath(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return null;
        }
        return mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
