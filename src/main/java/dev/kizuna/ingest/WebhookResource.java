package dev.kizuna.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A generic JSON event endpoint for systems that sign webhooks instead of holding a write key:
 * the body is one Segment call (type "track" unless it says otherwise), the webhook-id is its
 * messageId unless it has one, so a redelivered webhook has no second effect.
 */
@Path("/v1/webhooks/{source}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Segment ingestion")
public class WebhookResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final IngestPipeline pipeline;
    private final WebhooksConfig config;
    private final Clock clock;

    WebhookResource(IngestPipeline pipeline, WebhooksConfig config, Clock clock) {
        this.pipeline = pipeline;
        this.config = config;
        this.clock = clock;
    }

    @POST
    @Operation(
            summary = "Receive a signed webhook as a Segment call",
            description =
                    "For systems that sign their webhooks instead of holding a write key: the body is one Segment call (track "
                            + "unless its type says otherwise), signed the Standard Webhooks way with the source's secret. The "
                            + "webhook-id is its messageId unless it has one, so a redelivered webhook has no second effect. Answered "
                            + "once the call is durably in the log; with ?wait=decided, once it is processed too (202 if that takes "
                            + "longer than the wait).")
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
            description = "The body is not one valid Segment call as a JSON object, or is over 32 KB")
    @APIResponse(
            responseCode = "401",
            description =
                    "A webhook header is missing, the timestamp is too far from now, or the signature does not match")
    @APIResponse(responseCode = "404", description = "No webhook source of this name is configured")
    @APIResponse(responseCode = "413", description = "The body is over Segment's limits")
    @APIResponse(
            responseCode = "503",
            description =
                    "The database is busy or unavailable, or processing is too far behind: nothing was acknowledged; "
                            + "retry after Retry-After")
    public Response receive(
            @PathParam("source") String source,
            @HeaderParam("webhook-id") String id,
            @HeaderParam("webhook-timestamp") String timestamp,
            @HeaderParam("webhook-signature") String signature,
            @QueryParam("wait") String wait,
            byte[] body) {
        IngestPipeline.Wait until = IngestPipeline.Wait.fromQuery(wait);
        WebhooksConfig.Source configured = config.sources().get(source);
        if (configured == null) {
            throw ProblemException.notFound("no webhook source '" + source + "' is configured");
        }
        WebhookSignature.verify(
                configured.secret(), id, timestamp, signature, body, clock.instant(), config.tolerance());
        if (body.length > SegmentParser.MAX_EVENT_BYTES) {
            throw ProblemException.badField("body", "an event may be at most 32 KB");
        }
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (IOException e) {
            throw ProblemException.badField("body", "is not valid JSON");
        }
        if (event == null || !event.isObject()) {
            throw ProblemException.badField("body", "must be a JSON object: one Segment call");
        }
        ObjectNode call = (ObjectNode) event;
        if (!call.hasNonNull("type")) {
            call.put("type", CallType.TRACK.wireName());
        }
        if (!call.hasNonNull("messageId")) {
            call.put("messageId", source + ":" + id);
        }
        ObjectNode batch = JsonNodeFactory.instance.objectNode();
        batch.putArray("batch").add(call);
        byte[] asBatch;
        try {
            asBatch = JSON.writeValueAsBytes(batch);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
        return SegmentResource.Accepted.of(
                pipeline.accept(SegmentParser.parseBatch(asBatch, clock.instant()), until), until);
    }
}
