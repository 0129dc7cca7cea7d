package dev.kizuna.ui;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The UI speaks English and Japanese: the language chosen with the switch, else the browser's preference. */
final class UiLanguage {

    static final String COOKIE = "kizuna_lang";
    static final Locale ENGLISH = Locale.ENGLISH;
    static final Locale JAPANESE = Locale.JAPANESE;

    private UiLanguage() {}

    static Locale of(HttpHeaders headers) {
        return of(headers.getCookies(), headers.getAcceptableLanguages());
    }

    static Locale of(ContainerRequestContext request) {
        return of(request.getCookies(), request.getAcceptableLanguages());
    }

    private static Locale of(Map<String, Cookie> cookies, List<Locale> acceptable) {
        Cookie chosen = cookies.get(COOKIE);
        if (chosen != null && isSupported(chosen.getValue())) {
            return Locale.forLanguageTag(chosen.getValue());
        }
        for (Locale preferred : acceptable) {
            if (preferred.getLanguage().equals("ja")) {
                return JAPANESE;
            }
            if (preferred.getLanguage().equals("en")) {
                return ENGLISH;
            }
        }
        return ENGLISH;
    }

    static boolean isSupported(String tag) {
        return "en".equals(tag) || "ja".equals(tag);
    }
}
