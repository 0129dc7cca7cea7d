package dev.kizuna.accounts;

import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Read-only view of account and user state for CSMs and automation. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    private final AccountState state;

    AccountsResource(AccountState state) {
        this.state = state;
    }

    @GET
    @Path("/accounts/{id}")
    public AccountSnapshot account(@PathParam("id") String id) {
        return state.account(id).orElseThrow(() -> ProblemException.notFound("no account with id '" + id + "'"));
    }

    @GET
    @Path("/users/{id}")
    public UserSnapshot user(@PathParam("id") String id) {
        return state.user(id).orElseThrow(() -> ProblemException.notFound("no user with id '" + id + "'"));
    }
}
