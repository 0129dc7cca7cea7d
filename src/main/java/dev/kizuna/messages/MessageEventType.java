package dev.kizuna.messages;

import java.util.Locale;

/** Things that happen to a message after the decision, in the order they usually come. */
public enum MessageEventType {
    /** The SMTP server accepted the email. */
    SENT,
    /** An SMTP attempt failed for now; another follows. */
    ATTEMPT_FAILED,
    /** The email was given up on: a permanent failure or too many attempts. */
    FAILED,
    /** The SMTP server rejected the recipient for good; the address is suppressed. */
    BOUNCED,
    /** Not sent after all: the recipient unsubscribed or was suppressed while it waited. */
    SUPPRESSED,
    OPENED,
    CLICKED,
    UNSUBSCRIBED,
    /** An in-app nudge was shown to the user. */
    SEEN,
    DISMISSED,
    /** The rule's goal was reached within its window after the message; the detail says how long it took. */
    CONVERTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type as the message_event table stores it, quoted for SQL written as text: 'OPENED'. */
    public String sqlLiteral() {
        return "'" + name() + "'";
    }
}
