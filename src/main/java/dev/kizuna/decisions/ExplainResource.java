package dev.kizuna.decisions;

import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Explain: why a rule would or would not fire for an account, now. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ExplainResource {

    private final Explainer explainer;

    ExplainResource(Explainer explainer) {
        this.explainer = explainer;
    }

    @GET
    @Path("/accounts/{id}/explain")
    public Explainer.Explanation explain(@PathParam("id") String accountId, @QueryParam("rule") String rule,
            @QueryParam("userId") String userId) {
        if (rule == null || rule.isBlank()) {
            throw ProblemException.badField("rule", "query parameter is required: the id of a rule");
        }
        return explainer.explain(rule, accountId, userId, null, Map.of());
    }
}
