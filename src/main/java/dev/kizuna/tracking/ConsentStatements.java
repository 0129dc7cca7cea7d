package dev.kizuna.tracking;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A consent or its withdrawal as support states it through the API (one received another way: a
 * signed form, a call): checked field by field, recorded with its evidence, and audited. Bad input
 * is a 400 naming the field at fault.
 */
@ApplicationScoped
public class ConsentStatements {

    /** A consent dated later than this ahead of the server's clock is a mistake, not a plan. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** A consent given (with the wording or form the user saw) or withdrawn; {@code at} defaults to now, {@code source} to "api". */
    public record Statement(Boolean given, String wording, String formId, String source, String at) {}

    private final Consents consents;
    private final AuditLog audit;
    private final Clock clock;

    ConsentStatements(Consents consents, AuditLog audit, Clock clock) {
        this.consents = consents;
        this.audit = audit;
        this.clock = clock;
    }

    /** Records the statement for the user and category; the change is audited. */
    @Transactional(Transactional.TxType.REQUIRED)
    public void record(String userId, String category, Statement statement) {
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
    }

    /**
     * Evidence as a statement to the API gives it: a consent says what the user agreed to (its
     * wording or the form's id); texts fit their columns (the same limits as the consent events'
     * {@link ConsentEvent}). Names the field at fault.
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

    /** When the statement says it happened: now when it does not say, and never in the future. */
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
