package dev.kizuna.templates;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.messages.Channel;
import dev.kizuna.segments.ProfileCatalog;
import dev.kizuna.tracking.Subscriptions;
import dev.kizuna.tracking.SuppressionList;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * How a template reaches a recipient, the same for a decided message and for a preview: in which
 * locale, looking for variants in which segments, from which sender, under which subscription
 * category; and whether the address and the category let an email through, when it is decided
 * and again just before it is sent. Frequency caps and quiet hours are the decision's own policy.
 */
@ApplicationScoped
public class DeliveryPolicy {

    private final TemplateCatalog templates;
    private final ProfileCatalog profiles;
    private final SuppressionList suppressions;
    private final Subscriptions subscriptions;

    DeliveryPolicy(TemplateCatalog templates, ProfileCatalog profiles, SuppressionList suppressions, Subscriptions subscriptions) {
        this.templates = templates;
        this.profiles = profiles;
        this.suppressions = suppressions;
        this.subscriptions = subscriptions;
    }

    /** The locale to write to a recipient in: the user's, else the account's; null for the default. */
    public String locale(AccountSnapshot account, UserSnapshot user) {
        return TemplateModel.localeOf(account, user);
    }

    /** The account's segments in segments.yaml order: the order in which template variants are looked for. */
    public List<String> variantSegments(AccountSnapshot account) {
        return profiles.orderedSegments(account);
    }

    /** Whom an email of a template comes from and the subscription category it counts under. */
    public record EmailOrigin(String sender, String category) {}

    /** The sender and category of the template's email, from its template.yaml; a TemplateFailure if that cannot be read. */
    public EmailOrigin emailOrigin(String templateId) {
        TemplateMetadata metadata = templates.metadata(templateId);
        return new EmailOrigin(metadata.from(), metadata.categoryOrDefault());
    }

    /** The category of the template's email; null when it has no email files or its template.yaml cannot be read. */
    public String categoryIfKnown(String templateId) {
        if (!templates.exists(templateId, Channel.EMAIL)) {
            return null;
        }
        try {
            return templates.metadata(templateId).categoryOrDefault();
        } catch (TemplateFailure unreadable) {
            return null;
        }
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
