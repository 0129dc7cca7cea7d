package dev.kizuna.api;

import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.audit.AuditLog;
import dev.kizuna.privacy.Erasure;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.tracking.ConsentStatements;
import dev.kizuna.tracking.Consents;
import dev.kizuna.tracking.SubscriptionChoices;
import dev.kizuna.tracking.Subscriptions;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Everything under /api/users: a user's state, their subscription choices per category, their
 * opt-in consents with the evidence (support records one received another way with PUT), and their
 * erasure (admin key; erasing an unknown or already erased user is harmless).
 *
 * <p>Categories the user never chose for are subscribed. Unsubscribing withdraws a consent to the
 * category; subscribing again does not give one (that takes the wording the user agreed to).
 *
 * <p>It lives in the edge package because one address tree reaches into accounts, tracking and
 * privacy; none of those packages may depend on another edge, and an edge may depend on them all.
 * What is kept of erased users' consents is found by address, not under a user: it is in {@link
 * ConsentsResource}.
 */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    private final AccountSnapshots snapshots;
    private final Subscriptions subscriptions;
    private final SubscriptionChoices choices;
    private final Consents consents;
    private final ConsentStatements statements;
    private final Erasure erasure;
    private final AuditLog audit;

    UsersResource(
            AccountSnapshots snapshots,
            Subscriptions subscriptions,
            SubscriptionChoices choices,
            Consents consents,
            ConsentStatements statements,
            Erasure erasure,
            AuditLog audit) {
        this.snapshots = snapshots;
        this.subscriptions = subscriptions;
        this.choices = choices;
        this.consents = consents;
        this.statements = statements;
        this.erasure = erasure;
        this.audit = audit;
    }

    public record Preferences(String userId, Map<String, Boolean> categories) {}

    public record Choice(Boolean subscribed) {}

    /** What stands per category (the latest record), and the whole evidence, oldest first per category. */
    public record UserConsents(
            String userId, Map<String, Consents.ConsentRecord> categories, List<Consents.ConsentRecord> evidence) {}

    @GET
    @Path("/{id}")
    @Operation(summary = "A user's state", description = "The user's profile and the accounts they are a member of.")
    @APIResponse(responseCode = "200", description = "The user's state")
    @APIResponse(responseCode = "404", description = "No user with this id")
    @Tag(name = "Users")
    public UserSnapshot user(@PathParam("id") String id) {
        return snapshots.user(id).orElseThrow(() -> ProblemException.notFound("no user with id '" + id + "'"));
    }

    @GET
    @Path("/{userId}/preferences")
    @Tag(name = "Preferences and consents")
    @Operation(
            summary = "A user's subscription choices",
            description = "Per category, whether the user is subscribed; a category without an entry is subscribed.")
    @APIResponse(responseCode = "200", description = "The user's choices per category")
    public Preferences preferences(@PathParam("userId") String userId) {
        return new Preferences(userId, subscriptions.choices(userId));
    }

    @PUT
    @Path("/{userId}/preferences/{category}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "Preferences and consents")
    @Operation(
            summary = "Subscribe or unsubscribe a user from a category",
            description =
                    "Records the user's choice for the category, e.g. from the product's settings page. Unsubscribing also "
                            + "withdraws a consent on record for the category. The change is audited.")
    @APIResponse(responseCode = "200", description = "The user's choices after the change")
    @APIResponse(
            responseCode = "400",
            description = "The category is not lower-case letters, digits, - or _, or subscribed is missing")
    public Preferences choose(
            @PathParam("userId") String userId, @PathParam("category") String category, Choice choice) {
        choices.choose(userId, category, choice == null ? null : choice.subscribed());
        return preferences(userId);
    }

    @GET
    @Path("/{userId}/consents")
    @Tag(name = "Preferences and consents")
    @Operation(
            summary = "A user's opt-in consents",
            description =
                    "What stands per category (the latest record) and every consent given or withdrawn with its evidence, "
                            + "oldest first per category.")
    @APIResponse(responseCode = "200", description = "The user's consents and their evidence")
    public UserConsents consents(@PathParam("userId") String userId) {
        return new UserConsents(userId, consents.latest(userId), consents.evidence(userId));
    }

    @PUT
    @Path("/{userId}/consents/{category}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "Preferences and consents")
    @Operation(
            summary = "Record a consent or its withdrawal",
            description =
                    "given: true with the wording or formId the user saw records a consent; given: false records its "
                            + "withdrawal. at defaults to now and source to api. The change is audited.")
    @APIResponse(responseCode = "200", description = "The user's consents after the change")
    @APIResponse(
            responseCode = "400",
            description =
                    "given is missing, a consent without wording or formId, a text over its length, or at not an instant in the past")
    public UserConsents state(
            @PathParam("userId") String userId,
            @PathParam("category") String category,
            ConsentStatements.Statement statement) {
        statements.record(userId, category, statement);
        return consents(userId);
    }

    @DELETE
    @Path("/{id}")
    @Tag(name = "Privacy")
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
