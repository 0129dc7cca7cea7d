package dev.kizuna.tracking;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whether the recipient's own choices let an email through: the address is not on the
 * suppression list, the user has not unsubscribed from its category, and, for a category that
 * needs opt-in, the user's consent to it stands. Asked when a message is decided and again just
 * before it is sent, in the same words both times (a withdrawal of consent unsubscribes).
 */
@ApplicationScoped
public class EmailPermission {

    private final SuppressionList suppressions;
    private final Subscriptions subscriptions;
    private final Consents consents;

    EmailPermission(SuppressionList suppressions, Subscriptions subscriptions, Consents consents) {
        this.suppressions = suppressions;
        this.subscriptions = subscriptions;
        this.consents = consents;
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

    /** Why the user gets no email of an opt-in category (no consent to it stands); null when they do. */
    public String noConsentReason(String userId, String category) {
        return consents.standing(userId, category) ? null : noConsent(category);
    }

    private static String noConsent(String category) {
        return "no consent: '" + category + "' emails need the user's opt-in, and none is on record";
    }

    /**
     * The same answers for a set of recipients, read with two queries, for a set of decisions made
     * together; consents are read with a third when an opt-in email is first asked about.
     */
    public Recipients forRecipients(Collection<String> addresses, Collection<String> userIds) {
        List<String> users = List.copyOf(userIds);
        return new Recipients(
                suppressions.suppressedHashesAmong(addresses),
                subscriptions.unsubscribedAmong(users),
                () -> consents.consentedAmong(users));
    }

    /** What the recipients of a set of decisions chose, as read before the set. */
    public static final class Recipients {

        private final Set<String> suppressedHashes;
        private final Map<String, Set<String>> unsubscribed;
        private final Supplier<Map<String, Set<String>>> readConsents;
        private Map<String, Set<String>> consented;

        private Recipients(
                Set<String> suppressedHashes,
                Map<String, Set<String>> unsubscribed,
                Supplier<Map<String, Set<String>>> readConsents) {
            this.suppressedHashes = suppressedHashes;
            this.unsubscribed = unsubscribed;
            this.readConsents = readConsents;
        }

        public String suppressedReason(String address) {
            return suppressedHashes.contains(SuppressionList.hash(address)) ? SUPPRESSED : null;
        }

        public String unsubscribedReason(String userId, String category) {
            return unsubscribed.getOrDefault(userId, Set.of()).contains(category) ? unsubscribed(category) : null;
        }

        public String noConsentReason(String userId, String category) {
            if (consented == null) {
                consented = readConsents.get();
            }
            return consented.getOrDefault(userId, Set.of()).contains(category) ? null : noConsent(category);
        }
    }
}
