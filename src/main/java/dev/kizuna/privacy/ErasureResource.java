package dev.kizuna.privacy;

import dev.kizuna.audit.AuditLog;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Right to erasure: DELETE /api/users/{id} (admin key). Erasing an unknown or already erased user is harmless. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Privacy")
public class ErasureResource {

    private final Erasure erasure;
    private final AuditLog audit;

    ErasureResource(Erasure erasure, AuditLog audit) {
        this.erasure = erasure;
        this.audit = audit;
    }

    @DELETE
    @Path("/users/{id}")
    @Operation(
            summary = "Erase a user",
            description =
                    "The user's profile, memberships, counts, raw events and nudges are deleted, their messages lose their "
                            + "content, and a hash of their address is suppressed so it is never mailed again; the evidence of their "
                            + "consents is kept under that hash until its retention ends. Erasing an unknown or already erased user is "
                            + "harmless. The erasure is audited.")
    @APIResponse(responseCode = "200", description = "What was erased: events, messages redacted and the rest")
    public Erasure.Erased erase(@PathParam("id") String userId) {
        Erasure.Erased erased = erasure.erase(userId);
        audit.record(
                "user.erase",
                "user " + userId,
                erased.events() + " events erased, " + erased.messagesRedacted() + " messages redacted");
        return erased;
    }
}
