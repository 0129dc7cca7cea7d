package dev.kizuna.audit;

import dev.kizuna.problem.QueryParameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditLog log;

    AuditResource(AuditLog log) {
        this.log = log;
    }

    public record AuditPage(List<AuditLog.Entry> items, Long nextBefore) {}

    @GET
    public AuditPage list(@QueryParam("limit") String limitText, @QueryParam("before") String beforeText) {
        int limit = QueryParameters.limit(limitText, 50, 500);
        List<AuditLog.Entry> items = log.newest(limit, QueryParameters.id("before", beforeText));
        return new AuditPage(items, items.size() == limit ? items.get(items.size() - 1).id() : null);
    }
}
