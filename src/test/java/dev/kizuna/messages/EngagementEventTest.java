package dev.kizuna.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which entries of a message's timeline are events of its recipient, and under which names. */
class EngagementEventTest {

    @Test
    void anEmailsDeliveryOpensClicksBounceUnsubscribeAndConversionAreEvents() {
        assertEquals(
                Optional.of(EngagementEvent.EMAIL_DELIVERED), EngagementEvent.of(MessageEventType.SENT, Channel.EMAIL));
        assertEquals(
                Optional.of(EngagementEvent.EMAIL_OPENED), EngagementEvent.of(MessageEventType.OPENED, Channel.EMAIL));
        assertEquals(
                Optional.of(EngagementEvent.EMAIL_CLICKED),
                EngagementEvent.of(MessageEventType.CLICKED, Channel.EMAIL));
        assertEquals(
                Optional.of(EngagementEvent.EMAIL_BOUNCED),
                EngagementEvent.of(MessageEventType.BOUNCED, Channel.EMAIL));
        assertEquals(
                Optional.of(EngagementEvent.EMAIL_UNSUBSCRIBED),
                EngagementEvent.of(MessageEventType.UNSUBSCRIBED, Channel.EMAIL));
        assertEquals(
                Optional.of(EngagementEvent.MESSAGE_CONVERTED),
                EngagementEvent.of(MessageEventType.CONVERTED, Channel.EMAIL));
        assertEquals(
                Optional.empty(),
                EngagementEvent.of(MessageEventType.ATTEMPT_FAILED, Channel.EMAIL),
                "Kizuna's retries are its own");
        assertEquals(Optional.empty(), EngagementEvent.of(MessageEventType.SUPPRESSED, Channel.EMAIL));
    }

    @Test
    void aNudgesActionsAreEventsAndAlertsAndPostsAreNot() {
        assertEquals(Optional.of(EngagementEvent.NUDGE_SEEN), EngagementEvent.of(MessageEventType.SEEN, Channel.INAPP));
        assertEquals(
                Optional.of(EngagementEvent.NUDGE_CLICKED),
                EngagementEvent.of(MessageEventType.CLICKED, Channel.INAPP));
        assertEquals(
                Optional.of(EngagementEvent.NUDGE_DISMISSED),
                EngagementEvent.of(MessageEventType.DISMISSED, Channel.INAPP));
        assertEquals(
                Optional.of(EngagementEvent.MESSAGE_CONVERTED),
                EngagementEvent.of(MessageEventType.CONVERTED, Channel.INAPP));
        for (Channel notTheCustomers : new Channel[] {Channel.CSM, Channel.WEBHOOK, Channel.SLACK}) {
            for (MessageEventType type : MessageEventType.values()) {
                assertEquals(Optional.empty(), EngagementEvent.of(type, notTheCustomers), notTheCustomers + " " + type);
            }
        }
    }

    @Test
    void theNamesAreKizunasOwnAndCountedPerRule() {
        for (EngagementEvent event : EngagementEvent.values()) {
            assertTrue(event.eventName().startsWith(EngagementEvent.PREFIX), event.eventName());
            assertTrue(EngagementEvent.isKnown(event.eventName()));
            assertEquals(Optional.of(event), EngagementEvent.named(event.eventName()));
        }
        assertFalse(EngagementEvent.isKnown("kizuna.email.click"));
        assertEquals(
                "kizuna.email.clicked:welcome-new-workspace",
                EngagementEvent.EMAIL_CLICKED.ofRule("welcome-new-workspace"));
    }
}
