package dev.kizuna.ui;

import io.quarkus.qute.TemplateExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Helpers for UI templates. */
@TemplateExtension
class UiExtensions {

    private UiExtensions() {}

    /** An id made safe as one path segment of a link: {account.id.urlPath}. */
    static String urlPath(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A share as a percentage with one decimal: {rate.percentOf} is "12.5%". */
    static String percentOf(Double share) {
        return Html.percent(share);
    }

    /** A statistic to two decimals, as 0.73. */
    static String twoDecimals(Double value) {
        return value == null ? "–" : String.format(java.util.Locale.ROOT, "%.2f", value);
    }
}
