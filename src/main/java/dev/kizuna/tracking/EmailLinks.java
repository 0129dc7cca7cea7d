package dev.kizuna.tracking;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signed public links of an email: its unsubscribe link, and the open pixel and click
 * redirects written into its HTML once it is rendered, so that the stored body is what was sent.
 * Every token of a message expires relative to the time it was decided, so a retry carries the
 * same links.
 */
@ApplicationScoped
public class EmailLinks {

    /** An absolute http(s) link in a double-quoted href of an anchor, as the HTML templates write them. */
    private static final Pattern ANCHOR_HREF =
            Pattern.compile("(<a\\s[^>]*?\\bhref\\s*=\\s*\")(https?://[^\"]+)(\")", Pattern.CASE_INSENSITIVE);

    private static final Pattern BODY_END = Pattern.compile("</body\\s*>", Pattern.CASE_INSENSITIVE);

    private final LinksConfig config;
    private final LinkSigner signer;
    private final String baseUrl;

    EmailLinks(LinksConfig config, LinkSigner signer) {
        this.config = config;
        this.signer = signer;
        this.baseUrl = config.baseUrl().replaceAll("/+$", "");
    }

    public String unsubscribeUrl(long messageId, Instant decidedAt) {
        return baseUrl + "/t/u/"
                + signer.sign(new LinkToken(
                        LinkToken.Kind.UNSUBSCRIBE, messageId, decidedAt.plus(config.unsubscribeTtl()), null));
    }

    String openPixelUrl(long messageId, Instant decidedAt) {
        return baseUrl + "/t/o/"
                + signer.sign(
                        new LinkToken(LinkToken.Kind.OPEN, messageId, decidedAt.plus(config.trackingTtl()), null));
    }

    String clickUrl(long messageId, Instant decidedAt, String target) {
        return baseUrl + "/t/c/"
                + signer.sign(
                        new LinkToken(LinkToken.Kind.CLICK, messageId, decidedAt.plus(config.trackingTtl()), target));
    }

    /** The HTML with its outside links through the click redirect and an open pixel before the end of the body. */
    public String track(long messageId, Instant decidedAt, String html) {
        String tracked = html;
        if (config.trackClicks()) {
            Matcher anchors = ANCHOR_HREF.matcher(tracked);
            StringBuilder out = new StringBuilder();
            while (anchors.find()) {
                String target = unescapeHtml(anchors.group(2));
                String replacement = isTrackable(target)
                        ? anchors.group(1) + clickUrl(messageId, decidedAt, target) + anchors.group(3)
                        : anchors.group();
                anchors.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            anchors.appendTail(out);
            tracked = out.toString();
        }
        if (config.trackOpens()) {
            String pixel = "<img src=\"" + openPixelUrl(messageId, decidedAt)
                    + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0;width:1px;height:1px;\">";
            Matcher end = BODY_END.matcher(tracked);
            int at = -1;
            while (end.find()) {
                at = end.start();
            }
            tracked = at < 0 ? tracked + pixel : tracked.substring(0, at) + pixel + "\n" + tracked.substring(at);
        }
        return tracked;
    }

    /** Kizuna's own links (unsubscribe) stay as they are; anything that is not a plain web address too. */
    private boolean isTrackable(String target) {
        if (target.startsWith(baseUrl + "/")) {
            return false;
        }
        return safeTarget(target);
    }

    /** Whether a URL is one a click may lead to: http or https with a host, no control characters. */
    static boolean safeTarget(String target) {
        if (target == null || target.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return false;
        }
        try {
            URI uri = new URI(target);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Undoes the escaping FreeMarker's HTML output format applies to attribute values. */
    private static String unescapeHtml(String value) {
        return value.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&#x27;", "'")
                .replace("&amp;", "&");
    }
}
