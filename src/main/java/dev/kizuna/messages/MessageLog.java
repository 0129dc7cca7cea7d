package dev.kizuna.messages;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every decision the engine made, and what became of it. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class MessageLog implements MessageHistory {

    private final Clock clock;

    MessageLog(Clock clock) {
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
        message.causeDetail = truncate(decision.cause().detail(), 1000);
        message.recipient = decision.recipient();
        message.subject = decision.subject();
        message.bodyHtml = decision.bodyHtml();
        message.bodyText = decision.bodyText();
        message.lastError = truncate(decision.error(), 2000);
        message.category = decision.category();
        message.sender = decision.sender();
        message.createdAt = Instant.now(clock);
        message.persist();
        return message.id;
    }

    /**
     * Sets the content of a message recorded before it was rendered: its links carry its id, so
     * an email is recorded first, then rendered, then given its content.
     */
    public void setContent(long id, String subject, String html, String text, String locale, String variant) {
        Message message = Message.findById(id);
        message.variant = variant;
        message.subject = subject;
        message.bodyHtml = html;
        message.bodyText = text;
        message.locale = locale;
    }

    /** The segment variant a message was rendered from, where it was not the template's own files. */
    public void setVariant(long id, String variant) {
        Message.<Message>findById(id).variant = variant;
    }

    /** A message that could not be made (its template failed): it fails with the reason. */
    public void failBeforeSending(long id, String error) {
        Message message = Message.findById(id);
        message.status = MessageStatus.FAILED;
        message.lastError = truncate(error, 2000);
    }

    public Instant createdAt(long id) {
        return Message.<Message>findById(id).createdAt;
    }

    /** Adds an entry to the message's timeline. */
    public void recordEvent(long id, MessageEventType type, String detail) {
        MessageEvent event = new MessageEvent();
        event.messageId = id;
        event.type = type;
        event.occurredAt = Instant.now(clock);
        event.detail = truncate(detail, 2000);
        event.persist();
    }

    /**
     * Marks a message converted: its rule's goal was reached at {@code reachedAt}. The timeline
     * entry carries that time. False if attribution had already decided about the message.
     */
    public boolean markConverted(long id, Instant reachedAt, String detail) {
        int updated = Message.getEntityManager()
                .createNativeQuery("update message set converted_at = ?1, goal_outcome = ?2 where id = ?3 and goal_outcome is null")
                .setParameter(1, reachedAt)
                .setParameter(2, GoalOutcome.CONVERTED.wireName())
                .setParameter(3, id)
                .executeUpdate();
        if (updated == 0) {
            return false;
        }
        MessageEvent event = new MessageEvent();
        event.messageId = id;
        event.type = MessageEventType.CONVERTED;
        event.occurredAt = reachedAt;
        event.detail = truncate(detail, 2000);
        event.persist();
        return true;
    }

    /** Stops following the goal of these messages, with the outcome; messages already decided keep theirs. */
    public int closeGoal(java.util.Collection<Long> ids, GoalOutcome outcome) {
        if (ids.isEmpty()) {
            return 0;
        }
        return Message.getEntityManager()
                .createNativeQuery("update message set goal_outcome = ?1 where id in (?2) and goal_outcome is null")
                .setParameter(1, outcome.wireName())
                .setParameter(2, ids)
                .executeUpdate();
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

    /** The stable email Message-ID of a message, set once so that every retry carries the same one. */
    public String assignEmailMessageId(long id, String domain) {
        Message message = Message.findById(id);
        if (message.headerMessageId == null) {
            message.headerMessageId = "<kizuna." + id + "." + message.createdAt.toEpochMilli() + "@" + domain + ">";
        }
        return message.headerMessageId;
    }

    public void markSent(long id) {
        Message message = Message.findById(id);
        message.status = MessageStatus.SENT;
        message.sentAt = Instant.now(clock);
        message.attempts++;
        message.lastError = null;
        recordEvent(id, MessageEventType.SENT, null);
    }

    /** A queued email not sent after all: the recipient became suppressed or unsubscribed while it waited. */
    public void markSuppressed(long id, String reason) {
        Message message = Message.findById(id);
        message.status = MessageStatus.SUPPRESSED;
        message.lastError = truncate(reason, 2000);
        recordEvent(id, MessageEventType.SUPPRESSED, reason);
    }

    public void recordFailedAttempt(long id, String error, boolean giveUp) {
        Message message = Message.findById(id);
        message.attempts++;
        message.lastError = truncate(error, 2000);
        if (giveUp) {
            message.status = MessageStatus.FAILED;
        }
        recordEvent(id, giveUp ? MessageEventType.FAILED : MessageEventType.ATTEMPT_FAILED, error);
    }

    /** Erasure: the user's messages stay for the statistics, without their personal content. */
    public int redactUser(String userId) {
        MessageEvent.update("detail = null where messageId in (select m.id from Message m where m.userId = ?1)", userId);
        return Message.update("recipient = null, subject = null, bodyHtml = null, bodyText = null, causeDetail = null, "
                + "lastError = case when lastError is null then null else 'erased' end where userId = ?1", userId);
    }

    /** The statuses that count as "got the rule's message" for once-per limits: held out counts too. */
    private static final List<MessageStatus> RECEIVED = List.of(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.HELD_OUT);
    private static final List<MessageStatus> DELIVERING = List.of(MessageStatus.QUEUED, MessageStatus.SENT);
    private static final Instant EVER = Instant.EPOCH;

    @Override
    public boolean userReceived(String ruleId, String userId, Instant since) {
        return anyReceived("userId", ruleId, userId, since);
    }

    @Override
    public boolean accountReceived(String ruleId, String accountId, Instant since) {
        return anyReceived("accountId", ruleId, accountId, since);
    }

    /**
     * Whether a message of the rule reached the subject since then. Written as a query of its own
     * rather than a Panache count: Hibernate plans a count query anew on every call, and this
     * check runs for every decision.
     */
    private boolean anyReceived(String subject, String ruleId, String subjectId, Instant since) {
        return !Message.getEntityManager()
                .createQuery("select m.id from Message m where m.ruleId = ?1 and m." + subject + " = ?2 and m.status in ?3 and m.createdAt >= ?4",
                        Long.class)
                .setParameter(1, ruleId)
                .setParameter(2, subjectId)
                .setParameter(3, RECEIVED)
                .setParameter(4, since == null ? EVER : since)
                .setMaxResults(1)
                .getResultList()
                .isEmpty();
    }

    @Override
    public Instant lastReceived(String ruleId, String accountId, String userId) {
        String subject = accountId != null ? "accountId" : "userId";
        return Message.getEntityManager()
                .createQuery("select max(m.createdAt) from Message m where m.ruleId = ?1 and m." + subject + " = ?2 and m.status in ?3",
                        Instant.class)
                .setParameter(1, ruleId)
                .setParameter(2, accountId != null ? accountId : userId)
                .setParameter(3, RECEIVED)
                .getSingleResult();
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Set<String> accountsWithCause(String ruleId, String causeRef) {
        return new java.util.HashSet<>(Message.getEntityManager()
                .createQuery("select distinct m.accountId from Message m where m.ruleId = ?1 and m.causeRef = ?2 and m.accountId is not null",
                        String.class)
                .setParameter(1, ruleId)
                .setParameter(2, causeRef)
                .getResultList());
    }

    @Override
    public long sentToUser(String userId, Channel channel, Instant since) {
        return Message.getEntityManager()
                .createQuery("select count(m) from Message m where m.userId = ?1 and m.channel = ?2 and m.status in ?3 and m.createdAt >= ?4",
                        Long.class)
                .setParameter(1, userId)
                .setParameter(2, channel)
                .setParameter(3, DELIVERING)
                .setParameter(4, since)
                .getSingleResult();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<MessageView> find(long id) {
        return Message.<Message>findByIdOptional(id).map(message -> MessageView.of(message).withTimeline(timeline(id)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<EmailToSend> emailToSend(long id) {
        Message message = Message.findById(id);
        if (message == null || message.channel == Channel.INAPP || message.status != MessageStatus.QUEUED) {
            return Optional.empty();
        }
        return Optional.of(new EmailToSend(message.id, message.userId, message.channel, message.category, message.sender,
                message.recipient, message.subject, message.bodyHtml, message.bodyText, message.headerMessageId, message.attempts,
                message.createdAt));
    }

    /** What the email sender needs of a queued message. */
    public record EmailToSend(long id, String userId, Channel channel, String category, String sender, String recipient,
            String subject, String html, String text, String headerMessageId, int attempts, Instant createdAt) {}

    /** Who a message went to and in which category: what an unsubscribe link acts on. */
    public record Addressee(long id, String userId, String recipient, Channel channel, String category, String locale) {}

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Addressee> addressee(long id) {
        return Message.<Message>findByIdOptional(id)
                .map(message -> new Addressee(message.id, message.userId, message.recipient, message.channel, message.category,
                        message.locale));
    }

    /** How many messages each rule produced, by status. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Map<String, java.util.Map<String, Long>> countsByRule() {
        java.util.Map<String, java.util.Map<String, Long>> counts = new java.util.TreeMap<>();
        for (Object[] row : Message.getEntityManager()
                .createQuery("select m.ruleId, m.status, count(m) from Message m group by m.ruleId, m.status", Object[].class)
                .getResultList()) {
            counts.computeIfAbsent((String) row[0], rule -> new java.util.TreeMap<>())
                    .put(((MessageStatus) row[1]).wireName(), (Long) row[2]);
        }
        return counts;
    }

    /**
     * Filters of the message log; null means any. Newest first, paged by id. {@code from}
     * (inclusive) and {@code to} (exclusive) bound when the message was decided; {@code search}
     * is a case-insensitive part of the subject or the recipient.
     */
    public record Query(String accountId, String userId, String ruleId, Channel channel, MessageStatus status, Instant from,
            Instant to, String search, Long beforeId, int limit) {

        public Query(String accountId, String userId, String ruleId, Channel channel, MessageStatus status, Long beforeId, int limit) {
            this(accountId, userId, ruleId, channel, status, null, null, null, beforeId, limit);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<MessageView> list(Query query) {
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (query.accountId() != null) {
            where.add("accountId = :accountId");
            parameters.and("accountId", query.accountId());
        }
        if (query.userId() != null) {
            where.add("userId = :userId");
            parameters.and("userId", query.userId());
        }
        if (query.ruleId() != null) {
            where.add("ruleId = :ruleId");
            parameters.and("ruleId", query.ruleId());
        }
        if (query.channel() != null) {
            where.add("channel = :channel");
            parameters.and("channel", query.channel());
        }
        if (query.status() != null) {
            where.add("status = :status");
            parameters.and("status", query.status());
        }
        if (query.from() != null) {
            where.add("createdAt >= :from");
            parameters.and("from", query.from());
        }
        if (query.to() != null) {
            where.add("createdAt < :to");
            parameters.and("to", query.to());
        }
        if (query.search() != null) {
            // A contains-search cannot use an index; paging by id still stops at the first page of matches.
            where.add("(lower(subject) like :search escape '!' or lower(recipient) like :search escape '!')");
            parameters.and("search", "%" + likeEscaped(query.search().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        if (query.beforeId() != null) {
            where.add("id < :beforeId");
            parameters.and("beforeId", query.beforeId());
        }
        String jpql = where.isEmpty() ? "" : String.join(" and ", where);
        return Message.<Message>find(jpql, Sort.descending("id"), parameters)
                .page(0, query.limit())
                .list()
                .stream()
                .map(MessageView::of)
                .toList();
    }

    private static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
