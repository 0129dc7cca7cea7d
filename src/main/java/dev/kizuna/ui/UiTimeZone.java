package dev.kizuna.ui;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The time zone the UI shows times in: the one chosen with the selector (remembered in a cookie,
 * like the language), else the language's usual one: Japan's time for Japanese, UTC otherwise.
 */
final class UiTimeZone {

    static final String COOKIE = "kizuna_tz";
    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    /** The zones the selector offers; a zone set otherwise (an older cookie) is still honoured if it exists. */
    static final List<String> CHOICES = List.of(
            "UTC",
            "Asia/Tokyo",
            "Asia/Seoul",
            "Asia/Shanghai",
            "Asia/Singapore",
            "Asia/Kolkata",
            "Australia/Sydney",
            "Europe/London",
            "Europe/Paris",
            "Europe/Berlin",
            "America/New_York",
            "America/Chicago",
            "America/Denver",
            "America/Los_Angeles",
            "America/Sao_Paulo");

    private UiTimeZone() {}

    static ZoneId of(HttpHeaders headers, Locale locale) {
        return of(headers.getCookies(), locale);
    }

    static ZoneId of(ContainerRequestContext request, Locale locale) {
        return of(request.getCookies(), locale);
    }

    private static ZoneId of(Map<String, Cookie> cookies, Locale locale) {
        Cookie chosen = cookies.get(COOKIE);
        ZoneId zone = chosen == null ? null : parse(chosen.getValue());
        if (zone != null) {
            return zone;
        }
        return locale.getLanguage().equals("ja") ? TOKYO : UTC;
    }

    /** A zone by its IANA name ("Asia/Tokyo") or "UTC"; null for anything else (offsets and abbreviations included). */
    static ZoneId parse(String name) {
        if (name == null
                || name.length() > 64
                || !(name.equals("UTC") || name.matches("[A-Za-z]+(/[A-Za-z0-9_+-]+)+"))) {
            return null;
        }
        try {
            return name.equals("UTC") ? UTC : ZoneId.of(name);
        } catch (DateTimeException unknown) {
            return null;
        }
    }
}
