package dev.kizuna.templates;

import freemarker.core.CommonMarkupOutputFormat;
import freemarker.core.CommonTemplateMarkupOutputModel;
import freemarker.template.utility.StringUtil;
import java.io.IOException;
import java.io.Writer;
import java.util.function.UnaryOperator;

/**
 * Auto-escaping for the bodies Kizuna posts: every ${value} is escaped for where it lands, as
 * *.ftlh files escape HTML. A webhook's JSON escapes values for a JSON string (quote them in the
 * template: "name": "${account.name}"); a Slack message escapes &amp;, &lt; and &gt;, which Slack's
 * text format reserves for its links and mentions.
 */
final class EscapingOutputFormat extends CommonMarkupOutputFormat<EscapingOutputFormat.Output> {

    static final EscapingOutputFormat JSON_STRING =
            new EscapingOutputFormat("JSON string", "application/json", StringUtil::jsonStringEnc);
    static final EscapingOutputFormat SLACK_TEXT = new EscapingOutputFormat(
            "Slack text",
            "text/plain",
            text -> text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));

    private final String name;
    private final String mimeType;
    private final UnaryOperator<String> escape;

    private EscapingOutputFormat(String name, String mimeType, UnaryOperator<String> escape) {
        this.name = name;
        this.mimeType = mimeType;
        this.escape = escape;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getMimeType() {
        return mimeType;
    }

    @Override
    public void output(String textToEsc, Writer out) throws IOException {
        out.write(escape.apply(textToEsc));
    }

    @Override
    public String escapePlainText(String plainTextContent) {
        return escape.apply(plainTextContent);
    }

    @Override
    public boolean isLegacyBuiltInBypassed(String builtInName) {
        return builtInName.equals("json_string") || builtInName.equals("js_string");
    }

    @Override
    protected Output newTemplateMarkupOutputModel(String plainTextContent, String markupContent) {
        return new Output(this, plainTextContent, markupContent);
    }

    /** A value already escaped, or to be escaped when written. */
    static final class Output extends CommonTemplateMarkupOutputModel<Output> {

        private final EscapingOutputFormat format;

        Output(EscapingOutputFormat format, String plainTextContent, String markupContent) {
            super(plainTextContent, markupContent);
            this.format = format;
        }

        @Override
        public EscapingOutputFormat getOutputFormat() {
            return format;
        }
    }
}
