package dev.kizuna.tracking;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;

/**
 * A user's subscription choice for a category as the product's settings page or support states it
 * through the API. Unsubscribing withdraws a consent to the category; subscribing again does not
 * give one (that takes the wording the user agreed to).
 */
@ApplicationScoped
public class SubscriptionChoices {

    private final Subscriptions subscriptions;
    private final Consents consents;
    private final AuditLog audit;
    private final Clock clock;

    SubscriptionChoices(Subscriptions subscriptions, Consents consents, AuditLog audit, Clock clock) {
        this.subscriptions = subscriptions;
        this.consents = consents;
        this.audit = audit;
        this.clock = clock;
    }

    /** Records the choice ({@code subscribed} null is a 400 naming it); the change is audited. */
    @Transactional(Transactional.TxType.REQUIRED)
    public void choose(String userId, String category, Boolean subscribed) {
        Subscriptions.checkCategory(category);
        if (subscribed == null) {
            throw ProblemException.badField("subscribed", "is required: true or false");
        }
        subscriptions.set(userId, category, subscribed);
        if (!subscribed) {
            consents.withdrawStanding(
                    userId, category, new Consents.Evidence(clock.instant(), "preferences", null, null, null));
        }
        audit.record(
                "preferences.change",
                "user " + userId,
                (subscribed ? "subscribed to " : "unsubscribed from ") + category);
    }
}
