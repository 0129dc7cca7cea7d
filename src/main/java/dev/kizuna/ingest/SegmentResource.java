package dev.kizuna.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kizuna.problem.ProblemException;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Segment's HTTP Tracking API: a product's existing Segment or RudderStack library can point at
 * Kizuna unchanged. Bodies are read as bytes, whatever the content type (browsers send text/plain),
 * so that Segment's size limits are checked before any parsing. A call is answered once it is
 * durably in the log; {@code ?wait=decided} answers once it is processed too.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Segment ingestion")
@APIResponse(
        responseCode = "200",
        description = SegmentResource.ACKNOWLEDGED,
        content =
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = SegmentResource.Accepted.class)))
@APIResponse(
        responseCode = "202",
        description = SegmentResource.NOT_YET_DECIDED,
        content =
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = SegmentResource.Accepted.class)))
@APIResponse(
        responseCode = "400",
        description =
                "The body is not a valid Segment call (detail and errors name the field and line), or wait is neither decided "
                        + "nor acknowledged")
@APIResponse(
        responseCode = "413",
        description = "The body is over Segment's limits (32 KB an event, 500 KB a batch), also once decompressed")
@APIResponse(responseCode = "415", description = "A Content-Encoding other than gzip or deflate")
@APIResponse(
        responseCode = "503",
        description =
                "The database is busy or unavailable, or processing is too far behind: nothing was acknowledged; retry after "
                        + "Retry-After")
public class SegmentResource {

    /** The answers to an accepted call, as the OpenAPI document describes them here and for signed webhooks. */
    static final String ACKNOWLEDGED = "Acknowledged: {\"success\": true}, with decided: true under ?wait=decided";

    static final String NOT_YET_DECIDED =
            "Under ?wait=decided: acknowledged, but not processed within the wait; it will be (decided: false)";

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
            return Response.status(acknowledged.decided() ? 200 : 202)
                    .entity(new Accepted(true, acknowledged.decided()))
                    .build();
        }
    }

    @POST
    @Path("/identify")
    @Operation(
            summary = "Send a Segment identify call",
            description =
                    "Who a user is: their traits (email, name, locale, time zone...). Answered once the call is durably in the "
                            + "log; with ?wait=decided, once it is processed too (202 if that takes longer than the wait). The write key "
                            + "is the HTTP Basic user name or the body's writeKey.")
    public Response identify(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("wait") String wait,
            byte[] body) {
        return acceptOne(CallType.IDENTIFY, authorization, wait, body);
    }

    @POST
    @Path("/track")
    @Operation(
            summary = "Send a Segment track call",
            description = "Something a user did: an event with its properties, for a user and optionally their account "
                    + "(context.groupId). Answered once the call is durably in the log; with ?wait=decided, once it is processed "
                    + "too (202 if that takes longer than the wait). The write key is the HTTP Basic user name or the body's "
                    + "writeKey.")
    public Response track(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("wait") String wait,
            byte[] body) {
        return acceptOne(CallType.TRACK, authorization, wait, body);
    }

    @POST
    @Path("/group")
    @Operation(
            summary = "Send a Segment group call",
            description =
                    "Which account a user belongs to, and the account's traits (plan, revenue, owner...). Answered once the "
                            + "call is durably in the log; with ?wait=decided, once it is processed too (202 if that takes longer than "
                            + "the wait). The write key is the HTTP Basic user name or the body's writeKey.")
    public Response group(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("wait") String wait,
            byte[] body) {
        return acceptOne(CallType.GROUP, authorization, wait, body);
    }

    @POST
    @Path("/page")
    @Operation(
            summary = "Send a Segment page call",
            description =
                    "A page the user viewed, recorded as an event. Answered once the call is durably in the log; with "
                            + "?wait=decided, once it is processed too (202 if that takes longer than the wait). The write key is the "
                            + "HTTP Basic user name or the body's writeKey.")
    public Response page(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("wait") String wait,
            byte[] body) {
        return acceptOne(CallType.PAGE, authorization, wait, body);
    }

    @POST
    @Path("/screen")
    @Operation(
            summary = "Send a Segment screen call",
            description =
                    "A screen of a mobile app the user viewed, recorded as an event. Answered once the call is durably in the "
                            + "log; with ?wait=decided, once it is processed too (202 if that takes longer than the wait). The write key "
                            + "is the HTTP Basic user name or the body's writeKey.")
    public Response screen(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("wait") String wait,
            byte[] body) {
        return acceptOne(CallType.SCREEN, authorization, wait, body);
    }

    @POST
    @Path("/alias")
    @Operation(
            summary = "Send a Segment alias call",
            description =
                    "Another id for a user already known, so that both ids are one user. Answered once the call is durably in "
                            + "the log; with ?wait=decided, once it is processed too (202 if that takes longer than the wait). The write "
                            + "key is the HTTP Basic user name or the body's writeKey.")
    public Response alias(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("wait") String wait,
            byte[] body) {
        return acceptOne(CallType.ALIAS, authorization, wait, body);
    }

    @POST
    @Path("/batch")
    @Operation(
            summary = "Send a batch of Segment calls",
            description =
                    "Several calls of any type in one body ({\"batch\": [...]}), as Segment's libraries send them. Answered once "
                            + "the call is durably in the log; with ?wait=decided, once it is processed too (202 if that takes longer "
                            + "than the wait). The write key is the HTTP Basic user name or the body's writeKey.")
    public Response batch(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("wait") String wait,
            byte[] body) {
        IngestPipeline.Wait until = IngestPipeline.Wait.fromQuery(wait);
        authorize(authorization, body);
        return Accepted.of(
                pipeline.accept(counted(() -> SegmentParser.parseBatch(body, clock.instant())), until), until);
    }

    private Response acceptOne(CallType type, String authorization, String wait, byte[] body) {
        IngestPipeline.Wait until = IngestPipeline.Wait.fromQuery(wait);
        authorize(authorization, body);
        return Accepted.of(
                pipeline.accept(counted(() -> List.of(SegmentParser.parseOne(type, body, clock.instant()))), until),
                until);
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
