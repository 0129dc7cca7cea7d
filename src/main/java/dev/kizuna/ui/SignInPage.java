package dev.kizuna.ui;

import dev.kizuna.security.ApiKeys;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;

/** Signing in with an API key, signing out, and the language and time zone switches. */
@Path("/ui")
public class SignInPage {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        /** {@code error}: null, "unknown-key" or "write-key". */
        static native TemplateInstance signIn(Chrome chrome, String error);
    }

    private static final long ONE_YEAR = 365L * 24 * 3600;

    private final ApiKeys keys;
    private final UiSessions sessions;
    private final UiConfig config;
    private final SignedIn signedIn;

    SignInPage(ApiKeys keys, UiSessions sessions, UiConfig config, SignedIn signedIn) {
        this.keys = keys;
        this.sessions = sessions;
        this.config = config;
        this.signedIn = signedIn;
    }

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/ui/messages")).build();
    }

    @GET
    @Path("/sign-in")
    public Response form(@Context HttpHeaders headers, @Context UriInfo uri) {
        Locale locale = UiLanguage.of(headers);
        ZoneId zone = UiTimeZone.of(headers, locale);
        return Html.page(Templates.signIn(Chrome.signedOut(locale, zone, uri), null), locale);
    }

    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("key") String secret, @Context HttpHeaders headers, @Context UriInfo uri) {
        Locale locale = UiLanguage.of(headers);
        ZoneId zone = UiTimeZone.of(headers, locale);
        Optional<ApiKeys.Authenticated> key = keys.authenticate(secret == null ? null : secret.strip());
        if (key.isEmpty()) {
            return Html.page(401, Templates.signIn(Chrome.signedOut(locale, zone, uri), "unknown-key"), locale);
        }
        if (!UiAccessFilter.mayUseUi(key.get().role())) {
            return Html.page(403, Templates.signIn(Chrome.signedOut(locale, zone, uri), "write-key"), locale);
        }
        UiSession session = sessions.issue(key.get().id(), key.get().role());
        return Response.seeOther(URI.create("/ui/messages"))
                .header(
                        HttpHeaders.SET_COOKIE,
                        SessionCookie.issued(session, uri, config.sessionTtl().toSeconds()))
                .build();
    }

    @POST
    @Path("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@FormParam("csrf") String csrf, @Context UriInfo uri) {
        signedIn.requireCsrf(csrf);
        signedIn.signOut();
        return Response.seeOther(URI.create("/ui/sign-in"))
                .header(HttpHeaders.SET_COOKIE, SessionCookie.cleared(uri))
                .build();
    }

    /** Remembers the chosen language in a cookie and goes back to the page the switch was on. */
    @GET
    @Path("/language")
    public Response language(@QueryParam("to") String language, @QueryParam("back") String back) {
        String tag = UiLanguage.isSupported(language) ? language : "en";
        return Response.seeOther(URI.create(backIntoUi(back)))
                .header(
                        HttpHeaders.SET_COOKIE,
                        UiLanguage.COOKIE + "=" + tag + "; Path=/ui; SameSite=Lax; Max-Age=" + ONE_YEAR)
                .build();
    }

    /**
     * Remembers the chosen time zone in a cookie, as the language is, and goes back to the page the
     * selector was on. An unknown zone forgets the choice: times follow the language again.
     */
    @GET
    @Path("/timezone")
    public Response timeZone(@QueryParam("to") String zoneName, @QueryParam("back") String back) {
        ZoneId zone = UiTimeZone.parse(zoneName);
        String cookie = zone == null
                ? UiTimeZone.COOKIE + "=; Path=/ui; SameSite=Lax; Max-Age=0"
                : UiTimeZone.COOKIE + "=" + zone.getId() + "; Path=/ui; SameSite=Lax; Max-Age=" + ONE_YEAR;
        return Response.seeOther(URI.create(backIntoUi(back)))
                .header(HttpHeaders.SET_COOKIE, cookie)
                .build();
    }

    /** Only back into the UI: never an open redirect to another site. */
    private static String backIntoUi(String back) {
        return back != null && back.startsWith("/ui") && !back.startsWith("//") && !back.contains("\\")
                ? back
                : "/ui/messages";
    }
}
