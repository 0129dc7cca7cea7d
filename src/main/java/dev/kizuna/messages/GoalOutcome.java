package dev.kizuna.messages;

import java.util.Locale;

/** What following a message's rule goal came to (message.goal_outcome; null while still followed). */
public enum GoalOutcome {
    /** The goal was reached within the window after the message. */
    CONVERTED,
    /** The window passed without the goal, or the goal had been reached before the message. */
    NOT_CONVERTED,
    /** Nothing to follow: the rule has no goal, or the message never went out (capped, suppressed, failed). */
    NOT_FOLLOWED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
