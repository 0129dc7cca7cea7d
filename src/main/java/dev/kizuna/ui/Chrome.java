package dev.kizuna.ui;

import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What every page's frame shows: the language and its switch, the signed-in key, its role, the
 * navigation with the current section marked, and the CSRF token for the sign-out form.
 */
record Chrome(String lang, String switchLanguageUrl, String switchLanguageLabel, String switchLanguageTag, boolean signedIn,
        String keyName, String role, boolean mayPreview, String csrf, String section) {

    static Chrome signedIn(SignedIn who, Locale locale, UriInfo uri, String section) {
        return of(locale, uri, true, who.keyName(), who.role().wireName(), who.mayPreview(), who.csrfToken(), section);
    }

    static Chrome signedOut(Locale locale, UriInfo uri) {
        return of(locale, uri, false, null, null, false, null, "sign-in");
    }

    private static Chrome of(Locale locale, UriInfo uri, boolean signedIn, String keyName, String role, boolean mayPreview, String csrf,
            String section) {
        boolean japanese = locale.getLanguage().equals("ja");
        String other = japanese ? "en" : "ja";
        String back = uri.getRequestUri().getRawPath() + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery());
        String switchUrl = "/ui/language?to=" + other + "&back=" + URLEncoder.encode(back, StandardCharsets.UTF_8);
        return new Chrome(japanese ? "ja" : "en", switchUrl, japanese ? "English" : "日本語", other, signedIn, keyName, role, mayPreview, csrf,
                section);
    }

    public boolean isSection(String name) {
        return section.equals(name);
    }
}
