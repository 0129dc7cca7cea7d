package dev.kizuna.ingest;

import dev.kizuna.problem.QueryParameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** An account's raw events, newest first. */
@Path("/api/accounts/{id}/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {

    private final EventLog events;

    EventsResource(EventLog events) {
        this.events = events;
    }

    public record EventPage(List<EventLog.EventView> items, Long nextBefore) {}

    @GET
    public EventPage list(@PathParam("id") String accountId, @QueryParam("before") String beforeText,
            @QueryParam("limit") String limitText) {
        int limit = QueryParameters.limit(limitText, 50, 500);
        Long before = QueryParameters.id("before", beforeText);
        List<EventLog.EventView> items = events.ofAccount(accountId, before, limit);
        return new EventPage(items, items.size() == limit ? items.get(items.size() - 1).id() : null);
    }
}
