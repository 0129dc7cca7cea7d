package dev.kizuna.ingest;

import dev.kizuna.messages.EngagementEvent;
import dev.kizuna.messages.EngagementRecorded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a customer's engagement with Kizuna's messages into track calls of the recipient, about
 * the message's account, appended to the log in the transaction that recorded the engagement.
 * They are then processed like the product's own calls: counted, triggering rules, reaching goals.
 */
@ApplicationScoped
class EngagementCalls {

    private final IngestPipeline pipeline;
    private final Clock clock;

    EngagementCalls(IngestPipeline pipeline, Clock clock) {
        this.pipeline = pipeline;
        this.clock = clock;
    }

    void onEngagement(@Observes EngagementRecorded recorded) {
        Instant now = clock.instant();
        List<SegmentCall> calls = new ArrayList<>(recorded.occurrences().size());
        for (EngagementRecorded.Occurrence occurrence : recorded.occurrences()) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("message_id", occurrence.messageId());
            properties.put("rule", occurrence.ruleId());
            properties.put("template", occurrence.templateId());
            if (occurrence.step() != null) {
                properties.put("step", occurrence.step());
            }
            properties.put("channel", occurrence.channel().wireName());
            properties.putAll(occurrence.details());
            calls.add(new SegmentCall(
                    CallType.TRACK,
                    messageIdOf(occurrence),
                    occurrence.userId(),
                    null,
                    null,
                    occurrence.accountId(),
                    occurrence.event().eventName(),
                    new LinkedHashMap<>(),
                    properties,
                    new LinkedHashMap<>(),
                    occurrence.at(),
                    now));
        }
        pipeline.appendRecorded(calls);
    }

    /** Readable in the event log: the message and the event, made unique for those that may come more than once. */
    private static String messageIdOf(EngagementRecorded.Occurrence occurrence) {
        String once = "kizuna-" + occurrence.messageId() + "-"
                + occurrence.event().eventName().substring(EngagementEvent.PREFIX.length());
        return switch (occurrence.event()) {
            case EMAIL_CLICKED, EMAIL_UNSUBSCRIBED -> once + "-" + UUID.randomUUID();
            default -> once;
        };
    }
}
