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
    SUPPRESSED;

    public String wireName() {
        return name().toLowerCase();
    }
}
