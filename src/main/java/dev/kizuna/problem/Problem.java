package dev.kizuna.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 9457 problem document: every error Kizuna answers has this shape. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<Violation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem of the kind its status names (see {@link ProblemType}). */
    public static Problem of(int status, String title, String detail, List<Violation> errors) {
        return new Problem(ProblemType.of(status).uri().toString(), title, status, detail, errors);
    }

    /** One thing wrong, and where: a request field, or a file and line. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Violation(String field, String file, Integer line, String message) {

        public static Violation atField(String field, String message) {
            return new Violation(field, null, null, message);
        }

        public static Violation inFile(String file, Integer line, String message) {
            return new Violation(null, file, line, message);
        }
    }
}
