package dev.kizuna.ui;

import dev.kizuna.problem.Problem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.ZoneId;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Refusals and failures as a person reads them: for the UI's pages, and for any request whose
 * first choice is HTML (a browser; email links aside), the problem document becomes a page in the
 * reader's language with the status, what went wrong and a way back. API clients keep getting
 * problem+json.
 */
public class ErrorPage {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        /**
         * {@code reason}: "csrf", "marketer-only" or the status as text ("403", "404"...), which picks
         * the explanation; {@code detail} is the problem's own detail, shown as the technical detail.
         */
        static native TemplateInstance error(Chrome chrome, int status, String reason, String detail, String backUrl);
    }

    private final SignedIn signedIn;

    ErrorPage(SignedIn signedIn) {
        this.signedIn = signedIn;
    }

    @ServerResponseFilter
    public void renderForPeople(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof Problem problem) || !readByPeople(request)) {
            return;
        }
        Locale locale = UiLanguage.of(request);
        ZoneId zone = UiTimeZone.of(request, locale);
        String back = backUrl(request, signedIn.present());
        // The switches return to the way back: the refused request itself may be a form's POST.
        Chrome chrome = signedIn.present()
                ? Chrome.signedIn(signedIn, locale, zone, back, "error")
                : Chrome.signedOut(locale, zone, back);
        String reason = switch (signedIn.refusal()) {
            case CSRF -> "csrf";
            case MARKETER_ONLY -> "marketer-only";
            case NONE -> Integer.toString(problem.status());
        };
        String html = Templates.error(chrome, problem.status(), reason, problem.detail(), back)
                .setLocale(locale)
                .render();
        response.setEntity(html, null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        response.getHeaders()
                .putSingle(
                        HttpHeaders.CONTENT_TYPE,
                        MediaType.TEXT_HTML_TYPE.withCharset("UTF-8").toString());
        // A browser answers a Basic challenge with a password dialog; the page says what to do instead.
        response.getHeaders().remove(HttpHeaders.WWW_AUTHENTICATE);
        UiAccessFilter.putSecureHeaders(response, UiAccessFilter.STRICT_IMAGES);
    }

    private static boolean readByPeople(ContainerRequestContext request) {
        return UiAccessFilter.isUi(request) || prefersHtml(request) && !isEmailLink(request);
    }

    /** Email links are opened by recipients, not by users of Kizuna: the UI's frame and its way back mean nothing to them. */
    private static boolean isEmailLink(ContainerRequestContext request) {
        return request.getUriInfo().getPath().startsWith("/t/");
    }

    /** A browser lists text/html first; API clients send a wildcard or ask for JSON. */
    private static boolean prefersHtml(ContainerRequestContext request) {
        return request.getAcceptableMediaTypes().stream()
                .filter(type -> !type.isWildcardType())
                .findFirst()
                .map(type -> type.isCompatible(MediaType.TEXT_HTML_TYPE))
                .orElse(false);
    }

    /** Back to the UI page the reader came from (the referrer is sent only within Kizuna), else to the start. */
    private static String backUrl(ContainerRequestContext request, boolean signedIn) {
        String fallback = signedIn ? "/ui/messages" : "/ui/sign-in";
        String referer = request.getHeaderString("Referer");
        if (referer == null) {
            return fallback;
        }
        try {
            URI from = URI.create(referer);
            URI here = request.getUriInfo().getRequestUri();
            boolean sameOrigin = from.getHost() != null
                    && from.getHost().equalsIgnoreCase(here.getHost())
                    && from.getPort() == here.getPort();
            String path = from.getRawPath();
            if (sameOrigin
                    && path != null
                    && path.startsWith("/ui")
                    && !path.equals(request.getUriInfo().getRequestUri().getRawPath())) {
                return path + (from.getRawQuery() == null ? "" : "?" + from.getRawQuery());
            }
        } catch (IllegalArgumentException unreadable) {
            // Not a URI: go back to the start.
        }
        return fallback;
    }
}
