package dev.kizuna.templates;

import freemarker.core.Environment;
import java.io.Writer;
import java.time.Duration;

/**
 * The output of one template file, refusing to grow past a number of characters or past a
 * deadline: a runaway loop fails its message instead of filling the heap. Once refused, every
 * later write is refused too, so a template cannot catch the refusal and carry on.
 */
final class BoundedWriter extends Writer {

    private final StringBuilder written = new StringBuilder();
    private final int maxChars;
    private final long deadlineNanos;
    private final Duration timeout;
    private RenderLimitExceeded refused;

    BoundedWriter(int maxChars, long deadlineNanos, Duration timeout) {
        this.maxChars = maxChars;
        this.deadlineNanos = deadlineNanos;
        this.timeout = timeout;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        check(length);
        written.append(chars, offset, length);
    }

    @Override
    public void write(String text, int offset, int length) {
        check(length);
        written.append(text, offset, offset + length);
    }

    @Override
    public void write(int c) {
        check(1);
        written.append((char) c);
    }

    private void check(int more) {
        if (refused != null) {
            throw refused;
        }
        if ((long) written.length() + more > maxChars) {
            refused = new RenderLimitExceeded(
                    RenderLocation.current(Environment.getCurrentEnvironment()),
                    "the output passed " + maxChars
                            + " characters (kizuna.templates.max-output); does a loop run too long?");
        } else if (System.nanoTime() - deadlineNanos > 0) {
            refused = RenderLimitExceeded.tooSlow(RenderLocation.current(Environment.getCurrentEnvironment()), timeout);
        }
        if (refused != null) {
            throw refused;
        }
    }

    /** The refusal, if a write was refused, even one the template swallowed. */
    RenderLimitExceeded refused() {
        return refused;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
        return written.toString();
    }
}
