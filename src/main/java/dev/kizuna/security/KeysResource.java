package dev.kizuna.security;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.problem.QueryParameters;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** API keys, for admins: the secret of a new key is in the answer to its creation and nowhere else. */
@Path("/api/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {

    private final ApiKeys keys;
    private final AuditLog audit;

    KeysResource(ApiKeys keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    public record NewKey(String name, String role) {}

    public record KeyList(List<ApiKeys.KeyView> keys) {}

    @GET
    public KeyList list() {
        return new KeyList(keys.list());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewKey request) {
        if (request == null) {
            throw ProblemException.badField("body", "a JSON object with name and role is required");
        }
        Role role = Role.ofWireName(request.role());
        if (role == null) {
            throw ProblemException.badField("role", "must be one of write, csm, marketer, admin");
        }
        ApiKeys.CreatedKey created = keys.create(role, request.name());
        audit.record("key.create", "key " + created.id(), created.role() + " key '" + created.name() + "'");
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @DELETE
    @Path("/{id}")
    public ApiKeys.KeyView revoke(@PathParam("id") String idText) {
        long id = QueryParameters.id("id", idText);
        ApiKeys.KeyView revoked = keys.revoke(id);
        audit.record("key.revoke", "key " + id, revoked.role() + " key '" + revoked.name() + "'");
        return revoked;
    }
}
