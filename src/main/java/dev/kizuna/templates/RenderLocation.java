package dev.kizuna.templates;

import freemarker.core.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The template file and line a rendering is at. */
record RenderLocation(String file, Integer line) {

    private static final Pattern TOP_OF_STACK = Pattern.compile("\\[in template \"([^\"]+)\" at line (\\d+)");

    /**
     * Where the environment is now. FreeMarker exposes its instruction stack only as the text it
     * prints in error messages, whose innermost entry reads {@code [in template "x.ftl" at line 3, column 1]}.
     * Null when the environment is gone or the text cannot be read.
     */
    static RenderLocation current(Environment environment) {
        if (environment == null) {
            return null;
        }
        try {
            StringWriter stack = new StringWriter();
            environment.outputInstructionStack(new PrintWriter(stack));
            Matcher top = TOP_OF_STACK.matcher(stack.toString());
            if (top.find()) {
                return new RenderLocation(top.group(1), Integer.valueOf(top.group(2)));
            }
            return new RenderLocation(environment.getCurrentTemplate().getSourceName(), null);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
