package dev.kizuna.delivery.inapp;

import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The nudge API a product calls with its write key. */
@Path("/v1/nudges")
@Produces(MediaType.APPLICATION_JSON)
public class NudgesResource {

    private final NudgeInbox inbox;

    NudgesResource(NudgeInbox inbox) {
        this.inbox = inbox;
    }

    public record NudgeList(List<NudgeView> nudges) {}

    @GET
    public NudgeList pending(@QueryParam("userId") String userId) {
        if (userId == null || userId.isBlank()) {
            throw ProblemException.badField("userId", "query parameter is required");
        }
        return new NudgeList(inbox.pending(userId));
    }
}
