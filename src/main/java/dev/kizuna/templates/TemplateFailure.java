package dev.kizuna.templates;

/**
 * A template that could not be rendered for a recipient. The message reads "file line N: reason";
 * file and line are also kept apart for problem documents (either may be null when unknown).
 */
public class TemplateFailure extends RuntimeException {

    private final String file;
    private final Integer line;
    private final String reason;

    public TemplateFailure(String message, Throwable cause) {
        this(null, null, message, cause);
    }

    public TemplateFailure(String file, Integer line, String reason, Throwable cause) {
        super(describe(file, line, reason), cause);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    /** The template file at fault, relative to the templates folder, or null. */
    public String file() {
        return file;
    }

    /** The line in {@link #file()}, or null. */
    public Integer line() {
        return line;
    }

    /** What is wrong, without the file and line. */
    public String reason() {
        return reason;
    }

    private static String describe(String file, Integer line, String reason) {
        if (file == null) {
            return reason;
        }
        return file + (line == null ? "" : " line " + line) + ": " + reason;
    }
}
