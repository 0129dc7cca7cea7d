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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A user's opt-in consents with their evidence: what stands per category, and every consent
 * given or withdrawn. Support records one received another way (a signed form, a call) with PUT.
 * After erasure, what is kept is found by the address.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ConsentResource {

    /** A consent dated later than this ahead of the server's clock is a mistake, not a plan. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final Consents consents;
    private final AuditLog audit;
    private final Clock clock;

    ConsentResource(Consents consents, AuditLog audit, Clock clock) {
        this.consents = consents;
        this.audit = audit;
        this.clock = clock;
    }

    /** What stands per category (the latest record), and the whole evidence, oldest first per category. */
    public record UserConsents(
            String userId, Map<String, Consents.ConsentRecord> categories, List<Consents.ConsentRecord> evidence) {}

    /** A consent given (with the wording or form the user saw) or withdrawn; {@code at} defaults to now, {@code source} to "api". */
    public record Statement(Boolean given, String wording, String formId, String source, String at) {}

    /** What is kept of the consents of erased users who had this address: the categories and dates. */
    public record ErasedConsents(List<Consents.ErasedRecord> evidence) {}

    @GET
    @Path("/users/{userId}/consents")
    @Tag(name = "Preferences and consents")
    @Operation(
            summary = "A user's opt-in consents",
            description =
                    "What stands per category (the latest record) and every consent given or withdrawn with its evidence, "
                            + "oldest first per category.")
    @APIResponse(responseCode = "200", description = "The user's consents and their evidence")
    public UserConsents get(@PathParam("userId") String userId) {
        return new UserConsents(userId, consents.latest(userId), consents.evidence(userId));
    }

    @PUT
    @Path("/users/{userId}/consents/{category}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
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
    public UserConsents set(
            @PathParam("userId") String userId, @PathParam("category") String category, Statement statement) {
        Subscriptions.checkCategory(category);
        if (statement == null || statement.given() == null) {
            throw ProblemException.badField(
                    "given", "is required: true to record a consent, false to record its withdrawal");
        }
        Consents.Evidence evidence = evidence(
                statement.given(),
                statement.wording(),
                statement.formId(),
                statement.source() == null ? "api" : statement.source(),
                at(statement.at()),
                null);
        if (statement.given()) {
            consents.give(userId, category, evidence);
        } else {
            consents.withdraw(userId, category, evidence);
        }
        audit.record(
                statement.given() ? "consent.give" : "consent.withdraw",
                "user " + userId,
                category + " (" + evidence.source() + ")");
        return get(userId);
    }

    @GET
    @Path("/consents/erased")
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

    /**
     * Evidence checked as the API and the consent events both need it: a consent says what the
     * user agreed to (its wording or the form's id); texts fit their columns. Names the field at fault.
     */
    private static Consents.Evidence evidence(
            boolean given, String wording, String formId, String source, Instant at, String eventId) {
        if (given && blank(wording) && blank(formId)) {
            throw ProblemException.badField(
                    "wording",
                    "a consent needs the wording the user agreed to, or the id of the form that showed it "
                            + "(formId)");
        }
        check("wording", wording, Consents.MAX_WORDING);
        check("formId", formId, Consents.MAX_FORM_ID);
        check("source", source, Consents.MAX_SOURCE);
        if (blank(source)) {
            throw ProblemException.badField("source", "must not be blank");
        }
        return new Consents.Evidence(
                at, source, blank(wording) ? null : wording, blank(formId) ? null : formId, eventId);
    }

    private Instant at(String text) {
        Instant now = clock.instant();
        if (text == null) {
            return now;
        }
        Instant at;
        try {
            at = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ProblemException.badField("at", "must be an ISO-8601 instant such as 2026-04-01T09:30:00Z");
        }
        if (at.isAfter(now.plus(CLOCK_SKEW))) {
            throw ProblemException.badField("at", "is in the future; record a consent when it is given");
        }
        return at;
    }

    private static void check(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw ProblemException.badField(field, "must be at most " + maxLength + " characters");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
