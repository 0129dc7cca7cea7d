package dev.kizuna.api;

import dev.kizuna.problem.ProblemException;
import dev.kizuna.tracking.Consents;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Everything under /api/consents: what is kept of the consents of erased users, found by the
 * email address they had.
 *
 * <p>A class of its own rather than part of {@link UsersResource}: its tree is not under a user (the
 * user is gone, only the address's hash is left), it takes an admin key where a user's consents
 * take a CSM's, and keeping one class per address tree lets each class say its tree in one path.
 */
@Path("/api/consents")
@Produces(MediaType.APPLICATION_JSON)
public class ConsentsResource {

    private final Consents consents;

    ConsentsResource(Consents consents) {
        this.consents = consents;
    }

    /** What is kept of the consents of erased users who had this address: the categories and dates. */
    public record ErasedConsents(List<Consents.ErasedRecord> evidence) {}

    @GET
    @Path("/erased")
    @Tag(name = "Privacy")
    @Operation(
            summary = "Consents kept of erased users",
            description =
                    "What is kept of the consents of erased users who had this address: the categories and dates, found by the "
                            + "address's hash.")
    @APIResponse(responseCode = "200", description = "The kept evidence")
    @APIResponse(responseCode = "400", description = "address is missing")
    public ErasedConsents erased(@QueryParam("address") String address) {
        if (address == null || address.isBlank()) {
            throw ProblemException.badField("address", "is required: the email address whose erased consents to show");
        }
        return new ErasedConsents(consents.erasedEvidence(address));
    }
}
