package dev.kizuna.api;

import dev.kizuna.accounts.AccountDirectory;
import dev.kizuna.accounts.AccountHistory;
import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.decisions.Explainer;
import dev.kizuna.ingest.EventLog;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.problem.QueryParameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Everything under /api/accounts, read-only, for CSMs and automation: the account directory, an
 * account's state and history, its raw events, and why a rule would or would not fire for it now.
 *
 * <p>It lives in the edge package because one address tree reaches into accounts, ingest and
 * decisions; none of those packages may depend on another edge, and an edge may depend on them all.
 */
@Path("/api/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    private static final int MAX_LIMIT = 500;

    private final AccountDirectory directory;
    private final AccountSnapshots snapshots;
    private final AccountHistory history;
    private final EventLog events;
    private final Explainer explainer;

    AccountsResource(
            AccountDirectory directory,
            AccountSnapshots snapshots,
            AccountHistory history,
            EventLog events,
            Explainer explainer) {
        this.directory = directory;
        this.snapshots = snapshots;
        this.history = history;
        this.events = events;
        this.explainer = explainer;
    }

    /** A page of accounts; pass nextAfter as 'after' for the next page. */
    public record AccountPage(List<AccountDirectory.AccountSummary> items, String nextAfter) {}

    public record History(String accountId, List<AccountHistory.Change> changes) {}

    /** A page of an account's raw events, newest first; pass nextBefore as 'before' for the next page. */
    public record EventPage(List<EventLog.EventView> items, Long nextBefore) {}

    @GET
    @Operation(
            summary = "List accounts",
            description =
                    "Accounts by id, filtered by plan, CSM (csm) or text in the id or traits (q); a page of limit (50, at most "
                            + "500) after the previous page's nextAfter.")
    @APIResponse(responseCode = "200", description = "A page of accounts and the nextAfter of the next page")
    @APIResponse(
            responseCode = "400",
            description = "limit is not a whole number from 1 to 500, or q is over 200 characters")
    @Tag(name = "Accounts")
    public AccountPage accounts(
            @QueryParam("plan") String plan,
            @QueryParam("csm") String csm,
            @QueryParam("q") String search,
            @QueryParam("after") String after,
            @QueryParam("limit") String limitText) {
        int limit = QueryParameters.limit(limitText, 50, MAX_LIMIT);
        if (search != null && search.length() > 200) {
            throw ProblemException.badField("q", "must be at most 200 characters");
        }
        List<AccountDirectory.AccountSummary> items = directory.list(new AccountDirectory.AccountQuery(
                blankToNull(plan), blankToNull(csm), blankToNull(search), blankToNull(after), limit));
        return new AccountPage(
                items, items.size() == limit ? items.get(items.size() - 1).id() : null);
    }

    @GET
    @Path("/{id}")
    @Operation(
            summary = "An account's state",
            description =
                    "Its plan, revenue, signup, owner, traits, members, and per event the count, first and last time and the "
                            + "counts of the last 7 and 30 days.")
    @APIResponse(responseCode = "200", description = "The account's state")
    @APIResponse(responseCode = "404", description = "No account with this id")
    @Tag(name = "Accounts")
    public AccountSnapshot account(@PathParam("id") String id) {
        return snapshots.account(id).orElseThrow(() -> ProblemException.notFound("no account with id '" + id + "'"));
    }

    /** The account's plan, revenue and lifecycle stage over time, oldest first (the newest {@code limit}, default 200). */
    @GET
    @Path("/{id}/history")
    @Operation(
            summary = "An account's history",
            description =
                    "The account's plan, MRR, ARR and lifecycle stage over time, oldest first, each change with its time and "
                            + "source; the newest limit (200, at most 1000).")
    @APIResponse(responseCode = "200", description = "The account's changes, oldest first")
    @APIResponse(responseCode = "400", description = "limit is not a whole number from 1 to 1000")
    @APIResponse(responseCode = "404", description = "No account with this id")
    @Tag(name = "Accounts")
    public History history(@PathParam("id") String id, @QueryParam("limit") String limitText) {
        int limit = QueryParameters.limit(limitText, 200, 1000);
        account(id);
        return new History(id, history.of(id, limit));
    }

    /** The account's raw events, newest first. */
    @GET
    @Path("/{id}/events")
    @Operation(
            summary = "An account's raw events",
            description =
                    "The events sent for the account, newest first; a page of limit (50, at most 500) before the previous "
                            + "page's nextBefore.")
    @APIResponse(responseCode = "200", description = "A page of events and the nextBefore of the next page")
    @APIResponse(
            responseCode = "400",
            description = "limit is not a whole number from 1 to 500, or before is not an event id")
    @Tag(name = "Accounts")
    public EventPage events(
            @PathParam("id") String accountId,
            @QueryParam("before") String beforeText,
            @QueryParam("limit") String limitText) {
        int limit = QueryParameters.limit(limitText, 50, 500);
        Long before = QueryParameters.id("before", beforeText);
        List<EventLog.EventView> items = events.ofAccount(accountId, before, limit);
        return new EventPage(
                items, items.size() == limit ? items.get(items.size() - 1).id() : null);
    }

    /** Why a rule would or would not fire for the account, now; nothing is recorded. */
    @GET
    @Path("/{id}/explain")
    @Operation(
            summary = "Explain a rule for an account",
            description =
                    "Why the rule would or would not fire for the account's users now (or for one user, userId), check by "
                            + "check, with the user's place in a sequence for a rule with steps. Nothing is recorded or sent.")
    @APIResponse(responseCode = "200", description = "The explanation, check by check, for each user")
    @APIResponse(responseCode = "400", description = "rule is missing, or the user is not a member of the account")
    @APIResponse(responseCode = "404", description = "No rule with this id is in force, or no such account or user")
    @Tag(name = "Rules")
    public Explainer.Explanation explain(
            @PathParam("id") String accountId, @QueryParam("rule") String rule, @QueryParam("userId") String userId) {
        if (rule == null || rule.isBlank()) {
            throw ProblemException.badField("rule", "query parameter is required: the id of a rule");
        }
        return explainer.explain(rule, accountId, userId, null, Map.of());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
