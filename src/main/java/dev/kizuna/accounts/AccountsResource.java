package dev.kizuna.accounts;

import dev.kizuna.problem.ProblemException;
import dev.kizuna.problem.QueryParameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Read-only view of account and user state for CSMs and automation. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    private static final int MAX_LIMIT = 500;

    private final AccountDirectory directory;
    private final AccountSnapshots snapshots;
    private final AccountHistory history;

    AccountsResource(AccountDirectory directory, AccountSnapshots snapshots, AccountHistory history) {
        this.directory = directory;
        this.snapshots = snapshots;
        this.history = history;
    }

    /** A page of accounts; pass nextAfter as 'after' for the next page. */
    public record AccountPage(List<AccountDirectory.AccountSummary> items, String nextAfter) {}

    @GET
    @Path("/accounts")
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
    @Path("/accounts/{id}")
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

    public record History(String accountId, List<AccountHistory.Change> changes) {}

    /** The account's plan, revenue and lifecycle stage over time, oldest first (the newest {@code limit}, default 200). */
    @GET
    @Path("/accounts/{id}/history")
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

    @GET
    @Path("/users/{id}")
    @Operation(summary = "A user's state", description = "The user's profile and the accounts they are a member of.")
    @APIResponse(responseCode = "200", description = "The user's state")
    @APIResponse(responseCode = "404", description = "No user with this id")
    @Tag(name = "Users")
    public UserSnapshot user(@PathParam("id") String id) {
        return snapshots.user(id).orElseThrow(() -> ProblemException.notFound("no user with id '" + id + "'"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
