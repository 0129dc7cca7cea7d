package dev.kizuna.messages;

import dev.kizuna.common.MultiRowInsert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** What happened to each message after it was decided: sent, opened, clicked, seen, bounced, converted… */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class MessageTimeline {

    private final Clock clock;

    MessageTimeline(Clock clock) {
        this.clock = clock;
    }

    /** Adds an entry to the message's timeline. */
    public void recordEvent(long id, MessageEventType type, String detail) {
        recordEventAt(id, type, Instant.now(clock), detail);
    }

    /** Adds the same entry, without detail, to the timelines of several messages, with one statement. */
    void recordEvents(Collection<Long> ids, MessageEventType type) {
        Instant now = Instant.now(clock);
        MultiRowInsert.insert("message_event", List.of("message_id", "type", "occurred_at"),
                ids.stream().map(id -> new Object[] {id, type.name(), now}).toList());
    }

    /** An entry of some message's timeline. */
    record Entry(long messageId, MessageEventType type, Instant occurredAt, String detail) {}

    /** Adds entries to the timelines of several messages, with a statement per chunk. */
    void recordEventsAt(List<Entry> entries) {
        if (!entries.isEmpty()) {
            MultiRowInsert.insert("message_event", List.of("message_id", "type", "occurred_at", "detail"), entries.stream()
                    .map(entry -> new Object[] {entry.messageId(), entry.type().name(), entry.occurredAt(), Message.truncate(entry.detail(), 2000)})
                    .toList());
        }
    }

    /** Adds an entry that happened at a given time (a goal reached before it was attributed). */
    void recordEventAt(long id, MessageEventType type, Instant occurredAt, String detail) {
        MessageEvent event = new MessageEvent();
        event.messageId = id;
        event.type = type;
        event.occurredAt = occurredAt;
        event.detail = Message.truncate(detail, 2000);
        event.persist();
    }

    /** Whether the timeline already has an entry of this type (e.g. a first open). */
    public boolean hasEvent(long id, MessageEventType type) {
        return countEvents(id, type) > 0;
    }

    public long countEvents(long id, MessageEventType type) {
        return MessageEvent.getEntityManager()
                .createQuery("select count(e) from MessageEvent e where e.messageId = ?1 and e.type = ?2", Long.class)
                .setParameter(1, id)
                .setParameter(2, type)
                .getSingleResult();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<MessageView.TimelineEntry> timeline(long id) {
        return MessageEvent.<MessageEvent>find("messageId = ?1 order by id", id)
                .list()
                .stream()
                .map(event -> new MessageView.TimelineEntry(event.type.wireName(), event.occurredAt, event.detail))
                .toList();
    }
}
