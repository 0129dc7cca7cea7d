package dev.kizuna.messages;

/** Where a message stands. */
public enum MessageStatus {
    /** Decided and waiting in the outbox for the email sender. */
    QUEUED,
    /** Handed to the SMTP server, or placed in the user's in-app inbox. */
    SENT,
    /** Could not be rendered or delivered; last_error says why. */
    FAILED,
    /** Not sent: the address is on the suppression list. */
    SUPPRESSED,
    /** Not sent on purpose: the recipient is in the rule's holdout group, kept to measure the rule's effect. */
    HELD_OUT,
    /** Not sent: a frequency cap, or a higher-priority message on the same channel at the same time. */
    CAPPED;

    public String wireName() {
        return name().toLowerCase();
    }

    /** The status as the message table stores it, quoted for SQL written as text: 'SENT'. */
    public String sqlLiteral() {
        return "'" + name() + "'";
    }
}
