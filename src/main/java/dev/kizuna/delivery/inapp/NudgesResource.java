package dev.kizuna.delivery.inapp;

import dev.kizuna.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The nudge API a product calls with its write key; /v1/nudges.js uses it from the browser. */
@Path("/v1/nudges")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Nudges")
public class NudgesResource {

    /** Often enough that proxies and load balancers do not close a quiet stream as idle. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final NudgeInbox inbox;
    private final NudgeStreams streams;

    NudgesResource(NudgeInbox inbox, NudgeStreams streams) {
        this.inbox = inbox;
        this.streams = streams;
    }

    public record NudgeList(List<NudgeView> nudges) {}

    /** The user's pending nudges that have not expired, oldest first. */
    @GET
    @Operation(
            summary = "A user's pending nudges",
            description = "The nudges waiting for the user that have not expired, oldest first.")
    @APIResponse(responseCode = "200", description = "The pending nudges")
    @APIResponse(responseCode = "400", description = "userId is missing")
    public NudgeList pending(@QueryParam("userId") String userId) {
        return new NudgeList(inbox.pending(required(userId)));
    }

    /**
     * Server-sent events: an event named "nudge" (id: the nudge's id, data: the nudge as in the
     * list) for each pending nudge on connect and each new one after, and a comment as heartbeat.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(
            summary = "Follow a user's nudges as they come",
            description =
                    "Server-sent events: an event named nudge (id: the nudge's id, data: the nudge as in the list) for each "
                            + "pending nudge on connect and for each new one after, and a heartbeat comment every 15 seconds.")
    @APIResponse(responseCode = "200", description = "A stream of server-sent events")
    @APIResponse(responseCode = "400", description = "userId is missing")
    public Multi<OutboundSseEvent> stream(@QueryParam("userId") String userId, @Context Sse sse) {
        Multi<OutboundSseEvent> nudges = streams.follow(required(userId))
                .map(nudge -> sse.newEventBuilder()
                        .id(String.valueOf(nudge.id()))
                        .name("nudge")
                        .data(NudgeView.class, nudge)
                        .build());
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom()
                .ticks()
                .every(HEARTBEAT)
                .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
        return Multi.createBy().merging().streams(nudges, heartbeats);
    }

    @POST
    @Path("/{id}/seen")
    @Operation(
            summary = "Mark a nudge seen",
            description = "Records that the user saw the nudge; it shows in the message's timeline.")
    @APIResponse(responseCode = "200", description = "The nudge as it now stands")
    @APIResponse(responseCode = "400", description = "The id is not a whole number")
    @APIResponse(responseCode = "404", description = "No nudge with this id")
    @APIResponse(responseCode = "409", description = "The nudge was already clicked or dismissed")
    public NudgeView seen(@PathParam("id") String id) {
        return inbox.act(nudgeId(id), NudgeAction.SEEN);
    }

    @POST
    @Path("/{id}/clicked")
    @Operation(
            summary = "Mark a nudge clicked",
            description = "Records that the user followed the nudge's action; it shows in the message's timeline.")
    @APIResponse(responseCode = "200", description = "The nudge as it now stands")
    @APIResponse(responseCode = "400", description = "The id is not a whole number")
    @APIResponse(responseCode = "404", description = "No nudge with this id")
    @APIResponse(responseCode = "409", description = "The nudge was already clicked or dismissed")
    public NudgeView clicked(@PathParam("id") String id) {
        return inbox.act(nudgeId(id), NudgeAction.CLICKED);
    }

    @POST
    @Path("/{id}/dismissed")
    @Operation(
            summary = "Dismiss a nudge",
            description = "Records that the user dismissed the nudge; it is no longer pending.")
    @APIResponse(responseCode = "200", description = "The nudge as it now stands")
    @APIResponse(responseCode = "400", description = "The id is not a whole number")
    @APIResponse(responseCode = "404", description = "No nudge with this id")
    @APIResponse(responseCode = "409", description = "The nudge was already clicked or dismissed")
    public NudgeView dismissed(@PathParam("id") String id) {
        return inbox.act(nudgeId(id), NudgeAction.DISMISSED);
    }

    private static String required(String userId) {
        if (userId == null || userId.isBlank()) {
            throw ProblemException.badField("userId", "query parameter is required");
        }
        return userId;
    }

    /** Read as text, so that "abc" is a 400 that names the id rather than a bare 404. */
    private static long nudgeId(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException notAWholeNumber) {
            throw ProblemException.badField("id", "must be a nudge id (a whole number), was '" + text + "'");
        }
    }
}
