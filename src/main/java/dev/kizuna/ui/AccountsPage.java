package dev.kizuna.ui;

import dev.kizuna.accounts.AccountDirectory;
import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.ingest.EventLog;
import dev.kizuna.messages.MessageSearch;
import dev.kizuna.segments.ProfileCatalog;
import dev.kizuna.segments.ProfileDefinitions;
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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Accounts: a searchable list, and one account's state, segments, activation and what happened to it. */
@Path("/ui/accounts")
public class AccountsPage {

    private static final int PAGE_SIZE = 50;
    /** How many of each kind of entry the account timeline mixes: the most recent ones. */
    private static final int TIMELINE_EACH = 50;

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance accounts(Chrome chrome, String q, List<AccountRow> rows, String moreUrl);

        static native TemplateInstance account(Chrome chrome, AccountDetail detail);
    }

    record AccountRow(String id, String name, String plan, String mrr, String ownerCsm, String signedUpAt) {}

    record Trait(String name, String value) {}

    record SegmentRow(String name, String description) {}

    record MilestoneRow(String name, String description, boolean reached, String reachedAt) {}

    /** One line of the account's timeline: an event, a message (with its status) or a milestone reached. */
    record TimelineItem(
            String kind, Instant at, String when, String title, String link, String detail, String status) {}

    record AccountDetail(
            AccountSnapshot account,
            String signedUpAt,
            String activatedAt,
            Long timeToValueHours,
            List<Trait> traits,
            List<SegmentRow> segments,
            List<MilestoneRow> milestones,
            long milestonesReached,
            Integer healthScore,
            String healthBand,
            List<TimelineItem> timeline) {

        public long activationPercent() {
            return milestones.isEmpty() ? 0 : milestonesReached * 100 / milestones.size();
        }
    }

    private final AccountDirectory directory;
    private final AccountSnapshots snapshots;
    private final EventLog events;
    private final MessageSearch messages;
    private final ProfileCatalog profiles;
    private final SignedIn signedIn;

    AccountsPage(
            AccountDirectory directory,
            AccountSnapshots snapshots,
            EventLog events,
            MessageSearch messages,
            ProfileCatalog profiles,
            SignedIn signedIn) {
        this.directory = directory;
        this.snapshots = snapshots;
        this.events = events;
        this.messages = messages;
        this.profiles = profiles;
        this.signedIn = signedIn;
    }

    @GET
    public Response list(
            @QueryParam("q") String search,
            @QueryParam("after") String after,
            @Context HttpHeaders headers,
            @Context UriInfo uri) {
        Locale locale = UiLanguage.of(headers);
        ZoneId zone = UiTimeZone.of(headers, locale);
        String q = Html.blankToNull(search);
        if (q != null && q.length() > 200) {
            q = q.substring(0, 200);
        }
        List<AccountRow> rows =
                directory
                        .list(new AccountDirectory.AccountQuery(null, null, q, Html.blankToNull(after), PAGE_SIZE))
                        .stream()
                        .map(account -> new AccountRow(
                                account.id(),
                                account.name(),
                                account.plan(),
                                account.mrr() == null ? null : account.mrr().toPlainString(),
                                account.ownerCsm(),
                                Html.time(account.signedUpAt(), zone)))
                        .toList();
        String more = rows.size() < PAGE_SIZE
                ? null
                : "/ui/accounts?" + (q == null ? "" : "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&")
                        + "after=" + URLEncoder.encode(rows.get(rows.size() - 1).id(), StandardCharsets.UTF_8);
        return Html.page(
                Templates.accounts(Chrome.signedIn(signedIn, locale, zone, uri, "accounts"), q, rows, more), locale);
    }

    @GET
    @Path("/{id}")
    public Response one(@PathParam("id") String id, @Context HttpHeaders headers, @Context UriInfo uri) {
        Locale locale = UiLanguage.of(headers);
        ZoneId zone = UiTimeZone.of(headers, locale);
        Chrome chrome = Chrome.signedIn(signedIn, locale, zone, uri, "accounts");
        var found = snapshots.account(id);
        if (found.isEmpty()) {
            return Html.page(404, MessagesPage.Templates.notFound(chrome, "account", id), locale);
        }
        AccountSnapshot account = found.get();
        AccountSnapshot.Profile profile = account.profile();
        ProfileDefinitions definitions = profiles.definitions();

        List<Trait> traits = account.traits().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(trait -> new Trait(trait.getKey(), String.valueOf(trait.getValue())))
                .toList();
        List<SegmentRow> segments = profile.segments().stream()
                .map(segment -> {
                    var definition = definitions.segments().get(segment);
                    return new SegmentRow(segment, definition == null ? null : definition.description());
                })
                .toList();
        List<MilestoneRow> milestones = new ArrayList<>();
        definitions.milestones().forEach((name, definition) -> {
            Instant reachedAt = profile.milestones().get(name);
            milestones.add(
                    new MilestoneRow(name, definition.description(), reachedAt != null, Html.time(reachedAt, zone)));
        });
        long reached = milestones.stream().filter(MilestoneRow::reached).count();

        return Html.page(
                Templates.account(
                        chrome,
                        new AccountDetail(
                                account,
                                Html.time(account.signedUpAt(), zone),
                                Html.time(profile.activatedAt(), zone),
                                account.timeToValueHours(),
                                traits,
                                segments,
                                milestones,
                                reached,
                                profile.healthScore(),
                                profile.healthBand(),
                                timeline(account, zone))),
                locale);
    }

    /** Events, messages and milestones of the account in one list, newest first. */
    private List<TimelineItem> timeline(AccountSnapshot account, ZoneId zone) {
        List<TimelineItem> items = new ArrayList<>();
        events.ofAccount(account.id(), null, TIMELINE_EACH)
                .forEach(event -> items.add(new TimelineItem(
                        "event",
                        event.occurredAt(),
                        Html.time(event.occurredAt(), zone),
                        event.name() != null ? event.name() : event.type(),
                        null,
                        event.userId() == null ? event.type() : event.type() + " · " + event.userId(),
                        null)));
        messages.list(new MessageSearch.Query(account.id(), null, null, null, null, null, TIMELINE_EACH))
                .forEach(message -> items.add(new TimelineItem(
                        "message",
                        message.createdAt(),
                        Html.time(message.createdAt(), zone),
                        message.subject() != null ? message.subject() : message.rule(),
                        "/ui/messages/" + message.id(),
                        message.rule() + " · " + message.channel(),
                        message.status())));
        account.profile()
                .milestones()
                .forEach((milestone, reachedAt) -> items.add(new TimelineItem(
                        "milestone", reachedAt, Html.time(reachedAt, zone), milestone, null, null, null)));
        items.sort(Comparator.comparing(TimelineItem::at, Comparator.nullsLast(Comparator.reverseOrder())));
        return items;
    }
}
