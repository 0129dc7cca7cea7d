package dev.kizuna.privacy;

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

    ErasureResource(Erasure erasure) {
        this.erasure = erasure;
    }

    @DELETE
    @Path("/users/{id}")
    public Erasure.Erased erase(@PathParam("id") String userId) {
        return erasure.erase(userId);
    }
}
