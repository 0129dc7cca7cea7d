package dev.kizuna.ingest;

import dev.kizuna.problem.QueryParameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** An account's raw events, newest first. */
@Path("/api/accounts/{id}/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
public class EventsResource {

    private final EventLog events;

    EventsResource(EventLog events) {
        this.events = events;
    }

    public record EventPage(List<EventLog.EventView> items, Long nextBefore) {}

    @GET
    @Operation(
            summary = "An account's raw events",
            description =
                    "The events sent for the account, newest first; a page of limit (50, at most 500) before the previous "
                            + "page's nextBefore.")
    @APIResponse(responseCode = "200", description = "A page of events and the nextBefore of the next page")
    @APIResponse(
            responseCode = "400",
            description = "limit is not a whole number from 1 to 500, or before is not an event id")
    public EventPage list(
            @PathParam("id") String accountId,
            @QueryParam("before") String beforeText,
            @QueryParam("limit") String limitText) {
        int limit = QueryParameters.limit(limitText, 50, 500);
        Long before = QueryParameters.id("before", beforeText);
        List<EventLog.EventView> items = events.ofAccount(accountId, before, limit);
        return new EventPage(
                items, items.size() == limit ? items.get(items.size() - 1).id() : null);
    }
}
