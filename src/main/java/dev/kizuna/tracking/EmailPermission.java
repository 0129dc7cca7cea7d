package dev.kizuna.tracking;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether the recipient's own choices let an email through: the address is not on the
 * suppression list and the user has not unsubscribed from its category. Asked when a message is
 * decided and again just before it is sent, in the same words both times.
 */
@ApplicationScoped
public class EmailPermission {

    private final SuppressionList suppressions;
    private final Subscriptions subscriptions;

    EmailPermission(SuppressionList suppressions, Subscriptions subscriptions) {
        this.suppressions = suppressions;
        this.subscriptions = subscriptions;
    }

    /** Why no email may go to the address (it is on the suppression list); null when it may. */
    public String suppressedReason(String address) {
        return suppressions.isSuppressed(address) ? "the address is on the suppression list" : null;
    }

    /** Why the user gets no email of the category (they unsubscribed from it); null when they do. */
    public String unsubscribedReason(String userId, String category) {
        return subscriptions.isSubscribed(userId, category) ? null : "the user unsubscribed from '" + category + "' emails";
    }
}
