package dev.kizuna.ingest;

import dev.kizuna.security.ApiKeys;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;

/**
 * Segment's HTTP Tracking API: a product's existing Segment or RudderStack library can point at
 * Kizuna unchanged. Bodies are read as bytes, whatever the content type (browsers send text/plain),
 * so that Segment's size limits are checked before any parsing.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {

    private final IngestPipeline pipeline;
    private final ApiKeys keys;
    private final Clock clock;

    SegmentResource(IngestPipeline pipeline, ApiKeys keys, Clock clock) {
        this.pipeline = pipeline;
        this.keys = keys;
        this.clock = clock;
    }

    /** Segment's answer to an accepted call. */
    public record Accepted(boolean success) {
        static final Accepted OK = new Accepted(true);
    }

    @POST
    @Path("/identify")
    public Accepted identify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return acceptOne(CallType.IDENTIFY, authorization, body);
    }

    @POST
    @Path("/track")
    public Accepted track(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return acceptOne(CallType.TRACK, authorization, body);
    }

    @POST
    @Path("/group")
    public Accepted group(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return acceptOne(CallType.GROUP, authorization, body);
    }

    @POST
    @Path("/page")
    public Accepted page(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return acceptOne(CallType.PAGE, authorization, body);
    }

    @POST
    @Path("/screen")
    public Accepted screen(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return acceptOne(CallType.SCREEN, authorization, body);
    }

    @POST
    @Path("/alias")
    public Accepted alias(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return acceptOne(CallType.ALIAS, authorization, body);
    }

    @POST
    @Path("/batch")
    public Accepted batch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        authorize(authorization, body);
        pipeline.accept(SegmentParser.parseBatch(body, clock.instant()));
        return Accepted.OK;
    }

    private Accepted acceptOne(CallType type, String authorization, byte[] body) {
        authorize(authorization, body);
        pipeline.accept(java.util.List.of(SegmentParser.parseOne(type, body, clock.instant())));
        return Accepted.OK;
    }

    /** Without an Authorization header (checked by the access filter), the body's writeKey must be a write key. */
    private void authorize(String authorization, byte[] body) {
        if (authorization == null) {
            keys.requireWriteKey(SegmentParser.writeKeyIn(body));
        }
    }
}
