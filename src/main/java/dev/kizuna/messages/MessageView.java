package dev.kizuna.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A message as the review API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageView(
        long id,
        String rule,
        String ruleVersion,
        String accountId,
        String userId,
        String channel,
        String template,
        String locale,
        String status,
        Cause cause,
        String recipient,
        String subject,
        String bodyHtml,
        String bodyText,
        String emailMessageId,
        int attempts,
        String error,
        Instant createdAt,
        Instant sentAt) {

    public record Cause(String type, String ref, String explanation) {}

    static MessageView of(Message message) {
        return new MessageView(
                message.id, message.ruleId, message.ruleVersion, message.accountId, message.userId,
                message.channel.wireName(), message.templateId, message.locale, message.status.wireName(),
                new Cause(message.causeType, message.causeRef, message.causeDetail), message.recipient,
                message.subject, message.bodyHtml, message.bodyText, message.headerMessageId, message.attempts,
                message.lastError, message.createdAt, message.sentAt);
    }
}
