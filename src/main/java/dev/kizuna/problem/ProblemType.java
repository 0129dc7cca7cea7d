package dev.kizuna.problem;

import java.net.URI;

/**
 * The kinds of problem Kizuna answers, each with its own {@code type} URI so that a client can
 * tell them apart without reading the title. The status picks the kind; the README lists them.
 */
public enum ProblemType {
    /** The request is malformed or a field is wrong: 400, and any other 4xx without a kind of its own. */
    VALIDATION("validation"),
    /** No key, or a key that is unknown or revoked; a bad webhook signature: 401. */
    UNAUTHORIZED("unauthorized"),
    /** The key's role does not allow the call: 403. */
    FORBIDDEN("forbidden"),
    /** Nothing is at that address, or the thing named is not there: 404. */
    NOT_FOUND("not-found"),
    /** The method or media type is not one the endpoint takes: 405, 406, 415. */
    UNSUPPORTED("unsupported"),
    /** The request contradicts the current state of what it acts on: 409. */
    CONFLICT("conflict"),
    /** The request is over a limit: its size (413, 414, 431) or its key's rate (429). */
    LIMIT("limit"),
    /** The request is understood but cannot be carried out, e.g. a template that does not render: 422. */
    UNPROCESSABLE("unprocessable"),
    /** A server Kizuna depends on (the SMTP server) failed: 502. */
    UPSTREAM("upstream"),
    /** Kizuna cannot take the request now but will later (Retry-After): 503. */
    UNAVAILABLE("unavailable"),
    /** Kizuna failed; the detail names an incident in the log: 500 and any other status. */
    INTERNAL("internal");

    /** Where every problem type lives; the name of the kind follows. */
    public static final String BASE = "https://kizuna.dev/problems/";

    private final String name;

    ProblemType(String name) {
        this.name = name;
    }

    public URI uri() {
        return URI.create(BASE + name);
    }

    public static ProblemType of(int status) {
        return switch (status) {
            case 400 -> VALIDATION;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404, 410 -> NOT_FOUND;
            case 405, 406, 415 -> UNSUPPORTED;
            case 409 -> CONFLICT;
            case 413, 414, 429, 431 -> LIMIT;
            case 422 -> UNPROCESSABLE;
            case 502 -> UPSTREAM;
            case 503 -> UNAVAILABLE;
            default -> status >= 400 && status < 500 ? VALIDATION : INTERNAL;
        };
    }
}
