package dev.kizuna.ingest;

import dev.kizuna.problem.ProblemException;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kizuna.security.ApiKeys;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * Segment's HTTP Tracking API: a product's existing Segment or RudderStack library can point at
 * Kizuna unchanged. Bodies are read as bytes, whatever the content type (browsers send text/plain),
 * so that Segment's size limits are checked before any parsing. A call is answered once it is
 * durably in the log; {@code ?wait=decided} answers once it is processed too.
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

    /**
     * Segment's answer to an accepted call. With ?wait=decided, {@code decided} says whether the
     * calls were processed before the answer (false, with status 202, when that took longer than
     * kizuna.ingest.wait-timeout: they are acknowledged and will be processed).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(boolean success, Boolean decided) {

        /** 200 once acknowledged; with ?wait=decided, 202 if processing did not finish within the wait. */
        static Response of(IngestPipeline.Acknowledged acknowledged, IngestPipeline.Wait wait) {
            if (wait == IngestPipeline.Wait.ACKNOWLEDGED) {
                return Response.ok(new Accepted(true, null)).build();
            }
            return Response.status(acknowledged.decided() ? 200 : 202).entity(new Accepted(true, acknowledged.decided())).build();
        }
    }

    @POST
    @Path("/identify")
    public Response identify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("wait") String wait, byte[] body) {
        return acceptOne(CallType.IDENTIFY, authorization, wait, body);
    }

    @POST
    @Path("/track")
    public Response track(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("wait") String wait, byte[] body) {
        return acceptOne(CallType.TRACK, authorization, wait, body);
    }

    @POST
    @Path("/group")
    public Response group(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("wait") String wait, byte[] body) {
        return acceptOne(CallType.GROUP, authorization, wait, body);
    }

    @POST
    @Path("/page")
    public Response page(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("wait") String wait, byte[] body) {
        return acceptOne(CallType.PAGE, authorization, wait, body);
    }

    @POST
    @Path("/screen")
    public Response screen(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("wait") String wait, byte[] body) {
        return acceptOne(CallType.SCREEN, authorization, wait, body);
    }

    @POST
    @Path("/alias")
    public Response alias(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("wait") String wait, byte[] body) {
        return acceptOne(CallType.ALIAS, authorization, wait, body);
    }

    @POST
    @Path("/batch")
    public Response batch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("wait") String wait, byte[] body) {
        IngestPipeline.Wait until = IngestPipeline.Wait.fromQuery(wait);
        authorize(authorization, body);
        return Accepted.of(pipeline.accept(counted(() -> SegmentParser.parseBatch(body, clock.instant())), until), until);
    }

    private Response acceptOne(CallType type, String authorization, String wait, byte[] body) {
        IngestPipeline.Wait until = IngestPipeline.Wait.fromQuery(wait);
        authorize(authorization, body);
        return Accepted.of(pipeline.accept(counted(() -> List.of(SegmentParser.parseOne(type, body, clock.instant()))), until), until);
    }

    /** The calls parsed; a request whose calls are refused counts as rejected in the metrics. */
    private static List<SegmentCall> counted(Supplier<List<SegmentCall>> parse) {
        try {
            return parse.get();
        } catch (ProblemException invalid) {
            IngestPipeline.rejected();
            throw invalid;
        }
    }

    /** Without an Authorization header (checked by the access filter), the body's writeKey must be a write key. */
    private void authorize(String authorization, byte[] body) {
        if (authorization == null) {
            keys.requireWriteKey(SegmentParser.writeKeyIn(body));
        }
    }
}
