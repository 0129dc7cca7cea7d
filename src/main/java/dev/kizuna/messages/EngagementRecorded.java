package dev.kizuna.messages;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Announced in the transaction that adds timeline entries which are engagement of a customer
 * (see {@link EngagementEvent}): whoever turns them into events of the recipient commits with the
 * entries, so each becomes exactly one event.
 */
public record EngagementRecorded(List<Occurrence> occurrences) {

    /** One entry, with what its event says: the message, its rule, template, sequence step (if any) and recipient. */
    public record Occurrence(
            EngagementEvent event,
            long messageId,
            String userId,
            String accountId,
            String ruleId,
            String templateId,
            String step,
            Channel channel,
            Instant at,
            Map<String, Object> details) {}
}
