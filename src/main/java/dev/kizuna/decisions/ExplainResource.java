package dev.kizuna.decisions;

import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Explain and simulate: why a rule would or would not fire for an account, now. */
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

    /** What the simulation is about: an account, optionally one user, and for event rules the event. */
    public record Simulation(String accountId, String userId, String event, Map<String, Object> properties) {}

    @POST
    @Path("/rules/{id}/simulate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Explainer.Explanation simulate(@PathParam("id") String ruleId, Simulation simulation) {
        if (simulation == null || simulation.accountId() == null || simulation.accountId().isBlank()) {
            throw ProblemException.badField("accountId", "is required: the account to simulate the rule for");
        }
        return explainer.explain(ruleId, simulation.accountId(), simulation.userId(), simulation.event(), simulation.properties());
    }
}
