package dev.kizuna.accounts;

import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Read-only view of user state for CSMs and automation; the accounts live in the api package. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    private final AccountSnapshots snapshots;

    AccountsResource(AccountSnapshots snapshots) {
        this.snapshots = snapshots;
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
}
