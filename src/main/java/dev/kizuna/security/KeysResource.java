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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** API keys, for admins: the secret of a new key is in the answer to its creation and nowhere else. */
@Path("/api/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Keys")
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
    @Operation(
            summary = "List the API keys",
            description = "Every key by id with its name, role, creation and revocation time; never the secret.")
    @APIResponse(responseCode = "200", description = "The keys")
    public KeyList list() {
        return new KeyList(keys.list());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Create an API key",
            description =
                    "A key with a name and a role (write, csm, marketer or admin). The secret is answered only now; Kizuna "
                            + "keeps only its hash. The creation is audited.")
    @APIResponse(
            responseCode = "201",
            description = "The key with its secret",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiKeys.CreatedKey.class)))
    @APIResponse(
            responseCode = "400",
            description =
                    "The body is missing, the role is not one of the four, or the name is blank or over 100 characters")
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
    @Operation(
            summary = "Revoke an API key",
            description =
                    "The key stops working at once on this instance and within the key cache time on the others. Revoking a "
                            + "revoked key is harmless. The revocation is audited.")
    @APIResponse(responseCode = "200", description = "The key as it now stands")
    @APIResponse(responseCode = "400", description = "The id is not a whole number")
    @APIResponse(responseCode = "404", description = "No key with this id")
    public ApiKeys.KeyView revoke(@PathParam("id") String idText) {
        long id = QueryParameters.id("id", idText);
        ApiKeys.KeyView revoked = keys.revoke(id);
        audit.record("key.revoke", "key " + id, revoked.role() + " key '" + revoked.name() + "'");
        return revoked;
    }
}
