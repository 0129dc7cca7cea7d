package dev.kizuna.tracking;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * A user's subscription choices per category, for a product's own settings page or support.
 * Categories the user never chose for are subscribed.
 */
@Path("/api/users/{userId}/preferences")
@Produces(MediaType.APPLICATION_JSON)
public class PreferencesResource {

    private static final String CATEGORY = "[a-z0-9][a-z0-9_-]{0,63}";

    private final Subscriptions subscriptions;
    private final AuditLog audit;

    PreferencesResource(Subscriptions subscriptions, AuditLog audit) {
        this.audit = audit;
        this.subscriptions = subscriptions;
    }

    public record Preferences(String userId, Map<String, Boolean> categories) {}

    public record Choice(Boolean subscribed) {}

    @GET
    public Preferences get(@PathParam("userId") String userId) {
        return new Preferences(userId, subscriptions.choices(userId));
    }

    @PUT
    @Path("/{category}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Preferences set(@PathParam("userId") String userId, @PathParam("category") String category, Choice choice) {
        if (!category.matches(CATEGORY)) {
            throw ProblemException.badField("category", "must be lower-case letters, digits, '-' or '_', at most 64 characters");
        }
        if (choice == null || choice.subscribed() == null) {
            throw ProblemException.badField("subscribed", "is required: true or false");
        }
        subscriptions.set(userId, category, choice.subscribed());
        audit.record("preferences.change", "user " + userId, (choice.subscribed() ? "subscribed to " : "unsubscribed from ") + category);
        return get(userId);
    }
}
