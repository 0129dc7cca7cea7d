package dev.kizuna.delivery.inapp;

import dev.kizuna.messages.MessageEventType;
import java.util.Locale;

/** What the product reports a user did with a nudge. */
public enum NudgeAction {
    /** Shown to the user; the nudge stays pending. */
    SEEN(MessageEventType.SEEN),
    /** The call to action was followed; the nudge ends. */
    CLICKED(MessageEventType.CLICKED),
    /** Closed by the user; the nudge ends. */
    DISMISSED(MessageEventType.DISMISSED);

    private final MessageEventType timelineEntry;

    NudgeAction(MessageEventType timelineEntry) {
        this.timelineEntry = timelineEntry;
    }

    MessageEventType timelineEntry() {
        return timelineEntry;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
