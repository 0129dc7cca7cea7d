package dev.kizuna.tracking;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.problem.ProblemException;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A user's subscription choices per category, for a product's own settings page or support.
 * Categories the user never chose for are subscribed. Unsubscribing withdraws a consent to the
 * category; subscribing again does not give one (that takes the wording the user agreed to).
 */
@Path("/api/users/{userId}/preferences")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Preferences and consents")
public class PreferencesResource {

    private final Subscriptions subscriptions;
    private final Consents consents;
    private final AuditLog audit;
    private final Clock clock;

    PreferencesResource(Subscriptions subscriptions, Consents consents, AuditLog audit, Clock clock) {
        this.audit = audit;
        this.subscriptions = subscriptions;
        this.consents = consents;
        this.clock = clock;
    }

    public record Preferences(String userId, Map<String, Boolean> categories) {}

    public record Choice(Boolean subscribed) {}

    @GET
    @Operation(
            summary = "A user's subscription choices",
            description = "Per category, whether the user is subscribed; a category without an entry is subscribed.")
    @APIResponse(responseCode = "200", description = "The user's choices per category")
    public Preferences get(@PathParam("userId") String userId) {
        return new Preferences(userId, subscriptions.choices(userId));
    }

    @PUT
    @Path("/{category}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(
            summary = "Subscribe or unsubscribe a user from a category",
            description =
                    "Records the user's choice for the category, e.g. from the product's settings page. Unsubscribing also "
                            + "withdraws a consent on record for the category. The change is audited.")
    @APIResponse(responseCode = "200", description = "The user's choices after the change")
    @APIResponse(
            responseCode = "400",
            description = "The category is not lower-case letters, digits, - or _, or subscribed is missing")
    public Preferences set(@PathParam("userId") String userId, @PathParam("category") String category, Choice choice) {
        Subscriptions.checkCategory(category);
        if (choice == null || choice.subscribed() == null) {
            throw ProblemException.badField("subscribed", "is required: true or false");
        }
        subscriptions.set(userId, category, choice.subscribed());
        if (!choice.subscribed()) {
            consents.withdrawStanding(
                    userId, category, new Consents.Evidence(clock.instant(), "preferences", null, null, null));
        }
        audit.record(
                "preferences.change",
                "user " + userId,
                (choice.subscribed() ? "subscribed to " : "unsubscribed from ") + category);
        return get(userId);
    }
}
