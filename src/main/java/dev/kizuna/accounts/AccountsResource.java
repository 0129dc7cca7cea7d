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
        List<AccountDirectory.AccountSummary> items = directory.list(new AccountDirectory.AccountQuery(blankToNull(plan), blankToNull(csm),
                blankToNull(search), blankToNull(after), limit));
        return new AccountPage(items, items.size() == limit ? items.get(items.size() - 1).id() : null);
    }

    @GET
    @Path("/accounts/{id}")
    public AccountSnapshot account(@PathParam("id") String id) {
        return snapshots.account(id).orElseThrow(() -> ProblemException.notFound("no account with id '" + id + "'"));
    }

    public record History(String accountId, List<AccountHistory.Change> changes) {}

    /** The account's plan, revenue and lifecycle stage over time, oldest first (the newest {@code limit}, default 200). */
    @GET
    @Path("/accounts/{id}/history")
    public History history(@PathParam("id") String id, @QueryParam("limit") String limitText) {
        int limit = QueryParameters.limit(limitText, 200, 1000);
        account(id);
        return new History(id, history.of(id, limit));
    }

    @GET
    @Path("/users/{id}")
    public UserSnapshot user(@PathParam("id") String id) {
        return snapshots.user(id).orElseThrow(() -> ProblemException.notFound("no user with id '" + id + "'"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
