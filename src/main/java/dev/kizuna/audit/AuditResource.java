package dev.kizuna.audit;

import dev.kizuna.problem.QueryParameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {

    private final AuditLog log;

    AuditResource(AuditLog log) {
        this.log = log;
    }

    public record AuditPage(List<AuditLog.Entry> items, Long nextBefore) {}

    @GET
    @Operation(
            summary = "The audit log",
            description =
                    "Administrative actions (keys, reloads, test sends, erasures, preference and consent changes...), newest "
                            + "first, each with who did it and when; a page of limit (50, at most 500) before the previous page's "
                            + "nextBefore.")
    @APIResponse(responseCode = "200", description = "A page of audit entries and the nextBefore of the next page")
    @APIResponse(
            responseCode = "400",
            description = "limit is not a whole number from 1 to 500, or before is not an id")
    public AuditPage list(@QueryParam("limit") String limitText, @QueryParam("before") String beforeText) {
        int limit = QueryParameters.limit(limitText, 50, 500);
        List<AuditLog.Entry> items = log.newest(limit, QueryParameters.id("before", beforeText));
        return new AuditPage(
                items, items.size() == limit ? items.get(items.size() - 1).id() : null);
    }
}
