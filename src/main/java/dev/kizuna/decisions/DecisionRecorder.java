package dev.kizuna.decisions;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.delivery.Outbox;
import dev.kizuna.delivery.inapp.NudgeInbox;
import dev.kizuna.delivery.inapp.RenderedNudge;
import dev.kizuna.expression.ConditionFunctions;
import dev.kizuna.messages.Channel;
import dev.kizuna.messages.LoggedMessageHistory;
import dev.kizuna.messages.MessageRecorder;
import dev.kizuna.messages.MessageStatus;
import dev.kizuna.messages.NewMessage;
import dev.kizuna.rules.Evaluation;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleDefinition;
import dev.kizuna.templates.DeliveryPolicy;
import dev.kizuna.templates.RenderedEmail;
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
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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

    DecisionRecorder(TemplateCatalog templates, MessageRecorder messages, LoggedMessageHistory history, Outbox outbox, NudgeInbox inbox,
            DeliveryPolicy delivery, EmailPermission permission, EmailLinks links, DecisionPolicyConfig policy, Clock clock) {
        this.links = links;
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

    /** Records the fired and held-out evaluations of one recipient; returns how many emails were queued. */
    public int record(List<Evaluation> evaluations) {
        Instant now = clock.instant();
        Map<Channel, Rule> channelTaken = new EnumMap<>(Channel.class);
        int emails = 0;
        List<Evaluation> byPriority = evaluations.stream()
                .filter(evaluation -> evaluation.verdict() != Evaluation.Verdict.SKIP)
                .sorted(Comparator.comparingInt((Evaluation evaluation) -> evaluation.rule().priority()).reversed())
                .toList();
        for (Evaluation evaluation : byPriority) {
            for (RuleDefinition.Action action : evaluation.rule().actions()) {
                if (evaluation.verdict() == Evaluation.Verdict.HOLD_OUT) {
                    store(evaluation, action, MessageStatus.HELD_OUT, null, null, null, null, "held out to measure the rule's effect");
                    continue;
                }
                Rule earlier = channelTaken.get(action.channel());
                if (earlier != null) {
                    store(evaluation, action, MessageStatus.CAPPED, null, null, null, null,
                            "rule '" + earlier.id() + "' (priority " + earlier.priority() + ") sent on this channel at the same time");
                    continue;
                }
                // Caps protect customers; an alert to the account's own CSM is not capped.
                String capped = action.channel() == Channel.CSM ? null : capped(evaluation.recipient().user(), action.channel(), now);
                if (capped != null) {
                    store(evaluation, action, MessageStatus.CAPPED, null, null, null, null, capped);
                    continue;
                }
                boolean delivered = switch (action.channel()) {
                    case EMAIL -> email(evaluation, action, now);
                    case INAPP -> nudge(evaluation, action);
                    case CSM -> alertCsm(evaluation, action);
                };
                if (delivered) {
                    channelTaken.put(action.channel(), evaluation.rule());
                    if (action.channel() != Channel.INAPP) {
                        emails++;
                    }
                }
            }
        }
        return emails;
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
                String csm = evaluation.recipient().account() == null ? null : evaluation.recipient().account().ownerCsm();
                checks.add(new Evaluation.Check("owner CSM", csm != null && csm.contains("@"),
                        prefix + ": " + (csm == null ? "the account has no owner CSM" : "alerts " + csm)));
                continue;
            }
            String capped = capped(user, action.channel(), now);
            checks.add(new Evaluation.Check("cap", capped == null, prefix + ": " + (capped == null ? "within the frequency caps" : capped)));
            if (action.channel() == Channel.EMAIL) {
                if (user.email() == null) {
                    checks.add(new Evaluation.Check("address", false, prefix + ": the user has no email address"));
                } else {
                    boolean suppressed = permission.suppressedReason(user.email()) != null;
                    checks.add(new Evaluation.Check("suppression", !suppressed,
                            prefix + ": " + (suppressed ? "the address is on the suppression list" : "the address is not suppressed")));
                }
                String category = delivery.categoryIfKnown(action.template());
                if (category != null) {
                    boolean subscribed = permission.unsubscribedReason(user.id(), category) == null;
                    checks.add(new Evaluation.Check("subscription", subscribed, prefix + ": " + (subscribed
                            ? "subscribed to '" + category + "' emails" : "unsubscribed from '" + category + "' emails")));
                }
                if (evaluation.rule().respectsQuietHours()) {
                    ZoneId zone = recipientZone(evaluation);
                    Instant sendAt = sendableFrom(now, zone);
                    checks.add(new Evaluation.Check("quiet hours", true, prefix + ": " + (sendAt.isAfter(now)
                            ? "quiet hours in " + zone + ", would be deferred to " + sendAt : "outside quiet hours in " + zone)));
                }
            }
        }
        return checks;
    }

    private String capped(UserSnapshot user, Channel channel, Instant now) {
        int perDay = channel == Channel.EMAIL ? policy.emailPerDay() : policy.inappPerDay();
        int perWeek = channel == Channel.EMAIL ? policy.emailPerWeek() : policy.inappPerWeek();
        long lastDay = history.sentToUser(user.id(), channel, now.minus(Duration.ofDays(1)));
        if (lastDay >= perDay) {
            return "frequency cap: " + lastDay + " " + channel.wireName() + " messages in the last 24 hours (cap " + perDay + ")";
        }
        long lastWeek = history.sentToUser(user.id(), channel, now.minus(Duration.ofDays(7)));
        if (lastWeek >= perWeek) {
            return "frequency cap: " + lastWeek + " " + channel.wireName() + " messages in the last 7 days (cap " + perWeek + ")";
        }
        return null;
    }

    private boolean email(Evaluation evaluation, RuleDefinition.Action action, Instant now) {
        UserSnapshot user = evaluation.recipient().user();
        if (user.email() == null) {
            store(evaluation, action, MessageStatus.FAILED, null, null, null, null, "the user has no email address");
            return false;
        }
        String suppressed = permission.suppressedReason(user.email());
        if (suppressed != null) {
            store(evaluation, action, MessageStatus.SUPPRESSED, user.email(), null, null, null, suppressed);
            return false;
        }
        DeliveryPolicy.EmailOrigin origin;
        try {
            origin = delivery.emailOrigin(action.template());
        } catch (TemplateFailure failure) {
            store(evaluation, action, MessageStatus.FAILED, user.email(), null, null, null, "template failed: " + failure.getMessage());
            return false;
        }
        String category = origin.category();
        String unsubscribed = permission.unsubscribedReason(user.id(), category);
        if (unsubscribed != null) {
            store(evaluation, action, MessageStatus.SUPPRESSED, user.email(), null, null, null, unsubscribed, localeOf(evaluation),
                    category, origin.sender());
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
        // Recorded before rendering: the unsubscribe and tracking links carry the message's id.
        long id = store(evaluation, action, MessageStatus.QUEUED, user.email(), null, null, null, note, localeOf(evaluation), category,
                origin.sender());
        Instant decidedAt = messages.createdAt(id);
        Map<String, Object> model = model(evaluation);
        model.put("unsubscribe_url", links.unsubscribeUrl(id, decidedAt));
        RenderedEmail email;
        try {
            email = templates.renderEmail(action.template(), localeOf(evaluation), segmentsOf(evaluation), model);
        } catch (TemplateFailure failure) {
            messages.failBeforeSending(id, "template failed: " + failure.getMessage());
            return false;
        }
        messages.setContent(id, email.subject(), links.track(id, decidedAt, email.html()), email.text(), email.locale(), email.variant());
        outbox.enqueue(id, sendAt);
        return true;
    }

    private boolean nudge(Evaluation evaluation, RuleDefinition.Action action) {
        UserSnapshot user = evaluation.recipient().user();
        RenderedNudge nudge;
        try {
            nudge = templates.renderNudge(action.template(), localeOf(evaluation), segmentsOf(evaluation), model(evaluation));
        } catch (TemplateFailure failure) {
            store(evaluation, action, MessageStatus.FAILED, user.id(), null, null, null, "template failed: " + failure.getMessage());
            return false;
        }
        long id = store(evaluation, action, MessageStatus.SENT, user.id(), nudge.title(), null, nudge.body(), null, nudge.locale(),
                null, null);
        if (nudge.variant() != null) {
            messages.setVariant(id, nudge.variant());
        }
        inbox.deliver(id, user.id(), evaluation.recipient().accountId(), nudge);
        return true;
    }

    /**
     * Human follow-up: the account's owner CSM (the csm trait) gets an email about the account,
     * in the default locale, sent at once (no quiet hours, no caps).
     */
    private boolean alertCsm(Evaluation evaluation, RuleDefinition.Action action) {
        AccountSnapshot account = evaluation.recipient().account();
        String csm = account == null ? null : account.ownerCsm();
        if (csm == null || !csm.contains("@")) {
            store(evaluation, action, MessageStatus.FAILED, csm, null, null, null, "the account has no owner CSM with an email address");
            return false;
        }
        RenderedEmail email;
        String sender;
        try {
            email = templates.renderEmail(action.template(), null, segmentsOf(evaluation), model(evaluation));
            sender = delivery.emailOrigin(action.template()).sender();
        } catch (TemplateFailure failure) {
            store(evaluation, action, MessageStatus.FAILED, csm, null, null, null, "template failed: " + failure.getMessage());
            return false;
        }
        long id = store(evaluation, action, MessageStatus.QUEUED, csm, email.subject(), email.html(), email.text(), null, email.locale(),
                null, sender);
        outbox.enqueue(id, clock.instant());
        return true;
    }

    private static ZoneId recipientZone(Evaluation evaluation) {
        return ConditionFunctions.recipientZone(evaluation.recipient().user(), evaluation.recipient().account());
    }

    /** When an email decided now may go out in the recipient's zone: at once, or when quiet hours end. */
    private Instant sendableFrom(Instant now, ZoneId zone) {
        return new QuietHours(policy.quietHoursStart(), policy.quietHoursEnd()).sendableFrom(now, zone);
    }

    private List<String> segmentsOf(Evaluation evaluation) {
        return delivery.variantSegments(evaluation.recipient().account());
    }

    private long store(Evaluation evaluation, RuleDefinition.Action action, MessageStatus status, String recipient, String subject,
            String html, String text, String note) {
        return store(evaluation, action, status, recipient, subject, html, text, note, localeOf(evaluation), null, null);
    }

    private long store(Evaluation evaluation, RuleDefinition.Action action, MessageStatus status, String recipient, String subject,
            String html, String text, String note, String locale, String category, String sender) {
        Rule rule = evaluation.rule();
        // A deferral is part of why and when; for messages that did not go out, the note is the reason.
        boolean going = status == MessageStatus.QUEUED || status == MessageStatus.SENT;
        String explanation = going && note != null ? evaluation.explanation() + "; " + note : evaluation.explanation();
        var cause = new NewMessage.Cause(evaluation.cause().type(), evaluation.cause().ref(), explanation);
        return messages.record(new NewMessage(rule.id(), rule.version(), evaluation.recipient().accountId(),
                evaluation.recipient().user().id(), action.channel(), action.template(), locale, status, cause, recipient, subject,
                html, text, going ? null : note, category, sender));
    }

    private static Map<String, Object> model(Evaluation evaluation) {
        return TemplateModel.of(evaluation.recipient().account(), evaluation.recipient().user(), evaluation.cause().eventName(),
                evaluation.cause().eventProperties());
    }

    private String localeOf(Evaluation evaluation) {
        return delivery.locale(evaluation.recipient().account(), evaluation.recipient().user());
    }
}
