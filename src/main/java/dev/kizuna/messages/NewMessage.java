package dev.kizuna.messages;

/**
 * A decision to store: which rule, for whom, why, the content as rendered, and an email's category,
 * sender and what the check of 特定電子メール法 found in it (the codes of the items missing, comma-separated;
 * empty when none is; null when not checked).
 */
public record NewMessage(
        String ruleId,
        String ruleVersion,
        String accountId,
        String userId,
        Channel channel,
        String templateId,
        String locale,
        MessageStatus status,
        Cause cause,
        String recipient,
        String subject,
        String bodyHtml,
        String bodyText,
        String error,
        String category,
        String sender,
        String compliance) {

    /** What made the engine decide: an event (by messageId) or, later, a schedule firing. */
    public record Cause(String type, String ref, String detail) {

        public static Cause event(String messageId, String detail) {
            return new Cause("event", messageId, detail);
        }
    }
}
