package dev.kizuna.ui;

import dev.kizuna.delivery.inapp.NudgeInbox;
import dev.kizuna.delivery.inapp.NudgeView;
import dev.kizuna.messages.Channel;
import dev.kizuna.messages.MessageSearch;
import dev.kizuna.messages.MessageStatus;
import dev.kizuna.messages.MessageView;
import dev.kizuna.templates.DeliveryPolicy;
import dev.kizuna.tracking.Consents;
import dev.kizuna.tracking.LinksConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The message log, filtered and paged by id, and one message as its recipient got it. */
@Path("/ui/messages")
public class MessagesPage {

    private static final int PAGE_SIZE = 50;
    /** The query parameter, and its one value, with which the reader of a message chooses to load its remote images. */
    static final String REMOTE_IMAGES = "remote-images";

    static final String SHOW_REMOTE_IMAGES = "show";
    /** Attributes and CSS that make a browser fetch from another host: src, srcset, background, url(...). */
    private static final Pattern REMOTE_REFERENCE = Pattern.compile(
            "(?i)(?:\\b(?:src|srcset|background|poster)\\s*=\\s*[\"']?|url\\(\\s*[\"']?)\\s*(?:https?:)?//");

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance messages(
                Chrome chrome,
                Filters filters,
                List<String> channels,
                List<String> statuses,
                List<MessageRow> rows,
                String olderUrl,
                boolean paged,
                boolean badDate);

        static native TemplateInstance message(Chrome chrome, MessageDetail detail);

        static native TemplateInstance notFound(Chrome chrome, String what, String id);
    }

    /** The filters as typed, so the form shows them again. */
    record Filters(
            String account, String user, String rule, String channel, String status, String from, String to, String q) {

        /** The same filters as a query string, for the "older" link. */
        public String queryString() {
            List<String> pairs = new ArrayList<>();
            add(pairs, "account", account);
            add(pairs, "user", user);
            add(pairs, "rule", rule);
            add(pairs, "channel", channel);
            add(pairs, "status", status);
            add(pairs, "from", from);
            add(pairs, "to", to);
            add(pairs, "q", q);
            return String.join("&", pairs);
        }

        private static void add(List<String> pairs, String name, String value) {
            if (value != null) {
                pairs.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    record MessageRow(
            long id,
            String decidedAt,
            String accountId,
            String userId,
            String rule,
            String channel,
            String status,
            String subject,
            String recipient) {}

    /** One entry of a message's timeline; {@code status} is the message's status, on the "decided" entry. */
    record TimelineRow(String type, String at, String detail, String status) {}

    /**
     * One message for the detail page; {@code explanation} is the engine's, in the reader's language; {@code emailHtml} is the HTML as sent with its tracking URLs
     * made inert. {@code remoteImages} says whether the email loads anything from elsewhere, and
     * {@code remoteImagesShown} whether its reader chose to let it (the page's policy blocks it otherwise).
     */
    record MessageDetail(
            MessageView message,
            String decidedAt,
            String explanation,
            String emailHtml,
            NudgeView nudge,
            List<TimelineRow> timeline,
            boolean remoteImages,
            boolean remoteImagesShown,
            ConsentShown consent) {

        public String showRemoteImagesUrl() {
            return "/ui/messages/" + message.id() + "?" + REMOTE_IMAGES + "=" + SHOW_REMOTE_IMAGES + "#email-heading";
        }

        public String blockRemoteImagesUrl() {
            return "/ui/messages/" + message.id() + "#email-heading";
        }
    }

    /**
     * The consent behind an email of a category: whether its template needs opt-in, and the
     * latest record of the user's consent to the category (null: none on record).
     */
    record ConsentShown(String category, boolean needed, String at, Consents.ConsentRecord record) {}

    private final MessageSearch log;
    private final NudgeInbox nudges;
    private final SignedIn signedIn;
    private final String trackingPrefix;

    private final Consents consents;
    private final DeliveryPolicy delivery;

    MessagesPage(
            MessageSearch log,
            NudgeInbox nudges,
            SignedIn signedIn,
            LinksConfig links,
            Consents consents,
            DeliveryPolicy delivery) {
        this.consents = consents;
        this.delivery = delivery;
        this.log = log;
        this.nudges = nudges;
        this.signedIn = signedIn;
        this.trackingPrefix = stripTrailingSlash(links.baseUrl()) + "/t/";
    }

    @GET
    public Response list(
            @QueryParam("account") String account,
            @QueryParam("user") String user,
            @QueryParam("rule") String rule,
            @QueryParam("channel") String channel,
            @QueryParam("status") String status,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("q") String search,
            @QueryParam("before") Long before,
            @Context HttpHeaders headers,
            @Context UriInfo uri) {
        Locale locale = UiLanguage.of(headers);
        ZoneId zone = UiTimeZone.of(headers, locale);
        Filters filters = new Filters(
                Html.blankToNull(account),
                Html.blankToNull(user),
                Html.blankToNull(rule),
                known(Channel.class, channel),
                known(MessageStatus.class, status),
                Html.blankToNull(from),
                Html.blankToNull(to),
                Html.blankToNull(search));
        Instant fromInstant;
        Instant toInstant;
        boolean badDate = false;
        try {
            // Days as the reader lives them: midnight in the reader's time zone.
            fromInstant = startOfDay(filters.from(), 0, zone);
            // "To" is a day the reader includes; the log's bound is exclusive, so it is the next midnight.
            toInstant = startOfDay(filters.to(), 1, zone);
        } catch (DateTimeParseException e) {
            fromInstant = null;
            toInstant = null;
            badDate = true;
        }
        var query = new MessageSearch.Query(
                filters.account(),
                filters.user(),
                filters.rule(),
                enumOf(Channel.class, filters.channel()),
                enumOf(MessageStatus.class, filters.status()),
                fromInstant,
                toInstant,
                filters.q(),
                before,
                PAGE_SIZE);
        List<MessageRow> rows = log.list(query).stream()
                .map(message -> new MessageRow(
                        message.id(),
                        Html.time(message.createdAt(), zone),
                        message.accountId(),
                        message.userId(),
                        message.rule(),
                        message.channel(),
                        message.status(),
                        message.subject(),
                        message.recipient()))
                .toList();
        String older = null;
        if (rows.size() == PAGE_SIZE) {
            String filtersQuery = filters.queryString();
            older = "/ui/messages?" + (filtersQuery.isEmpty() ? "" : filtersQuery + "&") + "before="
                    + rows.get(rows.size() - 1).id();
        }
        List<String> channels =
                Arrays.stream(Channel.values()).map(Channel::wireName).toList();
        List<String> statuses = Arrays.stream(MessageStatus.values())
                .map(MessageStatus::wireName)
                .toList();
        return Html.page(
                Templates.messages(
                        Chrome.signedIn(signedIn, locale, zone, uri, "messages"),
                        filters,
                        channels,
                        statuses,
                        rows,
                        older,
                        before != null,
                        badDate),
                locale);
    }

    @GET
    @Path("/{id}")
    public Response one(
            @PathParam("id") String idText,
            @QueryParam(REMOTE_IMAGES) String remoteImages,
            @Context HttpHeaders headers,
            @Context UriInfo uri) {
        Locale locale = UiLanguage.of(headers);
        ZoneId zone = UiTimeZone.of(headers, locale);
        Chrome chrome = Chrome.signedIn(signedIn, locale, zone, uri, "messages");
        Long id = parseId(idText);
        var found = id == null ? java.util.Optional.<MessageView>empty() : log.find(id);
        if (found.isEmpty()) {
            return Html.page(404, Templates.notFound(chrome, "message", idText), locale);
        }
        MessageView message = found.get();
        List<TimelineRow> timeline = new ArrayList<>();
        timeline.add(new TimelineRow("decided", Html.time(message.createdAt(), zone), null, message.status()));
        message.timeline()
                .forEach(entry ->
                        timeline.add(new TimelineRow(entry.type(), Html.time(entry.at(), zone), entry.detail(), null)));
        NudgeView nudge = Channel.INAPP.wireName().equals(message.channel())
                ? nudges.ofMessage(message.id()).orElse(null)
                : null;
        String html = inert(message.bodyHtml());
        return Html.page(
                Templates.message(
                        chrome,
                        new MessageDetail(
                                message,
                                Html.time(message.createdAt(), zone),
                                ExplanationText.in(locale)
                                        .explanation(message.cause().explanation()),
                                html,
                                nudge,
                                timeline,
                                loadsRemoteContent(html),
                                SHOW_REMOTE_IMAGES.equals(remoteImages),
                                consentShown(message, zone))),
                locale);
    }

    /** For an email to a user under a category: the consent on record now, and whether its template needs one. */
    private ConsentShown consentShown(MessageView message, ZoneId zone) {
        if (!Channel.EMAIL.wireName().equals(message.channel())
                || message.userId() == null
                || message.category() == null) {
            return null;
        }
        DeliveryPolicy.EmailOrigin origin = delivery.emailOriginIfKnown(message.template());
        Consents.ConsentRecord record = consents.latest(message.userId()).get(message.category());
        return new ConsentShown(
                message.category(),
                origin != null && origin.consentRequired(),
                record == null ? null : Html.time(record.recordedAt(), zone),
                record);
    }

    /**
     * The stored HTML is exactly what was sent, tracking links included. Shown as is, the open
     * pixel would load and a click would go through the redirect, so reading a message in the UI
     * would count as the recipient's open or click: those URLs point nowhere here.
     */
    String inert(String html) {
        return html == null ? null : html.replace(trackingPrefix, "about:blank#kizuna-tracking/");
    }

    static boolean loadsRemoteContent(String html) {
        return html != null && REMOTE_REFERENCE.matcher(html).find();
    }

    private static Instant startOfDay(String date, int plusDays, ZoneId zone) {
        return date == null
                ? null
                : LocalDate.parse(date).plusDays(plusDays).atStartOfDay(zone).toInstant();
    }

    /** A select's value if it names a constant, else null (any). */
    private static <E extends Enum<E>> String known(Class<E> type, String value) {
        E constant = enumOf(type, value);
        return constant == null ? null : constant.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.strip())) {
                return constant;
            }
        }
        return null;
    }

    static Long parseId(String text) {
        try {
            long id = Long.parseLong(text);
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
