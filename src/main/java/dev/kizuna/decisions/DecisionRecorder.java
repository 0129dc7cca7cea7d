package dev.kizuna.decisions;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.delivery.Outbox;
import dev.kizuna.delivery.WebhookTargets;
import dev.kizuna.delivery.inapp.NudgeInbox;
import dev.kizuna.delivery.inapp.RenderedNudge;
import dev.kizuna.expression.ConditionFunctions;
import dev.kizuna.messages.Channel;
import dev.kizuna.messages.LoggedMessageHistory;
import dev.kizuna.messages.MessageHistory;
import dev.kizuna.messages.MessageRecorder;
import dev.kizuna.messages.MessageStatus;
import dev.kizuna.messages.NewMessage;
import dev.kizuna.messages.RecipientsHistory;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleDefinition;
import dev.kizuna.templates.CommercialEmailReview;
import dev.kizuna.templates.DeliveryPolicy;
import dev.kizuna.templates.RenderedEmail;
import dev.kizuna.templates.RenderedPost;
import dev.kizuna.templates.TemplateCatalog;
import dev.kizuna.templates.TemplateFailure;
import dev.kizuna.templates.TemplateModel;
import dev.kizuna.tracking.EmailLinks;
import dev.kizuna.tracking.EmailPermission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns the evaluations that fired for one recipient into messages: highest priority first, one
 * message per channel at a time, within the frequency caps; email waits out quiet hours and
 * skips suppressed addresses; content is rendered now and stored as sent. Runs in the caller's
 * transaction, so the decisions commit with the state change that caused them.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class DecisionRecorder {

    private final TemplateCatalog templates;
    private final MessageRecorder messages;
    private final LoggedMessageHistory history;
    private final Outbox outbox;
    private final NudgeInbox inbox;
    private final DeliveryPolicy delivery;
    private final EmailPermission permission;
    private final EmailLinks links;
    private final DecisionPolicyConfig policy;
    private final Clock clock;
    private final WebhookTargets webhooks;
    private final SequenceEntries sequences;
    private final CommercialEmailReview commercialEmails;

    DecisionRecorder(
            TemplateCatalog templates,
            MessageRecorder messages,
            LoggedMessageHistory history,
            Outbox outbox,
            NudgeInbox inbox,
            DeliveryPolicy delivery,
            EmailPermission permission,
            EmailLinks links,
            DecisionPolicyConfig policy,
            Clock clock,
            WebhookTargets webhooks,
            SequenceEntries sequences,
            CommercialEmailReview commercialEmails) {
        this.commercialEmails = commercialEmails;
        this.links = links;
        this.sequences = sequences;
        this.webhooks = webhooks;
        this.templates = templates;
        this.messages = messages;
        this.history = history;
        this.outbox = outbox;
        this.inbox = inbox;
        this.delivery = delivery;
        this.permission = permission;
        this.policy = policy;
        this.clock = clock;
    }

    /** A set of decisions about to be made together for these recipients, at {@code now}. */
    DecisionSet begin(Instant now, RecipientsHistory history, Collection<UserSnapshot> recipients) {
        return new DecisionSet(
                now,
                history,
                () -> permission.forRecipients(
                        recipients.stream()
                                .map(UserSnapshot::email)
                                .filter(Objects::nonNull)
                                .toList(),
                        recipients.stream().map(UserSnapshot::id).toList()),
                messages::reserveIds);
    }

    /** Writes the decisions of a set: its messages, then the emails they queue and the nudges they deliver. */
    void write(DecisionSet decisions) {
        messages.recordAll(decisions.messages());
        sequences.enterAll(decisions.sequenceEntries());
        outbox.enqueueAll(decisions.emails());
        inbox.deliverAll(decisions.nudges());
    }

    /**
     * Records the fired and held-out evaluations of one recipient into the set; returns how many
     * emails were queued.
     */
    int record(List<Evaluation> evaluations, DecisionSet decisions) {
        Instant now = decisions.now();
        Map<Channel, Rule> channelTaken = new EnumMap<>(Channel.class);
        int emails = 0;
        List<Evaluation> byPriority = evaluations.stream()
                .filter(evaluation -> evaluation.verdict() != Evaluation.Verdict.SKIP)
                .sorted(Comparator.comparingInt(
                                (Evaluation evaluation) -> evaluation.rule().priority())
                        .reversed())
                .toList();
        for (Evaluation evaluation : byPriority) {
            for (RuleDefinition.Action action : evaluation.rule().actions()) {
                if (evaluation.verdict() == Evaluation.Verdict.HOLD_OUT) {
                    store(
                            decisions,
                            evaluation,
                            action,
                            MessageStatus.HELD_OUT,
                            null,
                            "held out to measure the rule's effect");
                    continue;
                }
                Rule earlier = channelTaken.get(action.channel());
                // Posts to other systems are not messages to the person: one rule's does not stop another's.
                if (earlier != null && !action.channel().isHttp()) {
                    store(
                            decisions,
                            evaluation,
                            action,
                            MessageStatus.CAPPED,
                            null,
                            "rule '" + earlier.id() + "' (priority " + earlier.priority()
                                    + ") sent on this channel at the same time");
                    continue;
                }
                // Caps protect customers; an alert to the account's own CSM, or a post to another system, is not
                // capped.
                String capped =
                        action.channel() == Channel.CSM || action.channel().isHttp()
                                ? null
                                : capped(evaluation.recipient(), action.channel(), now, decisions.history());
                if (capped != null) {
                    store(decisions, evaluation, action, MessageStatus.CAPPED, null, capped);
                    continue;
                }
                boolean delivered = switch (action.channel()) {
                    case EMAIL -> email(decisions, evaluation, action);
                    case INAPP -> nudge(decisions, evaluation, action);
                    case CSM -> alertCsm(decisions, evaluation, action);
                    case WEBHOOK, SLACK -> post(decisions, evaluation, action);
                };
                if (delivered) {
                    channelTaken.put(action.channel(), evaluation.rule());
                    if (action.channel() != Channel.INAPP) {
                        emails++;
                    }
                }
            }
            if (evaluation.verdict() == Evaluation.Verdict.FIRE
                    && evaluation.rule().isSequence()) {
                enter(decisions, evaluation);
            }
        }
        return emails;
    }

    /**
     * A recipient for whom a sequence fired enters it: its first step was just recorded (whatever
     * became of its messages), and the next comes due after its wait. Held-out recipients do not
     * enter: holdout is decided once, at entry.
     */
    private static void enter(DecisionSet decisions, Evaluation evaluation) {
        Rule rule = evaluation.rule();
        Instant now = decisions.now();
        Rule.Step first = rule.steps().get(0);
        Optional<Rule.Step> next = rule.stepAfter(first.name());
        decisions.enterSequence(new SequenceEntries.NewEntry(
                rule.id(),
                evaluation.recipient().accountId(),
                evaluation.recipient().user().id(),
                now,
                evaluation.cause().ref(),
                first.name(),
                next.map(Rule.Step::name).orElse(null),
                next.map(step -> now.plus(step.waitFor())).orElse(null)));
    }

    /**
     * What recording would do with each action of a fired evaluation, without recording:
     * caps, quiet hours and suppression, as checks. For explanations and simulations.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Evaluation.Check> preview(Evaluation evaluation) {
        Instant now = clock.instant();
        List<Evaluation.Check> checks = new java.util.ArrayList<>();
        UserSnapshot user = evaluation.recipient().user();
        for (RuleDefinition.Action action : evaluation.rule().actions()) {
            String prefix = action.channel().wireName() + " '" + action.template() + "'";
            if (action.channel() == Channel.CSM) {
                String csm = evaluation.recipient().account() == null
                        ? null
                        : evaluation.recipient().account().ownerCsm();
                checks.add(new Evaluation.Check(
                        "owner CSM",
                        csm != null && csm.contains("@"),
                        prefix + ": " + (csm == null ? "the account has no owner CSM" : "alerts " + csm)));
                continue;
            }
            if (action.channel().isHttp()) {
                boolean configured = webhooks.targets().containsKey(action.target());
                checks.add(new Evaluation.Check(
                        "target",
                        configured,
                        prefix + ": "
                                + (configured
                                        ? "posts to target '" + action.target() + "'"
                                        : "target '" + action.target() + "' is not configured")));
                continue;
            }
            String capped = capped(evaluation.recipient(), action.channel(), now, history);
            checks.add(new Evaluation.Check(
                    "cap", capped == null, prefix + ": " + (capped == null ? "within the frequency caps" : capped)));
            if (action.channel() == Channel.EMAIL) {
                if (user.email() == null) {
                    checks.add(new Evaluation.Check("address", false, prefix + ": the user has no email address"));
                } else {
                    boolean suppressed = permission.suppressedReason(user.email()) != null;
                    checks.add(new Evaluation.Check(
                            "suppression",
                            !suppressed,
                            prefix + ": "
                                    + (suppressed
                                            ? "the address is on the suppression list"
                                            : "the address is not suppressed")));
                }
                DeliveryPolicy.EmailOrigin origin = delivery.emailOriginIfKnown(action.template());
                if (origin != null) {
                    String category = origin.category();
                    boolean subscribed = permission.unsubscribedReason(user.id(), category) == null;
                    checks.add(new Evaluation.Check(
                            "subscription",
                            subscribed,
                            prefix + ": "
                                    + (subscribed
                                            ? "subscribed to '" + category + "' emails"
                                            : "unsubscribed from '" + category + "' emails")));
                    if (origin.consentRequired()) {
                        String noConsent = permission.noConsentReason(user.id(), category);
                        checks.add(new Evaluation.Check(
                                "consent",
                                noConsent == null,
                                prefix + ": "
                                        + (noConsent == null
                                                ? "the user's consent to '" + category + "' emails is on record"
                                                : noConsent)));
                    }
                }
                if (evaluation.rule().respectsQuietHours()) {
                    ZoneId zone = recipientZone(evaluation);
                    Instant sendAt = sendableFrom(now, zone);
                    checks.add(new Evaluation.Check(
                            "quiet hours",
                            true,
                            prefix + ": "
                                    + (sendAt.isAfter(now)
                                            ? "quiet hours in " + zone + ", would be deferred to " + sendAt
                                            : "outside quiet hours in " + zone)));
                }
            }
        }
        return checks;
    }

    /** How far back the frequency caps look: the history of a set of decisions is read from then on. */
    static final Duration CAPS_LOOK_BACK = Duration.ofDays(7);

    /** Whether any cap per account is set: only then is what each account's users got read. */
    boolean capsAccounts() {
        return policy.accountEmailPerDay().isPresent()
                || policy.accountEmailPerWeek().isPresent()
                || policy.accountInappPerDay().isPresent()
                || policy.accountInappPerWeek().isPresent();
    }

    /** Null if the message is within the caps; else which cap it reached, per user first, then per account. */
    private String capped(Evaluation.Recipient recipient, Channel channel, Instant now, MessageHistory history) {
        String userId = recipient.user().id();
        int perDay = channel == Channel.EMAIL ? policy.emailPerDay() : policy.inappPerDay();
        int perWeek = channel == Channel.EMAIL ? policy.emailPerWeek() : policy.inappPerWeek();
        long lastDay = history.sentToUser(userId, channel, now.minus(Duration.ofDays(1)));
        if (lastDay >= perDay) {
            return "frequency cap: " + lastDay + " " + channel.wireName() + " messages in the last 24 hours (cap "
                    + perDay + ")";
        }
        long lastWeek = history.sentToUser(userId, channel, now.minus(CAPS_LOOK_BACK));
        if (lastWeek >= perWeek) {
            return "frequency cap: " + lastWeek + " " + channel.wireName() + " messages in the last 7 days (cap "
                    + perWeek + ")";
        }
        String accountId = recipient.accountId();
        if (accountId == null) {
            return null;
        }
        String dayCap = accountCapReached(
                history,
                accountId,
                channel,
                now.minus(Duration.ofDays(1)),
                channel == Channel.EMAIL ? policy.accountEmailPerDay() : policy.accountInappPerDay(),
                "24 hours",
                "day");
        return dayCap != null
                ? dayCap
                : accountCapReached(
                        history,
                        accountId,
                        channel,
                        now.minus(CAPS_LOOK_BACK),
                        channel == Channel.EMAIL ? policy.accountEmailPerWeek() : policy.accountInappPerWeek(),
                        "7 days",
                        "week");
    }

    /** Null if the account's users got fewer than {@code cap} messages on the channel since then (or no cap is set); else which cap. */
    private static String accountCapReached(
            MessageHistory history,
            String accountId,
            Channel channel,
            Instant since,
            OptionalInt cap,
            String window,
            String period) {
        if (cap.isEmpty()) {
            return null;
        }
        long sent = history.sentToAccount(accountId, channel, since);
        return sent < cap.getAsInt()
                ? null
                : "frequency cap per account: " + sent + " " + channel.wireName()
                        + " messages to the users of account '" + accountId
                        + "' in the last " + window + " (cap " + cap.getAsInt() + ", kizuna.decisions.account-"
                        + channel.wireName() + "-per-"
                        + period + ")";
    }

    private boolean email(DecisionSet decisions, Evaluation evaluation, RuleDefinition.Action action) {
        Instant now = decisions.now();
        UserSnapshot user = evaluation.recipient().user();
        if (user.email() == null) {
            store(decisions, evaluation, action, MessageStatus.FAILED, null, "the user has no email address");
            return false;
        }
        String suppressed = decisions.permissions().suppressedReason(user.email());
        if (suppressed != null) {
            store(decisions, evaluation, action, MessageStatus.SUPPRESSED, user.email(), suppressed);
            return false;
        }
        DeliveryPolicy.EmailOrigin origin;
        try {
            origin = delivery.emailOrigin(action.template());
        } catch (TemplateFailure failure) {
            store(
                    decisions,
                    evaluation,
                    action,
                    MessageStatus.FAILED,
                    user.email(),
                    "template failed: " + failure.getMessage());
            return false;
        }
        String category = origin.category();
        String unsubscribed = decisions.permissions().unsubscribedReason(user.id(), category);
        String notPermitted = unsubscribed != null
                ? unsubscribed
                : origin.consentRequired() ? decisions.permissions().noConsentReason(user.id(), category) : null;
        if (notPermitted != null) {
            store(
                    decisions,
                    decisions.nextId(),
                    evaluation,
                    action,
                    MessageStatus.SUPPRESSED,
                    user.email(),
                    null,
                    notPermitted,
                    localeOf(evaluation),
                    category,
                    origin.sender());
            return false;
        }
        Instant sendAt = now;
        String note = null;
        if (evaluation.rule().respectsQuietHours()) {
            ZoneId zone = recipientZone(evaluation);
            sendAt = sendableFrom(now, zone);
            if (sendAt.isAfter(now)) {
                note = "quiet hours in " + zone + ": deferred to " + sendAt;
            }
        }
        // The id comes before rendering: the unsubscribe and tracking links carry it.
        long id = decisions.nextId();
        Map<String, Object> model = model(evaluation);
        String unsubscribeUrl = links.unsubscribeUrl(id, now);
        model.put("unsubscribe_url", unsubscribeUrl);
        RenderedEmail email;
        try {
            email = templates.renderEmail(action.template(), localeOf(evaluation), segmentsOf(evaluation), model);
        } catch (TemplateFailure failure) {
            store(
                    decisions,
                    id,
                    evaluation,
                    action,
                    MessageStatus.FAILED,
                    user.email(),
                    null,
                    "template failed: " + failure.getMessage(),
                    localeOf(evaluation),
                    category,
                    origin.sender());
            return false;
        }
        CommercialEmailReview.Result checked = commercialEmails.check(action.template(), email, unsubscribeUrl);
        String compliance = checked == null ? null : checked.codes();
        Optional<String> refused = checked == null ? Optional.empty() : checked.refusal();
        if (refused.isPresent()) {
            store(
                    decisions,
                    id,
                    evaluation,
                    action,
                    MessageStatus.FAILED,
                    user.email(),
                    new Content(null, null, null, null, compliance),
                    "not sent: " + refused.get(),
                    email.locale(),
                    category,
                    origin.sender());
            return false;
        }
        store(
                decisions,
                id,
                evaluation,
                action,
                MessageStatus.QUEUED,
                user.email(),
                new Content(
                        email.subject(), links.track(id, now, email.html()), email.text(), email.variant(), compliance),
                note,
                email.locale(),
                category,
                origin.sender());
        decisions.queueEmail(id, sendAt);
        return true;
    }

    private boolean nudge(DecisionSet decisions, Evaluation evaluation, RuleDefinition.Action action) {
        UserSnapshot user = evaluation.recipient().user();
        RenderedNudge nudge;
        try {
            nudge = templates.renderNudge(
                    action.template(), localeOf(evaluation), segmentsOf(evaluation), model(evaluation));
        } catch (TemplateFailure failure) {
            store(
                    decisions,
                    evaluation,
                    action,
                    MessageStatus.FAILED,
                    user.id(),
                    "template failed: " + failure.getMessage());
            return false;
        }
        long id = decisions.nextId();
        store(
                decisions,
                id,
                evaluation,
                action,
                MessageStatus.SENT,
                user.id(),
                new Content(nudge.title(), null, nudge.body(), nudge.variant()),
                null,
                nudge.locale(),
                null,
                null);
        decisions.deliverNudge(
                new NudgeInbox.Delivery(id, user.id(), evaluation.recipient().accountId(), nudge));
        return true;
    }

    /**
     * Human follow-up: the account's owner CSM (the csm trait) gets an email about the account,
     * in the default locale, sent at once (no quiet hours, no caps).
     */
    private boolean alertCsm(DecisionSet decisions, Evaluation evaluation, RuleDefinition.Action action) {
        AccountSnapshot account = evaluation.recipient().account();
        String csm = account == null ? null : account.ownerCsm();
        if (csm == null || !csm.contains("@")) {
            store(
                    decisions,
                    evaluation,
                    action,
                    MessageStatus.FAILED,
                    csm,
                    "the account has no owner CSM with an email address");
            return false;
        }
        RenderedEmail email;
        String sender;
        try {
            email = templates.renderEmail(action.template(), null, segmentsOf(evaluation), model(evaluation));
            sender = delivery.emailOrigin(action.template()).sender();
        } catch (TemplateFailure failure) {
            store(decisions, evaluation, action, MessageStatus.FAILED, csm, "template failed: " + failure.getMessage());
            return false;
        }
        long id = decisions.nextId();
        store(
                decisions,
                id,
                evaluation,
                action,
                MessageStatus.QUEUED,
                csm,
                new Content(email.subject(), email.html(), email.text(), null),
                null,
                email.locale(),
                null,
                sender);
        decisions.queueEmail(id, decisions.now());
        return true;
    }

    /**
     * A post to another system (a webhook, a Slack channel) about the recipient, queued at once:
     * no quiet hours, no caps. The body is rendered now, as an email's is, with the message's id.
     */
    private boolean post(DecisionSet decisions, Evaluation evaluation, RuleDefinition.Action action) {
        long id = decisions.nextId();
        Map<String, Object> model = model(evaluation);
        model.put("message_id", id);
        model.put(
                "rule",
                Map.of("id", evaluation.rule().id(), "name", evaluation.rule().name()));
        RenderedPost post;
        try {
            post = templates.renderPost(
                    action.channel(), action.template(), localeOf(evaluation), segmentsOf(evaluation), model);
        } catch (TemplateFailure failure) {
            store(
                    decisions,
                    id,
                    evaluation,
                    action,
                    MessageStatus.FAILED,
                    action.target(),
                    null,
                    "template failed: " + failure.getMessage(),
                    localeOf(evaluation),
                    null,
                    null);
            return false;
        }
        store(
                decisions,
                id,
                evaluation,
                action,
                MessageStatus.QUEUED,
                action.target(),
                new Content(null, null, post.body(), post.variant()),
                null,
                post.locale(),
                null,
                null);
        decisions.queueEmail(id, decisions.now());
        return true;
    }

    private static ZoneId recipientZone(Evaluation evaluation) {
        return ConditionFunctions.recipientZone(
                evaluation.recipient().user(), evaluation.recipient().account());
    }

    /** When an email decided now may go out in the recipient's zone: at once, or when quiet hours end. */
    private Instant sendableFrom(Instant now, ZoneId zone) {
        return new QuietHours(policy.quietHoursStart(), policy.quietHoursEnd()).sendableFrom(now, zone);
    }

    private List<String> segmentsOf(Evaluation evaluation) {
        return delivery.variantSegments(evaluation.recipient().account());
    }

    /** What a message says, as rendered, and what the check of 特定電子メール法 found in it; for nudges the body is the text. */
    private record Content(String subject, String html, String text, String variant, String compliance) {

        Content(String subject, String html, String text, String variant) {
            this(subject, html, text, variant, null);
        }
    }

    /** A message that did not go out, with the reason. */
    private void store(
            DecisionSet decisions,
            Evaluation evaluation,
            RuleDefinition.Action action,
            MessageStatus status,
            String recipient,
            String reason) {
        store(
                decisions,
                decisions.nextId(),
                evaluation,
                action,
                status,
                recipient,
                null,
                reason,
                localeOf(evaluation),
                null,
                null);
    }

    private void store(
            DecisionSet decisions,
            long id,
            Evaluation evaluation,
            RuleDefinition.Action action,
            MessageStatus status,
            String recipient,
            Content content,
            String note,
            String locale,
            String category,
            String sender) {
        Rule rule = evaluation.rule();
        // A deferral is part of why and when; for messages that did not go out, the note is the reason.
        boolean going = status == MessageStatus.QUEUED || status == MessageStatus.SENT;
        String explanation = going && note != null ? evaluation.explanation() + "; " + note : evaluation.explanation();
        var cause = new NewMessage.Cause(
                evaluation.cause().type(), evaluation.cause().ref(), explanation);
        decisions.add(
                id,
                new NewMessage(
                        rule.id(),
                        rule.version(),
                        evaluation.recipient().accountId(),
                        evaluation.recipient().user().id(),
                        action.channel(),
                        action.template(),
                        locale,
                        status,
                        cause,
                        recipient,
                        content == null ? null : content.subject(),
                        content == null ? null : content.html(),
                        content == null ? null : content.text(),
                        going ? null : note,
                        category,
                        sender,
                        content == null ? null : content.compliance()),
                content == null ? null : content.variant());
    }

    private static Map<String, Object> model(Evaluation evaluation) {
        return TemplateModel.of(
                evaluation.recipient().account(),
                evaluation.recipient().user(),
                evaluation.cause().eventName(),
                evaluation.cause().eventProperties());
    }

    private String localeOf(Evaluation evaluation) {
        return delivery.locale(
                evaluation.recipient().account(), evaluation.recipient().user());
    }
}
