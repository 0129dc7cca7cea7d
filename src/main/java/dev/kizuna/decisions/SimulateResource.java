package dev.kizuna.decisions;

import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Simulate: what a rule would do for an account now, for a hypothetical event. Nothing is recorded. */
@Path("/api/rules/{id}/simulate")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SimulateResource {

    private final Explainer explainer;

    SimulateResource(Explainer explainer) {
        this.explainer = explainer;
    }

    /** What the simulation is about: an account, optionally one user, and for event rules the event. */
    public record Simulation(String accountId, String userId, String event, Map<String, Object> properties) {}

    @POST
    public Explainer.Explanation simulate(@PathParam("id") String ruleId, Simulation simulation) {
        if (simulation == null || simulation.accountId() == null || simulation.accountId().isBlank()) {
            throw ProblemException.badField("accountId", "is required: the account to simulate the rule for");
        }
        return explainer.explain(ruleId, simulation.accountId(), simulation.userId(), simulation.event(), simulation.properties());
    }
}
