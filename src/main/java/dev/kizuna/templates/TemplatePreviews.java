package dev.kizuna.templates;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountSnapshots;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.delivery.email.DeliveryFailure;
import dev.kizuna.delivery.email.EmailComposer;
import dev.kizuna.delivery.email.Mailer;
import dev.kizuna.delivery.email.OutgoingEmail;
import dev.kizuna.delivery.inapp.RenderedNudge;
import dev.kizuna.messages.Channel;
import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.segments.ProfileCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A template rendered for a real account and user, as the rule would render it, without
 * deciding anything: to look at (preview) or to receive (a test send to the marketer).
 */
@ApplicationScoped
public class TemplatePreviews {

    private static final Logger LOG = Logger.getLogger(TemplatePreviews.class);

    private final TemplateCatalog templates;
    private final AccountSnapshots accounts;
    private final ProfileCatalog profiles;
    private final DeliveryPolicy delivery;
    private final EmailComposer composer;
    private final Mailer mailer;
    private final CommercialEmailReview review;

    TemplatePreviews(
            TemplateCatalog templates,
            AccountSnapshots accounts,
            ProfileCatalog profiles,
            DeliveryPolicy delivery,
            EmailComposer composer,
            Mailer mailer,
            CommercialEmailReview review) {
        this.templates = templates;
        this.accounts = accounts;
        this.profiles = profiles;
        this.delivery = delivery;
        this.composer = composer;
        this.mailer = mailer;
        this.review = review;
    }

    /** For whom to render: a user and/or account by id, and optionally a locale and a segment to force. */
    public record For(String userId, String accountId, String locale, String segment) {}

    /**
     * An email as it would go; {@code compliance}: what it lacks of Japan's 特定電子メール法 (empty:
     * nothing), null when it is not commercial or the check is off.
     */
    public record EmailPreview(
            String from,
            String category,
            String variant,
            String subject,
            String html,
            String text,
            List<String> compliance) {}

    /** What each channel the template serves would send; the bodies of posts as JSON text. */
    public record Preview(
            String template,
            String userId,
            String accountId,
            String locale,
            List<String> segments,
            EmailPreview email,
            RenderedNudge nudge,
            String webhook,
            String slack) {}

    @Transactional(Transactional.TxType.SUPPORTS)
    public Preview preview(String templateId, For recipient) {
        boolean email = templates.exists(templateId, Channel.EMAIL);
        boolean inapp = templates.exists(templateId, Channel.INAPP);
        boolean webhook = templates.exists(templateId, Channel.WEBHOOK);
        boolean slack = templates.exists(templateId, Channel.SLACK);
        if (!email && !inapp && !webhook && !slack) {
            throw ProblemException.notFound(
                    "no template '" + templateId + "' with email, in-app, webhook or Slack files");
        }
        Context context = context(recipient);
        Map<String, Object> model = model(context);
        try {
            // What a post's rule and message would give: none yet.
            Map<String, Object> postModel = new java.util.HashMap<>(model);
            postModel.put("message_id", 0);
            postModel.put("rule", Map.of("id", "preview", "name", "preview"));
            String webhookBody = webhook
                    ? templates
                            .renderPost(Channel.WEBHOOK, templateId, context.locale(), context.segments(), postModel)
                            .body()
                    : null;
            String slackBody = slack
                    ? templates
                            .renderPost(Channel.SLACK, templateId, context.locale(), context.segments(), postModel)
                            .body()
                    : null;
            EmailPreview emailPreview = null;
            String locale = null;
            if (email) {
                RenderedEmail rendered = templates.renderEmail(templateId, context.locale(), context.segments(), model);
                DeliveryPolicy.EmailOrigin origin = delivery.emailOrigin(templateId);
                emailPreview = new EmailPreview(
                        composer.sender(origin.sender()),
                        origin.category(),
                        rendered.variant(),
                        rendered.subject(),
                        rendered.html(),
                        rendered.text(),
                        review.missing(templateId, rendered, (String) model.get("unsubscribe_url")));
                locale = rendered.locale();
            }
            RenderedNudge nudge =
                    inapp ? templates.renderNudge(templateId, context.locale(), context.segments(), model) : null;
            if (nudge != null) {
                locale = nudge.locale();
            }
            return new Preview(
                    templateId,
                    context.user().id(),
                    context.account() == null ? null : context.account().id(),
                    locale,
                    context.segments(),
                    emailPreview,
                    nudge,
                    webhookBody,
                    slackBody);
        } catch (TemplateFailure failure) {
            throw new ProblemException(
                    422,
                    "Unprocessable Content",
                    "the template does not render for this recipient: " + failure.getMessage(),
                    List.of(Violation.inFile(failure.file(), failure.line(), failure.reason())));
        }
    }

    public record TestSend(String template, String to, String subject, String emailMessageId) {}

    /** Sends the email now to the given address, marked as a test; nothing is recorded as a message. */
    public TestSend testSend(String templateId, String to, For recipient) {
        if (!templates.exists(templateId, Channel.EMAIL)) {
            throw ProblemException.notFound("no email template '" + templateId + "'");
        }
        Preview preview = preview(templateId, recipient);
        String subject = "[Test] " + preview.email().subject();
        String messageId = "<kizuna.test." + UUID.randomUUID() + "@" + composer.senderDomain() + ">";
        try {
            mailer.send(composer.compose(new OutgoingEmail(
                    preview.email().from(),
                    to,
                    subject,
                    preview.email().html(),
                    preview.email().text(),
                    messageId,
                    null)));
        } catch (DeliveryFailure failure) {
            if (failure.permanent()) {
                throw ProblemException.badField("to", failure.getMessage());
            }
            throw ProblemException.badGateway("the test email could not be sent: " + failure.getMessage());
        }
        // The address is personal data: the message id is what finds this send in the mail server's log.
        LOG.infof("test send of template %s as message %s", templateId, messageId);
        return new TestSend(templateId, to, subject, messageId);
    }

    private record Context(UserSnapshot user, AccountSnapshot account, String locale, List<String> segments) {}

    private Context context(For recipient) {
        if (isBlank(recipient.userId()) && isBlank(recipient.accountId())) {
            throw ProblemException.badField("userId", "give a userId or an accountId to render for");
        }
        AccountSnapshot account = null;
        if (!isBlank(recipient.accountId())) {
            account = accounts.account(recipient.accountId())
                    .orElseThrow(() -> ProblemException.notFound("no account with id '" + recipient.accountId() + "'"));
        }
        UserSnapshot user;
        if (!isBlank(recipient.userId())) {
            user = accounts.user(recipient.userId())
                    .orElseThrow(() -> ProblemException.notFound("no user with id '" + recipient.userId() + "'"));
        } else if (!account.userIds().isEmpty()) {
            user = accounts.user(account.userIds().get(0)).orElseThrow();
        } else {
            throw ProblemException.badField("userId", "account '" + account.id() + "' has no users: give a userId");
        }
        if (account == null && !user.accountIds().isEmpty()) {
            account = accounts.account(user.accountIds().get(0)).orElse(null);
        }
        List<String> segments;
        if (!isBlank(recipient.segment())) {
            if (!profiles.definitions().segments().containsKey(recipient.segment())) {
                throw ProblemException.badField(
                        "segment", "'" + recipient.segment() + "' is not a segment of segments.yaml");
            }
            segments = List.of(recipient.segment());
        } else {
            segments = delivery.variantSegments(account);
        }
        String locale = !isBlank(recipient.locale()) ? recipient.locale() : delivery.locale(account, user);
        return new Context(user, account, locale, segments);
    }

    private Map<String, Object> model(Context context) {
        Map<String, Object> model = TemplateModel.of(context.account(), context.user(), null, Map.of());
        // A preview's unsubscribe link leads to a page that says it is not valid: it stands for no message.
        model.put("unsubscribe_url", review.exampleUnsubscribeUrl());
        return model;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
