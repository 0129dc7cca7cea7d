package dev.kizuna.messages;

import dev.kizuna.common.MultiRowInsert;
import io.micrometer.core.instrument.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records every decision the engine made as a message, and what became of it: its content,
 * its sending, its failures, its goal. Each change of state also enters the message's timeline.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class MessageRecorder {

    private final MessageTimeline timeline;
    private final Clock clock;

    MessageRecorder(MessageTimeline timeline, Clock clock) {
        this.timeline = timeline;
        this.clock = clock;
    }

    public long record(NewMessage decision) {
        Message message = new Message();
        message.ruleId = decision.ruleId();
        message.ruleVersion = decision.ruleVersion();
        message.accountId = decision.accountId();
        message.userId = decision.userId();
        message.channel = decision.channel();
        message.templateId = decision.templateId();
        message.locale = decision.locale();
        message.status = decision.status();
        message.causeType = decision.cause().type();
        message.causeRef = decision.cause().ref();
        message.causeDetail = Message.truncate(decision.cause().detail(), 1000);
        message.recipient = decision.recipient();
        message.subject = decision.subject();
        message.bodyHtml = decision.bodyHtml();
        message.bodyText = decision.bodyText();
        message.lastError = Message.truncate(decision.error(), 2000);
        message.category = decision.category();
        message.sender = decision.sender();
        message.compliance = decision.compliance();
        counted(decision);
        message.createdAt = Instant.now(clock);
        message.persist();
        return message.id;
    }

    /** Ids for messages about to be written together: one query for all of them. */
    public List<Long> reserveIds(int count) {
        List<Long> ids = new ArrayList<>(count);
        for (Object id : Message.getEntityManager()
                .createNativeQuery("select nextval('message_id_sequence') from generate_series(1, ?1)")
                .setParameter(1, count)
                .getResultList()) {
            ids.add(((Number) id).longValue());
        }
        return ids;
    }

    /** Writes decisions whose ids were reserved, in one statement. */
    public void recordAll(List<MessageRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Object[]> values = new ArrayList<>(rows.size());
        for (MessageRow row : rows) {
            NewMessage decision = row.message();
            values.add(new Object[] {
                row.id(),
                decision.ruleId(),
                decision.ruleVersion(),
                decision.accountId(),
                decision.userId(),
                decision.channel().name(),
                decision.templateId(),
                decision.locale(),
                decision.status().name(),
                decision.cause().type(),
                decision.cause().ref(),
                Message.truncate(decision.cause().detail(), 1000),
                decision.recipient(),
                decision.subject(),
                decision.bodyHtml(),
                decision.bodyText(),
                Message.truncate(decision.error(), 2000),
                decision.category(),
                decision.sender(),
                decision.compliance(),
                row.variant(),
                row.createdAt()
            });
        }
        MultiRowInsert.insert("message", MESSAGE_COLUMNS, values);
        rows.forEach(row -> counted(row.message()));
    }

    /**
     * kizuna_decisions_total{rule, channel, status}: every decision recorded, by what became of it
     * (queued, sent, suppressed, failed, held_out, capped). Counted when written, in the deciding
     * transaction: one that rolls back is counted too, and decided again.
     */
    private static void counted(NewMessage decision) {
        Metrics.counter(
                        "kizuna.decisions",
                        "rule",
                        decision.ruleId(),
                        "channel",
                        decision.channel().wireName(),
                        "status",
                        decision.status().wireName())
                .increment();
    }

    private static final List<String> MESSAGE_COLUMNS = List.of(
            "id",
            "rule_id",
            "rule_version",
            "account_id",
            "user_id",
            "channel",
            "template_id",
            "locale",
            "status",
            "cause_type",
            "cause_ref",
            "cause_detail",
            "recipient",
            "subject",
            "body_html",
            "body_text",
            "last_error",
            "category",
            "sender",
            "compliance",
            "variant",
            "created_at");

    /**
     * The stable email Message-IDs of emails about to be sent, those not set yet written with one
     * update, so that every retry carries the same one. The emails come back with theirs.
     */
    public List<MessageSearch.EmailToSend> assignEmailMessageIds(
            List<MessageSearch.EmailToSend> emails, String domain) {
        List<MessageSearch.EmailToSend> withIds = new ArrayList<>(emails.size());
        List<MessageSearch.EmailToSend> assigned = new ArrayList<>();
        for (MessageSearch.EmailToSend email : emails) {
            if (email.headerMessageId() != null) {
                withIds.add(email);
                continue;
            }
            MessageSearch.EmailToSend withId = email.withHeaderMessageId(
                    "<kizuna." + email.id() + "." + email.createdAt().toEpochMilli() + "@" + domain + ">");
            withIds.add(withId);
            assigned.add(withId);
        }
        if (!assigned.isEmpty()) {
            StringBuilder sql = new StringBuilder("update message set header_message_id = case id");
            for (int i = 0; i < assigned.size(); i++) {
                sql.append(" when :id").append(i).append(" then :header").append(i);
            }
            sql.append(" end where header_message_id is null and id in (:ids)");
            var update = Message.getEntityManager().createNativeQuery(sql.toString());
            for (int i = 0; i < assigned.size(); i++) {
                update.setParameter("id" + i, assigned.get(i).id());
                update.setParameter("header" + i, assigned.get(i).headerMessageId());
            }
            update.setParameter(
                            "ids",
                            assigned.stream().map(MessageSearch.EmailToSend::id).toList())
                    .executeUpdate();
        }
        return withIds;
    }

    /**
     * Messages handed over (emails to the SMTP server, posts answered 2xx): sent, with one update
     * and one timeline insert for the set; a timeline entry says what the receiver answered, where known.
     */
    public void markAllSent(Collection<Long> ids, Map<Long, String> answers) {
        if (ids.isEmpty()) {
            return;
        }
        Message.getEntityManager()
                .createQuery("""
                        update Message m set m.status = :sent, m.sentAt = :now, m.attempts = m.attempts + 1, m.lastError = null
                         where m.id in :ids""")
                .setParameter("sent", MessageStatus.SENT)
                .setParameter("now", Instant.now(clock))
                .setParameter("ids", ids)
                .executeUpdate();
        if (answers.isEmpty()) {
            timeline.recordEvents(ids, MessageEventType.SENT);
        } else {
            Instant now = Instant.now(clock);
            timeline.recordEventsAt(ids.stream()
                    .map(id -> new MessageTimeline.Entry(id, MessageEventType.SENT, now, answers.get(id)))
                    .toList());
        }
    }

    /** A queued email not sent after all: the recipient became suppressed or unsubscribed while it waited. */
    public void markSuppressed(long id, String reason) {
        Message message = Message.findById(id);
        message.status = MessageStatus.SUPPRESSED;
        message.lastError = Message.truncate(reason, 2000);
        timeline.recordEvent(id, MessageEventType.SUPPRESSED, reason);
    }

    public void recordFailedAttempt(long id, String error, boolean giveUp) {
        Message message = Message.findById(id);
        message.attempts++;
        message.lastError = Message.truncate(error, 2000);
        if (giveUp) {
            message.status = MessageStatus.FAILED;
        }
        timeline.recordEvent(id, giveUp ? MessageEventType.FAILED : MessageEventType.ATTEMPT_FAILED, error);
    }

    /** A message whose rule's goal was reached at {@code reachedAt}, with how (for its timeline). */
    public record Conversion(long messageId, Instant reachedAt, String detail) {}

    /**
     * Marks messages converted, each with the time its goal was reached, which its timeline entry
     * carries too; messages attribution had already decided about are left as they are. A few
     * statements for the set. Returns how many were marked.
     */
    public int markConverted(List<Conversion> conversions) {
        if (conversions.isEmpty()) {
            return 0;
        }
        @SuppressWarnings("unchecked")
        List<Number> open = Message.getEntityManager()
                .createNativeQuery(
                        "select id from message where id in (?1) and goal_outcome is null order by id for update")
                .setParameter(1, conversions.stream().map(Conversion::messageId).toList())
                .getResultList();
        java.util.Set<Long> undecided = new java.util.HashSet<>();
        open.forEach(id -> undecided.add(id.longValue()));
        List<Conversion> marking = conversions.stream()
                .filter(conversion -> undecided.contains(conversion.messageId()))
                .toList();
        Map<Instant, List<Long>> byTime = new HashMap<>();
        marking.forEach(conversion -> byTime.computeIfAbsent(conversion.reachedAt(), at -> new ArrayList<>())
                .add(conversion.messageId()));
        byTime.forEach((reachedAt, ids) -> Message.getEntityManager()
                .createNativeQuery("update message set converted_at = ?1, goal_outcome = ?2 where id in (?3)")
                .setParameter(1, reachedAt)
                .setParameter(2, GoalOutcome.CONVERTED.wireName())
                .setParameter(3, ids)
                .executeUpdate());
        timeline.recordEventsAt(marking.stream()
                .map(conversion -> new MessageTimeline.Entry(
                        conversion.messageId(),
                        MessageEventType.CONVERTED,
                        conversion.reachedAt(),
                        conversion.detail()))
                .toList());
        return marking.size();
    }

    /** Stops following the goal of these messages, with the outcome; messages already decided keep theirs. */
    public int closeGoal(Collection<Long> ids, GoalOutcome outcome) {
        if (ids.isEmpty()) {
            return 0;
        }
        return Message.getEntityManager()
                .createNativeQuery("update message set goal_outcome = ?1 where id in (?2) and goal_outcome is null")
                .setParameter(1, outcome.wireName())
                .setParameter(2, ids)
                .executeUpdate();
    }

    /** Records until when each of these messages is followed (the end of its goal's window); decided messages are left alone. */
    public void followGoalUntil(Map<Long, Instant> windowEnds) {
        Map<Instant, List<Long>> byEnd = new HashMap<>();
        windowEnds.forEach((id, end) ->
                byEnd.computeIfAbsent(end, key -> new ArrayList<>()).add(id));
        byEnd.forEach((end, ids) -> {
            for (int from = 0; from < ids.size(); from += 1000) {
                Message.getEntityManager()
                        .createNativeQuery(
                                "update message set goal_window_ends_at = ?1 where id in (?2) and goal_outcome is null")
                        .setParameter(1, end)
                        .setParameter(2, ids.subList(from, Math.min(ids.size(), from + 1000)))
                        .executeUpdate();
            }
        });
    }

    /** Erasure: the user's messages stay for the statistics, without their personal content. */
    public int redactUser(String userId) {
        MessageEvent.update(
                "detail = null where messageId in (select m.id from Message m where m.userId = ?1)", userId);
        return Message.update(
                "recipient = null, subject = null, bodyHtml = null, bodyText = null, causeDetail = null, "
                        + "lastError = case when lastError is null then null else 'erased' end where userId = ?1",
                userId);
    }
}
