package dev.kizuna.privacy;

import dev.kizuna.audit.AuditLog;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Right to erasure: DELETE /api/users/{id} (admin key). Erasing an unknown or already erased user is harmless. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ErasureResource {

    private final Erasure erasure;
    private final AuditLog audit;

    ErasureResource(Erasure erasure, AuditLog audit) {
        this.erasure = erasure;
        this.audit = audit;
    }

    @DELETE
    @Path("/users/{id}")
    public Erasure.Erased erase(@PathParam("id") String userId) {
        Erasure.Erased erased = erasure.erase(userId);
        audit.record("user.erase", "user " + userId, erased.events() + " events erased, " + erased.messagesRedacted() + " messages redacted");
        return erased;
    }
}
