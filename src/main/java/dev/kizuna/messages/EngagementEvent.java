package dev.kizuna.messages;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What happens to a message that becomes an event of its recipient, usable in triggers,
 * conditions and goals like the product's own events. The names start with {@code kizuna.}, a
 * prefix products cannot send, so they never collide with the product's events.
 */
public enum EngagementEvent {
    EMAIL_DELIVERED("kizuna.email.delivered"),
    EMAIL_OPENED("kizuna.email.opened"),
    EMAIL_CLICKED("kizuna.email.clicked"),
    EMAIL_BOUNCED("kizuna.email.bounced"),
    EMAIL_UNSUBSCRIBED("kizuna.email.unsubscribed"),
    NUDGE_SEEN("kizuna.nudge.seen"),
    NUDGE_CLICKED("kizuna.nudge.clicked"),
    NUDGE_DISMISSED("kizuna.nudge.dismissed"),
    MESSAGE_CONVERTED("kizuna.message.converted");

    /** The prefix of every event Kizuna records itself. */
    public static final String PREFIX = "kizuna.";

    private final String eventName;

    EngagementEvent(String eventName) {
        this.eventName = eventName;
    }

    public String eventName() {
        return eventName;
    }

    /**
     * The name an event is also counted under for one rule's messages, so that a condition can ask
     * "clicked an email of this rule" from the counts it already reads.
     */
    public String ofRule(String ruleId) {
        return eventName + ":" + ruleId;
    }

    /** Whether the name is one of these events (a name with the prefix that is not is a mistake). */
    public static boolean isKnown(String eventName) {
        return named(eventName).isPresent();
    }

    /** The event of this name, if it is one. */
    public static Optional<EngagementEvent> named(String eventName) {
        if (eventName == null || !eventName.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return Arrays.stream(values())
                .filter(event -> event.eventName.equals(eventName))
                .findFirst();
    }

    /** The names, for messages that list them. */
    public static String names() {
        return Arrays.stream(values()).map(EngagementEvent::eventName).collect(Collectors.joining(", "));
    }

    /**
     * The event a timeline entry of a message on this channel is, if any. Alerts to a CSM are
     * not the customer's engagement; failed attempts and suppressions are Kizuna's, not the recipient's.
     */
    public static Optional<EngagementEvent> of(MessageEventType type, Channel channel) {
        if (channel == Channel.EMAIL) {
            return Optional.ofNullable(
                    switch (type) {
                        case SENT -> EMAIL_DELIVERED;
                        case OPENED -> EMAIL_OPENED;
                        case CLICKED -> EMAIL_CLICKED;
                        case BOUNCED -> EMAIL_BOUNCED;
                        case UNSUBSCRIBED -> EMAIL_UNSUBSCRIBED;
                        case CONVERTED -> MESSAGE_CONVERTED;
                        default -> null;
                    });
        }
        if (channel == Channel.INAPP) {
            return Optional.ofNullable(
                    switch (type) {
                        case SEEN -> NUDGE_SEEN;
                        case CLICKED -> NUDGE_CLICKED;
                        case DISMISSED -> NUDGE_DISMISSED;
                        case CONVERTED -> MESSAGE_CONVERTED;
                        default -> null;
                    });
        }
        return Optional.empty();
    }

    /** Whether some channel's entry of this type is an engagement event: only those are announced. */
    static boolean mayBeEngagement(MessageEventType type) {
        return of(type, Channel.EMAIL).isPresent() || of(type, Channel.INAPP).isPresent();
    }
}
