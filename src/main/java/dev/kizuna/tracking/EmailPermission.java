package dev.kizuna.tracking;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

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

    private static final String SUPPRESSED = "the address is on the suppression list";

    /** Why no email may go to the address (it is on the suppression list); null when it may. */
    public String suppressedReason(String address) {
        return suppressions.isSuppressed(address) ? SUPPRESSED : null;
    }

    /** Why the user gets no email of the category (they unsubscribed from it); null when they do. */
    public String unsubscribedReason(String userId, String category) {
        return subscriptions.isSubscribed(userId, category) ? null : unsubscribed(category);
    }

    private static String unsubscribed(String category) {
        return "the user unsubscribed from '" + category + "' emails";
    }

    /** The same answers for a set of recipients, read with two queries, for a set of decisions made together. */
    public Recipients forRecipients(Collection<String> addresses, Collection<String> userIds) {
        return new Recipients(suppressions.suppressedHashesAmong(addresses), subscriptions.unsubscribedAmong(userIds));
    }

    /** What the recipients of a set of decisions chose, as read before the set. */
    public static final class Recipients {

        private final Set<String> suppressedHashes;
        private final Map<String, Set<String>> unsubscribed;

        private Recipients(Set<String> suppressedHashes, Map<String, Set<String>> unsubscribed) {
            this.suppressedHashes = suppressedHashes;
            this.unsubscribed = unsubscribed;
        }

        public String suppressedReason(String address) {
            return suppressedHashes.contains(SuppressionList.hash(address)) ? SUPPRESSED : null;
        }

        public String unsubscribedReason(String userId, String category) {
            return unsubscribed.getOrDefault(userId, Set.of()).contains(category) ? unsubscribed(category) : null;
        }
    }
}
