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
}
