package dev.kizuna.messages;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;

/**
 * Records every decision the engine made as a message, and what became of it: its content,
 * its sending, its failures, its goal. Each change of state also enters the message's timeline.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class MessageRecorder {

    private final MessageTimeline timeline;
    private final Clock clock;

    MessageRecorder(MessageTimeline timeline, Clock clock) {
        this.timeline = timeline;
        this.clock = clock;
    }

    public long record(NewMessage decision) {
        Message message = new Message();
        message.ruleId = decision.ruleId();
        message.ruleVersion = decision.ruleVersion();
        message.accountId = decision.accountId();
        message.userId = decision.userId();
        message.channel = decision.channel();
        message.templateId = decision.templateId();
        message.locale = decision.locale();
        message.status = decision.status();
        message.causeType = decision.cause().type();
        message.causeRef = decision.cause().ref();
        message.causeDetail = Message.truncate(decision.cause().detail(), 1000);
        message.recipient = decision.recipient();
        message.subject = decision.subject();
        message.bodyHtml = decision.bodyHtml();
        message.bodyText = decision.bodyText();
        message.lastError = Message.truncate(decision.error(), 2000);
        message.category = decision.category();
        message.sender = decision.sender();
        message.createdAt = Instant.now(clock);
        message.persist();
        return message.id;
    }

    /**
     * Sets the content of a message recorded before it was rendered: its links carry its id, so
     * an email is recorded first, then rendered, then given its content.
     */
    public void setContent(long id, String subject, String html, String text, String locale, String variant) {
        Message message = Message.findById(id);
        message.variant = variant;
        message.subject = subject;
        message.bodyHtml = html;
        message.bodyText = text;
        message.locale = locale;
    }

    /** The segment variant a message was rendered from, where it was not the template's own files. */
    public void setVariant(long id, String variant) {
        Message.<Message>findById(id).variant = variant;
    }

    /** A message that could not be made (its template failed): it fails with the reason. */
    public void failBeforeSending(long id, String error) {
        Message message = Message.findById(id);
        message.status = MessageStatus.FAILED;
        message.lastError = Message.truncate(error, 2000);
    }

    public Instant createdAt(long id) {
        return Message.<Message>findById(id).createdAt;
    }

    /** The stable email Message-ID of a message, set once so that every retry carries the same one. */
    public String assignEmailMessageId(long id, String domain) {
        Message message = Message.findById(id);
        if (message.headerMessageId == null) {
            message.headerMessageId = "<kizuna." + id + "." + message.createdAt.toEpochMilli() + "@" + domain + ">";
        }
        return message.headerMessageId;
    }

    public void markSent(long id) {
        Message message = Message.findById(id);
        message.status = MessageStatus.SENT;
        message.sentAt = Instant.now(clock);
        message.attempts++;
        message.lastError = null;
        timeline.recordEvent(id, MessageEventType.SENT, null);
    }

    /** A queued email not sent after all: the recipient became suppressed or unsubscribed while it waited. */
    public void markSuppressed(long id, String reason) {
        Message message = Message.findById(id);
        message.status = MessageStatus.SUPPRESSED;
        message.lastError = Message.truncate(reason, 2000);
        timeline.recordEvent(id, MessageEventType.SUPPRESSED, reason);
    }

    public void recordFailedAttempt(long id, String error, boolean giveUp) {
        Message message = Message.findById(id);
        message.attempts++;
        message.lastError = Message.truncate(error, 2000);
        if (giveUp) {
            message.status = MessageStatus.FAILED;
        }
        timeline.recordEvent(id, giveUp ? MessageEventType.FAILED : MessageEventType.ATTEMPT_FAILED, error);
    }

    /**
     * Marks a message converted: its rule's goal was reached at {@code reachedAt}. The timeline
     * entry carries that time. False if attribution had already decided about the message.
     */
    public boolean markConverted(long id, Instant reachedAt, String detail) {
        int updated = Message.getEntityManager()
                .createNativeQuery("update message set converted_at = ?1, goal_outcome = ?2 where id = ?3 and goal_outcome is null")
                .setParameter(1, reachedAt)
                .setParameter(2, GoalOutcome.CONVERTED.wireName())
                .setParameter(3, id)
                .executeUpdate();
        if (updated == 0) {
            return false;
        }
        timeline.recordEventAt(id, MessageEventType.CONVERTED, reachedAt, detail);
        return true;
    }

    /** Stops following the goal of these messages, with the outcome; messages already decided keep theirs. */
    public int closeGoal(Collection<Long> ids, GoalOutcome outcome) {
        if (ids.isEmpty()) {
            return 0;
        }
        return Message.getEntityManager()
                .createNativeQuery("update message set goal_outcome = ?1 where id in (?2) and goal_outcome is null")
                .setParameter(1, outcome.wireName())
                .setParameter(2, ids)
                .executeUpdate();
    }

    /** Erasure: the user's messages stay for the statistics, without their personal content. */
    public int redactUser(String userId) {
        MessageEvent.update("detail = null where messageId in (select m.id from Message m where m.userId = ?1)", userId);
        return Message.update("recipient = null, subject = null, bodyHtml = null, bodyText = null, causeDetail = null, "
                + "lastError = case when lastError is null then null else 'erased' end where userId = ?1", userId);
    }
}
