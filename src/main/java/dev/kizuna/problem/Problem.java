package dev.kizuna.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem document: every error Kizuna answers has this shape. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(
        name = "Problem",
        description = "An RFC 9457 problem document (application/problem+json): what went wrong and where.")
public record Problem(
        @Schema(
                description =
                        "The kind of problem, one of https://kizuna.dev/problems/{validation, unauthorized, forbidden, not-found,"
                                + " unsupported, conflict, limit, unprocessable, upstream, unavailable, internal}",
                example = "https://kizuna.dev/problems/validation")
        String type,

        @Schema(description = "The HTTP status's reason phrase", example = "Bad Request")
        String title,

        @Schema(description = "The HTTP status", example = "400")
        int status,

        @Schema(description = "What went wrong, in a sentence that names the field or file")
        String detail,

        @Schema(description = "Each thing wrong and where; absent when there is nothing to point at")
        List<Violation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem of the kind its status names (see {@link ProblemType}). */
    public static Problem of(int status, String title, String detail, List<Violation> errors) {
        return new Problem(ProblemType.of(status).uri().toString(), title, status, detail, errors);
    }

    /** One thing wrong, and where: a request field, or a file and line. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Violation", description = "One thing wrong: a request field, or a file and line, with a message.")
    public record Violation(String field, String file, Integer line, String message) {

        public static Violation atField(String field, String message) {
            return new Violation(field, null, null, message);
        }

        public static Violation inFile(String file, Integer line, String message) {
            return new Violation(null, file, line, message);
        }
    }
}
