package dev.kizuna.tracking;

import dev.kizuna.messages.Channel;
import dev.kizuna.messages.MessageEventType;
import dev.kizuna.messages.MessageSearch;
import dev.kizuna.messages.MessageTimeline;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Optional;

/** What recipients do with an email (open, click, unsubscribe), recorded on the message's timeline. */
@ApplicationScoped
public class Engagement {

    /** Enough to see what was clicked, not so many that a link-checking robot can flood a timeline. */
    private static final int MAX_CLICKS_RECORDED = 50;

    private final MessageSearch messages;
    private final MessageTimeline timeline;
    private final Subscriptions subscriptions;
    private final SuppressionList suppressions;
    private final Consents consents;
    private final Clock clock;

    Engagement(
            MessageSearch messages,
            MessageTimeline timeline,
            Subscriptions subscriptions,
            SuppressionList suppressions,
            Consents consents,
            Clock clock) {
        this.messages = messages;
        this.timeline = timeline;
        this.subscriptions = subscriptions;
        this.suppressions = suppressions;
        this.consents = consents;
        this.clock = clock;
    }

    /** The first open counts; later ones (the same person, or an image proxy) add nothing. */
    @Transactional
    public void opened(long messageId) {
        if (messages.addressee(messageId).isPresent() && !timeline.hasEvent(messageId, MessageEventType.OPENED)) {
            timeline.recordEvent(messageId, MessageEventType.OPENED, null);
        }
    }

    /** A click also proves an open that a blocked image did not report. */
    @Transactional
    public void clicked(long messageId, String target) {
        if (messages.addressee(messageId).isEmpty()) {
            return;
        }
        if (!timeline.hasEvent(messageId, MessageEventType.OPENED)) {
            timeline.recordEvent(messageId, MessageEventType.OPENED, "implied by a click");
        }
        if (timeline.countEvents(messageId, MessageEventType.CLICKED) < MAX_CLICKS_RECORDED) {
            timeline.recordEvent(messageId, MessageEventType.CLICKED, target);
        }
    }

    /** Who an unsubscribe link is for, for the page that confirms it. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<MessageSearch.Addressee> addressee(long messageId) {
        return messages.addressee(messageId).filter(addressee -> addressee.channel() == Channel.EMAIL);
    }

    /**
     * Unsubscribes the recipient of a message from its category, or from all email (the address
     * goes on the suppression list); either withdraws the consents it covers. Saying it twice
     * changes nothing.
     */
    @Transactional
    public boolean unsubscribe(long messageId, boolean fromAll) {
        Optional<MessageSearch.Addressee> found = addressee(messageId);
        if (found.isEmpty()) {
            return false;
        }
        MessageSearch.Addressee addressee = found.get();
        if (addressee.userId() != null) {
            consents.withdrawStanding(
                    addressee.userId(),
                    fromAll ? null : addressee.category(),
                    new Consents.Evidence(
                            clock.instant(), "unsubscribe link of message " + messageId, null, null, null));
        }
        if (fromAll) {
            if (addressee.recipient() != null && !suppressions.isSuppressed(addressee.recipient())) {
                suppressions.suppress(addressee.recipient(), SuppressionList.UNSUBSCRIBED);
                timeline.recordEvent(messageId, MessageEventType.UNSUBSCRIBED, "from all email");
            }
            return true;
        }
        String category = addressee.category();
        if (addressee.userId() != null
                && category != null
                && subscriptions.isSubscribed(addressee.userId(), category)) {
            subscriptions.set(addressee.userId(), category, false);
            timeline.recordEvent(messageId, MessageEventType.UNSUBSCRIBED, "from '" + category + "' emails");
        }
        return true;
    }
}
