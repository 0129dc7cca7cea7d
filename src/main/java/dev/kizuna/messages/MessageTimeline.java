package dev.kizuna.messages;

import dev.kizuna.accounts.Identities;
import dev.kizuna.common.MultiRowInsert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What happened to each message after it was decided: sent, opened, clicked, seen, bounced,
 * converted… Entries that are a customer's engagement are announced ({@link EngagementRecorded})
 * in the same transaction, to become events of the recipient.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class MessageTimeline {

    private final Clock clock;
    private final Event<EngagementRecorded> engagement;

    private final Identities identities;

    MessageTimeline(Clock clock, Event<EngagementRecorded> engagement, Identities identities) {
        this.clock = clock;
        this.engagement = engagement;
        this.identities = identities;
    }

    /** Adds an entry to the message's timeline. */
    public void recordEvent(long id, MessageEventType type, String detail) {
        Instant now = Instant.now(clock);
        MessageEvent event = new MessageEvent();
        event.messageId = id;
        event.type = type;
        event.occurredAt = now;
        event.detail = Message.truncate(detail, 2000);
        event.persist();
        announce(List.of(new Entry(id, type, now, detail)));
    }

    /** Adds the same entry, without detail, to the timelines of several messages, with one statement. */
    void recordEvents(Collection<Long> ids, MessageEventType type) {
        Instant now = Instant.now(clock);
        MultiRowInsert.insert(
                "message_event",
                List.of("message_id", "type", "occurred_at"),
                ids.stream().map(id -> new Object[] {id, type.name(), now}).toList());
        announce(ids.stream().map(id -> new Entry(id, type, now, null)).toList());
    }

    /** An entry of some message's timeline. */
    record Entry(long messageId, MessageEventType type, Instant occurredAt, String detail) {}

    /** Adds entries to the timelines of several messages, with a statement per chunk. */
    void recordEventsAt(List<Entry> entries) {
        if (!entries.isEmpty()) {
            MultiRowInsert.insert(
                    "message_event",
                    List.of("message_id", "type", "occurred_at", "detail"),
                    entries.stream()
                            .map(entry -> new Object[] {
                                entry.messageId(),
                                entry.type().name(),
                                entry.occurredAt(),
                                Message.truncate(entry.detail(), 2000)
                            })
                            .toList());
            announce(entries);
        }
    }

    /** The entries that are engagement of a customer, with their messages' rule, template and recipient read in one query per thousand. */
    private void announce(List<Entry> entries) {
        List<Entry> engaging = entries.stream()
                .filter(entry -> EngagementEvent.mayBeEngagement(entry.type()))
                .toList();
        if (engaging.isEmpty()) {
            return;
        }
        Map<Long, Object[]> messages = new HashMap<>();
        List<Long> ids = engaging.stream().map(Entry::messageId).distinct().toList();
        for (int from = 0; from < ids.size(); from += 1000) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = Message.getEntityManager()
                    .createNativeQuery("""
                            select m.id, m.user_id, m.account_id, m.rule_id, m.template_id, m.channel, m.cause_type, m.cause_ref
                              from message m where m.id in (?1) and m.user_id is not null""")
                    .setParameter(1, ids.subList(from, Math.min(ids.size(), from + 1000)))
                    .getResultList();
            rows.forEach(row -> messages.put(((Number) row[0]).longValue(), row));
        }
        // Only messages whose recipient is still a user: the messages of an erased user make no events.
        Set<String> users = identities.existingUsers(
                messages.values().stream().map(row -> (String) row[1]).collect(Collectors.toSet()));
        List<EngagementRecorded.Occurrence> occurrences = new ArrayList<>();
        for (Entry entry : engaging) {
            Object[] message = messages.get(entry.messageId());
            if (message == null || !users.contains((String) message[1])) {
                continue;
            }
            Channel channel = Channel.valueOf((String) message[5]);
            // A sequence's step message names its entry and step: "<entry>/<step>".
            String step = "sequence".equals(message[6]) && message[7] instanceof String ref && ref.contains("/")
                    ? ref.substring(ref.indexOf('/') + 1)
                    : null;
            EngagementEvent.of(entry.type(), channel)
                    .ifPresent(event -> occurrences.add(new EngagementRecorded.Occurrence(
                            event,
                            entry.messageId(),
                            (String) message[1],
                            (String) message[2],
                            (String) message[3],
                            (String) message[4],
                            step,
                            channel,
                            entry.occurredAt(),
                            detailsOf(event, entry.detail()))));
        }
        if (!occurrences.isEmpty()) {
            engagement.fire(new EngagementRecorded(occurrences));
        }
    }

    /** What an event says besides its message: the link clicked, what was unsubscribed from, why it bounced. */
    private static Map<String, Object> detailsOf(EngagementEvent event, String detail) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (detail != null) {
            switch (event) {
                case EMAIL_CLICKED, NUDGE_CLICKED -> details.put("url", detail);
                case EMAIL_UNSUBSCRIBED -> details.put("detail", detail);
                case EMAIL_BOUNCED -> details.put("reason", Message.truncate(detail, 500));
                default -> {}
            }
        }
        return details;
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
        return MessageEvent.<MessageEvent>find("messageId = ?1 order by id", id).list().stream()
                .map(event -> new MessageView.TimelineEntry(event.type.wireName(), event.occurredAt, event.detail))
                .toList();
    }
}
