package dev.kizuna.messages;

/** A decision to store: which rule, for whom, why, the content as rendered, and an email's category and sender. */
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
        String sender) {

    /** What made the engine decide: an event (by messageId) or, later, a schedule firing. */
    public record Cause(String type, String ref, String detail) {

        public static Cause event(String messageId, String detail) {
            return new Cause("event", messageId, detail);
        }
    }
}
