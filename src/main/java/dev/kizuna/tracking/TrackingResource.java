package dev.kizuna.tracking;

import dev.kizuna.messages.MessageSearch;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The public endpoints behind the links in emails, reached by recipients without a key: each
 * token is signed and expires, so a link can only act on the message it was made for and a
 * click can only lead where the email pointed.
 */
@Path("/t")
public class TrackingResource {

    private static final Logger LOG = Logger.getLogger(TrackingResource.class);
    private static final byte[] TRANSPARENT_GIF =
            Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final LinkSigner signer;
    private final Engagement engagement;

    TrackingResource(LinkSigner signer, Engagement engagement) {
        this.signer = signer;
        this.engagement = engagement;
    }

    /** The open pixel: always an image, so that a mail client never shows a broken one; only a valid token counts. */
    @GET
    @Path("/o/{token}")
    public Response open(@PathParam("token") String token) {
        try {
            engagement.opened(signer.verify(token, LinkToken.Kind.OPEN).messageId());
        } catch (LinkSigner.InvalidLink invalid) {
            LOG.debugf("open pixel with a %s token", invalid.reason);
        }
        return Response.ok(TRANSPARENT_GIF, "image/gif").cacheControl(noStore()).build();
    }

    @GET
    @Path("/c/{token}")
    public Response click(@PathParam("token") String token) {
        LinkToken link;
        try {
            link = signer.verify(token, LinkToken.Kind.CLICK);
        } catch (LinkSigner.InvalidLink invalid) {
            return refused(invalid);
        }
        if (!EmailLinks.safeTarget(link.target())) {
            return page(
                    Response.Status.BAD_REQUEST, null, "This link is not valid", "This link does not lead anywhere.");
        }
        engagement.clicked(link.messageId(), link.target());
        return Response.status(Response.Status.FOUND)
                .location(URI.create(link.target()))
                .cacheControl(noStore())
                .build();
    }

    /** The unsubscribe page. Looking at it changes nothing: link scanners fetch pages, people press buttons. */
    @GET
    @Path("/u/{token}")
    public Response unsubscribePage(@PathParam("token") String token) {
        Optional<MessageSearch.Addressee> addressee;
        try {
            addressee = engagement.addressee(
                    signer.verify(token, LinkToken.Kind.UNSUBSCRIBE).messageId());
        } catch (LinkSigner.InvalidLink invalid) {
            return refused(invalid);
        }
        if (addressee.isEmpty()) {
            return page(Response.Status.NOT_FOUND, null, "This link is not valid", "This email is no longer known.");
        }
        Words words = Words.of(addressee.get().locale());
        String category =
                addressee.get().category() == null ? "" : addressee.get().category();
        String body = "<p>" + escape(words.question.formatted(category)) + "</p>"
                + "<form method=\"post\">"
                + "<button type=\"submit\" name=\"scope\" value=\"category\">"
                + escape(words.thisCategory.formatted(category)) + "</button> "
                + "<button type=\"submit\" name=\"scope\" value=\"all\">" + escape(words.allEmail) + "</button>"
                + "</form>";
        return pageHtml(Response.Status.OK, words, words.title, body);
    }

    /**
     * The one-click POST of RFC 8058 (body "List-Unsubscribe=One-Click", form-encoded or multipart)
     * unsubscribes from the email's category; the page's form may ask for all email.
     */
    @POST
    @Path("/u/{token}")
    @Consumes(MediaType.WILDCARD)
    public Response unsubscribe(@PathParam("token") String token, String body) {
        LinkToken link;
        try {
            link = signer.verify(token, LinkToken.Kind.UNSUBSCRIBE);
        } catch (LinkSigner.InvalidLink invalid) {
            return refused(invalid);
        }
        boolean fromAll =
                body != null && (body.contains("scope=all") || body.matches("(?s).*name=\"scope\"\\s+all\\b.*"));
        Optional<MessageSearch.Addressee> addressee = engagement.addressee(link.messageId());
        if (addressee.isEmpty() || !engagement.unsubscribe(link.messageId(), fromAll)) {
            return page(Response.Status.NOT_FOUND, null, "This link is not valid", "This email is no longer known.");
        }
        Words words = Words.of(addressee.get().locale());
        String category =
                addressee.get().category() == null ? "" : addressee.get().category();
        return pageHtml(
                Response.Status.OK,
                words,
                words.done,
                "<p>" + escape(fromAll ? words.doneAll : words.doneCategory.formatted(category)) + "</p>");
    }

    private static Response refused(LinkSigner.InvalidLink invalid) {
        if (invalid.reason == LinkSigner.InvalidLink.Reason.EXPIRED) {
            return page(
                    Response.Status.GONE,
                    null,
                    "This link has expired",
                    "This link is too old to be used. Links in newer emails work.");
        }
        return page(
                Response.Status.BAD_REQUEST,
                null,
                "This link is not valid",
                "This link was changed or cut short: open it again from the email.");
    }

    private static Response page(Response.Status status, Words words, String title, String message) {
        return pageHtml(status, words, title, "<p>" + escape(message) + "</p>");
    }

    private static Response pageHtml(Response.Status status, Words words, String title, String bodyHtml) {
        String lang = words == null ? "en" : words.lang;
        String html = "<!DOCTYPE html><html lang=\"" + lang + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">"
                + "<title>" + escape(title) + "</title>"
                + "<style>body{font-family:Helvetica,Arial,sans-serif;max-width:34em;margin:3em auto;padding:0 1em;color:#1f2933}"
                + "button{font-size:1em;padding:.5em 1em;margin:.25em 0}</style></head><body>"
                + "<h1>" + escape(title) + "</h1>" + bodyHtml + "</body></html>";
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(html)
                .cacheControl(noStore())
                .build();
    }

    private static CacheControl noStore() {
        CacheControl cache = new CacheControl();
        cache.setNoStore(true);
        return cache;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** The unsubscribe page in the recipient's language. */
    private record Words(
            String lang,
            String title,
            String question,
            String thisCategory,
            String allEmail,
            String done,
            String doneCategory,
            String doneAll) {

        static final Words EN = new Words(
                "en",
                "Unsubscribe",
                "Stop receiving \u201c%s\u201d emails from us?",
                "Unsubscribe from \u201c%s\u201d emails",
                "Unsubscribe from all email",
                "You are unsubscribed",
                "You will no longer receive \u201c%s\u201d emails from us.",
                "You will no longer receive email from us.");
        static final Words JA = new Words(
                "ja",
                "配信停止",
                "「%s」のメールの配信を停止しますか？",
                "「%s」のメールを停止する",
                "すべてのメールを停止する",
                "配信を停止しました",
                "今後「%s」のメールはお送りしません。",
                "今後メールはお送りしません。");

        static Words of(String locale) {
            return locale != null && locale.toLowerCase(Locale.ROOT).startsWith("ja") ? JA : EN;
        }
    }
}
