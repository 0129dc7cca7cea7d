package dev.kizuna.ui;

import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What every page's frame shows: the language and its switch, the time zone and its selector, the
 * signed-in key, its role, the navigation with the current section marked, and the CSRF token for
 * the sign-out form. {@code back} is the page both switches return to.
 */
record Chrome(
        String lang,
        String switchLanguageUrl,
        String switchLanguageLabel,
        String switchLanguageTag,
        String zone,
        List<String> zones,
        String back,
        boolean signedIn,
        String keyName,
        String role,
        boolean mayPreview,
        String csrf,
        String section) {

    static Chrome signedIn(SignedIn who, Locale locale, ZoneId zone, UriInfo uri, String section) {
        return signedIn(who, locale, zone, pathOf(uri), section);
    }

    static Chrome signedIn(SignedIn who, Locale locale, ZoneId zone, String back, String section) {
        return of(
                locale,
                zone,
                back,
                true,
                who.keyName(),
                who.role().wireName(),
                who.mayPreview(),
                who.csrfToken(),
                section);
    }

    static Chrome signedOut(Locale locale, ZoneId zone, UriInfo uri) {
        return signedOut(locale, zone, pathOf(uri));
    }

    static Chrome signedOut(Locale locale, ZoneId zone, String back) {
        return of(locale, zone, back, false, null, null, false, null, "sign-in");
    }

    private static Chrome of(
            Locale locale,
            ZoneId zone,
            String back,
            boolean signedIn,
            String keyName,
            String role,
            boolean mayPreview,
            String csrf,
            String section) {
        boolean japanese = locale.getLanguage().equals("ja");
        String other = japanese ? "en" : "ja";
        String switchUrl = "/ui/language?to=" + other + "&back=" + URLEncoder.encode(back, StandardCharsets.UTF_8);
        // A zone chosen before the list changed is still offered, so the selector always names the zone in use.
        List<String> zones = UiTimeZone.CHOICES.contains(zone.getId())
                ? UiTimeZone.CHOICES
                : Stream.concat(Stream.of(zone.getId()), UiTimeZone.CHOICES.stream())
                        .toList();
        return new Chrome(
                japanese ? "ja" : "en",
                switchUrl,
                japanese ? "English" : "日本語",
                other,
                zone.getId(),
                zones,
                back,
                signedIn,
                keyName,
                role,
                mayPreview,
                csrf,
                section);
    }

    private static String pathOf(UriInfo uri) {
        return uri.getRequestUri().getRawPath()
                + (uri.getRequestUri().getRawQuery() == null
                        ? ""
                        : "?" + uri.getRequestUri().getRawQuery());
    }

    public boolean isSection(String name) {
        return section.equals(name);
    }

    public boolean isZone(String name) {
        return zone.equals(name);
    }
}
