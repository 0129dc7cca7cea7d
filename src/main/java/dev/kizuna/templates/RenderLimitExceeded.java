package dev.kizuna.templates;

import java.time.Duration;

/** A template rendering stopped because it wrote too much or took too long; thrown from the output writer. */
final class RenderLimitExceeded extends RuntimeException {

    private final RenderLocation location;

    RenderLimitExceeded(RenderLocation location, String reason) {
        // No stack trace: where it happened is the template's file and line, and the writer throws it again on every
        // later write.
        super(reason, null, false, false);
        this.location = location;
    }

    static RenderLimitExceeded tooSlow(RenderLocation location, Duration timeout) {
        return new RenderLimitExceeded(
                location,
                "rendering took longer than " + timeout.toMillis()
                        + " ms (kizuna.templates.render-timeout); does a loop run too long?");
    }

    TemplateFailure toFailure(String fallbackFile) {
        return location == null
                ? new TemplateFailure(fallbackFile, null, getMessage(), this)
                : new TemplateFailure(location.file(), location.line(), getMessage(), this);
    }
}
