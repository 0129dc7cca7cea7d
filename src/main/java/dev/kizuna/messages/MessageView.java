package dev.kizuna.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

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
        String variant,
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
        String category,
        String sender,
        Compliance compliance,
        Instant createdAt,
        Instant sentAt,
        Instant convertedAt,
        List<TimelineEntry> timeline) {

    public record Cause(String type, String ref, String explanation) {}

    /**
     * What the check of 特定電子メール法 found in a commercial email when it was decided: the codes
     * of the items missing (unsubscribe_link, sender_name, postal_address, contact), none when complete.
     */
    public record Compliance(List<String> missing) {

        static Compliance of(String codes) {
            return codes == null ? null : new Compliance(codes.isEmpty() ? List.of() : List.of(codes.split(",")));
        }
    }

    /** Something that happened to the message: sent, opened, clicked, unsubscribed, seen, dismissed... */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TimelineEntry(String type, Instant at, String detail) {}

    /** The same message with its timeline, for the detail view (lists leave it out). */
    MessageView withTimeline(List<TimelineEntry> entries) {
        return new MessageView(
                id,
                rule,
                ruleVersion,
                accountId,
                userId,
                channel,
                template,
                variant,
                locale,
                status,
                cause,
                recipient,
                subject,
                bodyHtml,
                bodyText,
                emailMessageId,
                attempts,
                error,
                category,
                sender,
                compliance,
                createdAt,
                sentAt,
                convertedAt,
                entries);
    }

    static MessageView of(Message message) {
        return new MessageView(
                message.id,
                message.ruleId,
                message.ruleVersion,
                message.accountId,
                message.userId,
                message.channel.wireName(),
                message.templateId,
                message.variant,
                message.locale,
                message.status.wireName(),
                new Cause(message.causeType, message.causeRef, message.causeDetail),
                message.recipient,
                message.subject,
                message.bodyHtml,
                message.bodyText,
                message.headerMessageId,
                message.attempts,
                message.lastError,
                message.category,
                message.sender,
                Compliance.of(message.compliance),
                message.createdAt,
                message.sentAt,
                message.convertedAt,
                null);
    }
}
