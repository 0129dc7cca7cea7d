package dev.kizuna.ui;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Rendering pages: in the reader's language, times in the reader's time zone, named. */
final class Html {

    /** The zone's short name ("JST", "UTC", "CET") after every time, so that no time is read in the wrong zone. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ENGLISH);

    private Html() {}

    static Response page(TemplateInstance page, Locale locale) {
        return page(200, page, locale);
    }

    static Response page(int status, TemplateInstance page, Locale locale) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.setLocale(locale).render())
                .build();
    }

    static String time(Instant instant, ZoneId zone) {
        return instant == null ? "" : TIME.withZone(zone).format(instant);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static String percent(Double share) {
        return share == null ? "–" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
