package dev.kizuna.templates;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.messages.Channel;
import dev.kizuna.segments.ProfileCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * How a template reaches a recipient, the same for a decided message and for a preview: in which
 * locale, looking for variants in which segments, from which sender, under which subscription
 * category. Whether the recipient's choices let the email through is {@link
 * dev.kizuna.tracking.EmailPermission}'s; frequency caps and quiet hours are the decision's own policy.
 */
@ApplicationScoped
public class DeliveryPolicy {

    private final TemplateCatalog templates;
    private final ProfileCatalog profiles;

    DeliveryPolicy(TemplateCatalog templates, ProfileCatalog profiles) {
        this.templates = templates;
        this.profiles = profiles;
    }

    /** The locale to write to a recipient in: the user's, else the account's; null for the default. */
    public String locale(AccountSnapshot account, UserSnapshot user) {
        return TemplateModel.localeOf(account, user);
    }

    /** The account's segments in segments.yaml order: the order in which template variants are looked for. */
    public List<String> variantSegments(AccountSnapshot account) {
        return profiles.orderedSegments(account);
    }

    /**
     * Whom an email of a template comes from, the subscription category it counts under, and
     * whether it goes only to users who opted in to that category.
     */
    public record EmailOrigin(String sender, String category, boolean consentRequired) {}

    /** The sender and category of the template's email, from its template.yaml; a TemplateFailure if that cannot be read. */
    public EmailOrigin emailOrigin(String templateId) {
        TemplateMetadata metadata = templates.metadata(templateId);
        return new EmailOrigin(metadata.from(), metadata.categoryOrDefault(), metadata.requiresConsent());
    }

    /** The origin of the template's email; null when it has no email files or its template.yaml cannot be read. */
    public EmailOrigin emailOriginIfKnown(String templateId) {
        if (!templates.exists(templateId, Channel.EMAIL)) {
            return null;
        }
        try {
            return emailOrigin(templateId);
        } catch (TemplateFailure unreadable) {
            return null;
        }
    }
}
