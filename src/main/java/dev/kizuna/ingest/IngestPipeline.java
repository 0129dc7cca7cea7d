package dev.kizuna.ingest;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.AccountState;
import dev.kizuna.accounts.ContactDetails;
import dev.kizuna.accounts.UserSnapshot;
import dev.kizuna.delivery.EmailSender;
import dev.kizuna.delivery.Outbox;
import dev.kizuna.delivery.inapp.NudgeInbox;
import dev.kizuna.messages.MessageLog;
import dev.kizuna.messages.MessageStatus;
import dev.kizuna.messages.NewMessage;
import dev.kizuna.rules.Decision;
import dev.kizuna.rules.RuleEngine;
import dev.kizuna.templates.RenderedEmail;
import dev.kizuna.templates.RenderedNudge;
import dev.kizuna.templates.TemplateCatalog;
import dev.kizuna.templates.TemplateFailure;
import dev.kizuna.templates.TemplateModel;
import dev.kizuna.tracking.SuppressionList;
import dev.kizuna.common.TransientFailures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The path of every call, in one place: store the raw call (once per messageId), update account
 * and user state, let the rules decide, render, and record each decision with its email in the
 * outbox or its nudge in the inbox, all in one transaction. Email is sent after the commit.
 */
@ApplicationScoped
public class IngestPipeline {

    private final EventLog events;
    private final AccountState accounts;
    private final RuleEngine engine;
    private final TemplateCatalog templates;
    private final MessageLog messages;
    private final Outbox outbox;
    private final NudgeInbox inbox;
    private final EmailSender sender;
    private final SuppressionList suppressions;
    private final Clock clock;

    IngestPipeline(EventLog events, AccountState accounts, RuleEngine engine, TemplateCatalog templates, MessageLog messages,
            Outbox outbox, NudgeInbox inbox, EmailSender sender, SuppressionList suppressions, Clock clock) {
        this.events = events;
        this.accounts = accounts;
        this.engine = engine;
        this.templates = templates;
        this.messages = messages;
        this.outbox = outbox;
        this.inbox = inbox;
        this.sender = sender;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    /** What a request led to. */
    public record Outcome(int accepted, int duplicates, int decisions, int emailsQueued) {

        static final Outcome DUPLICATE = new Outcome(0, 1, 0, 0);
        static final Outcome NOTHING = new Outcome(1, 0, 0, 0);

        Outcome plus(Outcome other) {
            return new Outcome(accepted + other.accepted, duplicates + other.duplicates, decisions + other.decisions,
                    emailsQueued + other.emailsQueued);
        }
    }

    /**
     * Processes the calls of one request in one transaction: all of them take effect, or none.
     * Returns only after the commit, so an acknowledged call is durable. A deadlock with a
     * concurrent request is retried.
     */
    public Outcome accept(List<SegmentCall> calls) {
        Outcome outcome = TransientFailures.retry(() -> QuarkusTransaction.requiringNew().call(() -> {
            Outcome total = new Outcome(0, 0, 0, 0);
            for (SegmentCall call : calls) {
                total = total.plus(process(call));
            }
            return total;
        }));
        if (outcome.emailsQueued() > 0) {
            sender.wake();
        }
        return outcome;
    }

    private Outcome process(SegmentCall call) {
        if (!events.firstTime(call)) {
            return Outcome.DUPLICATE;
        }
        // Calls under an aliased id count for the user it was aliased to.
        String userId = accounts.resolveUser(call.userId());
        if (userId == null && call.anonymousId() != null) {
            String resolved = accounts.resolveUser(call.anonymousId());
            userId = resolved.equals(call.anonymousId()) ? null : resolved;
        }
        events.append(call, userId);
        return switch (call.type()) {
            case IDENTIFY -> {
                if (userId != null) {
                    accounts.identify(userId, call.traits(), contactOf(call), call.timestamp());
                }
                yield Outcome.NOTHING;
            }
            case GROUP -> {
                accounts.group(userId, call.groupId(), call.traits(), call.timestamp());
                yield Outcome.NOTHING;
            }
            case ALIAS -> {
                accounts.alias(call.previousId(), call.userId(), call.timestamp());
                yield Outcome.NOTHING;
            }
            case TRACK, PAGE, SCREEN -> track(call, userId);
        };
    }

    private Outcome track(SegmentCall call, String userId) {
        List<String> accountIds = accounts.accountsFor(userId, call.groupId());
        accounts.recordEvent(userId, accountIds, call.event(), call.timestamp());
        if (userId == null) {
            return Outcome.NOTHING;
        }
        UserSnapshot user = accounts.user(userId).orElseThrow();
        AccountSnapshot account = accountIds.isEmpty() ? null : accounts.account(accountIds.get(0)).orElseThrow();
        var facts = new RuleEngine.EventFacts(call.event(), call.properties(), user, account, clock.instant());
        List<Decision> decisions = engine.onEvent(facts, messages);
        int emails = 0;
        for (Decision decision : decisions) {
            if (deliver(decision, call, user, account)) {
                emails++;
            }
        }
        return new Outcome(1, 0, decisions.size(), emails);
    }

    /** Records one decision with its rendered content; true if an email was queued. */
    private boolean deliver(Decision decision, SegmentCall call, UserSnapshot user, AccountSnapshot account) {
        Map<String, Object> model = TemplateModel.of(account, user, call.event(), call.properties());
        String locale = localeOf(user, account);
        String accountId = account == null ? null : account.id();
        var cause = NewMessage.Cause.event(call.messageId(), decision.explanation());
        var rule = decision.rule();
        switch (decision.channel()) {
            case EMAIL -> {
                if (user.email() == null) {
                    messages.record(new NewMessage(rule.id(), rule.version(), accountId, user.id(), decision.channel(),
                            decision.templateId(), locale, MessageStatus.FAILED, cause, null, null, null, null,
                            "the user has no email address"));
                    return false;
                }
                if (suppressions.isSuppressed(user.email())) {
                    messages.record(new NewMessage(rule.id(), rule.version(), accountId, user.id(), decision.channel(),
                            decision.templateId(), locale, MessageStatus.SUPPRESSED, cause, user.email(), null, null, null,
                            "the address is on the suppression list"));
                    return false;
                }
                try {
                    RenderedEmail email = templates.renderEmail(decision.templateId(), locale, model);
                    long id = messages.record(new NewMessage(rule.id(), rule.version(), accountId, user.id(), decision.channel(),
                            decision.templateId(), email.locale(), MessageStatus.QUEUED, cause, user.email(), email.subject(),
                            email.html(), email.text(), null));
                    outbox.enqueue(id);
                    return true;
                } catch (TemplateFailure failure) {
                    messages.record(new NewMessage(rule.id(), rule.version(), accountId, user.id(), decision.channel(),
                            decision.templateId(), locale, MessageStatus.FAILED, cause, user.email(), null, null, null,
                            "template failed: " + failure.getMessage()));
                    return false;
                }
            }
            case INAPP -> {
                try {
                    RenderedNudge nudge = templates.renderNudge(decision.templateId(), locale, model);
                    long id = messages.record(new NewMessage(rule.id(), rule.version(), accountId, user.id(), decision.channel(),
                            decision.templateId(), nudge.locale(), MessageStatus.SENT, cause, user.id(), nudge.title(),
                            null, nudge.body(), null));
                    inbox.deliver(id, user.id(), accountId, nudge);
                } catch (TemplateFailure failure) {
                    messages.record(new NewMessage(rule.id(), rule.version(), accountId, user.id(), decision.channel(),
                            decision.templateId(), locale, MessageStatus.FAILED, cause, user.id(), null, null, null,
                            "template failed: " + failure.getMessage()));
                }
                return false;
            }
        }
        return false;
    }

    private static String localeOf(UserSnapshot user, AccountSnapshot account) {
        if (user.locale() != null) {
            return user.locale();
        }
        if (account != null && account.traits().get("locale") instanceof String accountLocale) {
            return accountLocale;
        }
        return null;
    }

    /** Segment puts contact details in traits, and locale and timezone in context. */
    private static ContactDetails contactOf(SegmentCall call) {
        Map<String, Object> traits = call.traits();
        String name = stringOf(traits.get("name"));
        if (name == null && (traits.get("firstName") != null || traits.get("lastName") != null)) {
            name = (String.valueOf(traits.getOrDefault("firstName", "")) + " " + traits.getOrDefault("lastName", "")).strip();
        }
        String locale = stringOf(traits.get("locale"));
        if (locale == null) {
            locale = stringOf(call.context().get("locale"));
        }
        String timezone = stringOf(traits.get("timezone"));
        if (timezone == null) {
            timezone = stringOf(call.context().get("timezone"));
        }
        return new ContactDetails(stringOf(traits.get("email")), name, locale, timezone);
    }

    private static String stringOf(Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }
}
