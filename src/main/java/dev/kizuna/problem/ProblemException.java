package dev.kizuna.problem;

import java.util.List;

/** Thrown anywhere to answer the caller with a problem document. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.Violation> violations;
    /** Seconds after which the caller may try again, for a 429 or 503; null otherwise. */
    private final Integer retryAfter;

    public ProblemException(int status, String title, String detail, List<Problem.Violation> violations) {
        this(status, title, detail, violations, null);
    }

    private ProblemException(
            int status, String title, String detail, List<Problem.Violation> violations, Integer retryAfter) {
        super(detail);
        this.status = status;
        this.title = title;
        this.violations = List.copyOf(violations);
        this.retryAfter = retryAfter;
    }

    public static ProblemException badRequest(String detail, List<Problem.Violation> violations) {
        return new ProblemException(400, "Bad Request", detail, violations);
    }

    public static ProblemException badField(String field, String message) {
        return badRequest(field + ": " + message, List.of(Problem.Violation.atField(field, message)));
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail, List.of());
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail, List.of());
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail, List.of());
    }

    /** The request is understood but cannot be carried out as it stands (e.g. a template that does not render). */
    public static ProblemException unprocessable(String detail) {
        return new ProblemException(422, "Unprocessable Content", detail, List.of());
    }

    /** A server Kizuna depends on (the SMTP server) failed. */
    public static ProblemException badGateway(String detail) {
        return new ProblemException(502, "Bad Gateway", detail, List.of());
    }

    /** The request is understood but contradicts the current state of what it acts on. */
    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, List.of());
    }

    /** Kizuna cannot take the request now but will later: answered with Retry-After. */
    public static ProblemException serviceUnavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(503, "Service Unavailable", detail, List.of(), retryAfterSeconds);
    }

    /** The caller's key made more calls than its rate limit allows: answered with Retry-After. */
    public static ProblemException tooManyRequests(String detail, int retryAfterSeconds) {
        return new ProblemException(429, "Too Many Requests", detail, List.of(), retryAfterSeconds);
    }

    public Integer retryAfter() {
        return retryAfter;
    }

    public Problem toProblem() {
        return Problem.of(status, title, getMessage(), violations);
    }

    public int status() {
        return status;
    }
}
