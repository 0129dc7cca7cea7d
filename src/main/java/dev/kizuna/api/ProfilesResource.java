package dev.kizuna.api;

import dev.kizuna.decisions.ProfileRefreshes;
import dev.kizuna.decisions.ScheduleRuns;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Everything under /api/profiles: the refreshes that recompute every account's segments, health
 * and lifecycle, started now on request and listed with their progress.
 */
@Path("/api/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rules")
public class ProfilesResource {

    private final ProfileRefreshes refreshes;

    ProfilesResource(ProfileRefreshes refreshes) {
        this.refreshes = refreshes;
    }

    /** A refresh started on request. */
    public record Started(String firingId) {}

    @POST
    @Path("/refresh")
    @Operation(
            summary = "Refresh every account's profile now",
            description =
                    "Starts a profile refresh out of schedule: every account's segments, health and lifecycle are recomputed"
                            + " as of now and segment triggers fire for the accounts that entered or left a segment. Scheduled"
                            + " rules with an audience sweep the members stored by the last refresh or event. Every instance"
                            + " sweeps its pages, after the firings started before it. Answers at once with its id.")
    @APIResponse(
            responseCode = "202",
            description = "The refresh started: its firing id",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Started.class)))
    public Response refresh() {
        return Response.accepted(new Started(refreshes.startNow())).build();
    }

    @GET
    @Path("/refreshes")
    @Operation(
            summary = "The latest profile refreshes",
            description =
                    "Newest first: those of the schedule (kizuna.rules.profile-refresh-cron), those started on request and"
                            + " those started by a change of segments, activation or health; each with its start and end,"
                            + " accounts swept of those there were at its start, progress, pages failed and, while it runs,"
                            + " when it should finish at its rate so far.")
    @APIResponse(responseCode = "200", description = "The latest refreshes, newest first")
    @APIResponse(responseCode = "400", description = "limit is not between 1 and 500")
    public List<ScheduleRuns.Run> refreshes(@QueryParam("limit") @DefaultValue("20") int limit) {
        return refreshes.latest(limit);
    }
}
