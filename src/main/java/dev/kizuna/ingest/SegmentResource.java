package dev.kizuna.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;

/** Segment's HTTP Tracking API: a product's existing Segment library can point at Kizuna unchanged. */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {

    private final IngestPipeline pipeline;
    private final Clock clock;

    SegmentResource(IngestPipeline pipeline, Clock clock) {
        this.pipeline = pipeline;
        this.clock = clock;
    }

    /** Segment's answer to an accepted call. */
    public record Accepted(boolean success) {
        static final Accepted OK = new Accepted(true);
    }

    @POST
    @Path("/identify")
    public Accepted identify(JsonNode body) {
        return accept(CallType.IDENTIFY, body);
    }

    @POST
    @Path("/track")
    public Accepted track(JsonNode body) {
        return accept(CallType.TRACK, body);
    }

    @POST
    @Path("/group")
    public Accepted group(JsonNode body) {
        return accept(CallType.GROUP, body);
    }

    private Accepted accept(CallType type, JsonNode body) {
        pipeline.accept(SegmentParser.parse(type, body, clock.instant()));
        return Accepted.OK;
    }
}
