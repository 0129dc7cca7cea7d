package dev.kizuna.decisions;

import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Explain: why a rule would or would not fire for an account, now. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rules")
public class ExplainResource {

    private final Explainer explainer;

    ExplainResource(Explainer explainer) {
        this.explainer = explainer;
    }

    @GET
    @Path("/accounts/{id}/explain")
    @Operation(
            summary = "Explain a rule for an account",
            description =
                    "Why the rule would or would not fire for the account's users now (or for one user, userId), check by "
                            + "check, with the user's place in a sequence for a rule with steps. Nothing is recorded or sent.")
    @APIResponse(responseCode = "200", description = "The explanation, check by check, for each user")
    @APIResponse(responseCode = "400", description = "rule is missing, or the user is not a member of the account")
    @APIResponse(responseCode = "404", description = "No rule with this id is in force, or no such account or user")
    public Explainer.Explanation explain(
            @PathParam("id") String accountId, @QueryParam("rule") String rule, @QueryParam("userId") String userId) {
        if (rule == null || rule.isBlank()) {
            throw ProblemException.badField("rule", "query parameter is required: the id of a rule");
        }
        return explainer.explain(rule, accountId, userId, null, Map.of());
    }
}
