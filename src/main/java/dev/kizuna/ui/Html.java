package dev.kizuna.ui;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Rendering pages: in the reader's language, times in UTC as people read them. */
final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Html() {}

    static Response page(TemplateInstance page, Locale locale) {
        return page(200, page, locale);
    }

    static Response page(int status, TemplateInstance page, Locale locale) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.setLocale(locale).render()).build();
    }

    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static String percent(Double share) {
        return share == null ? "–" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
