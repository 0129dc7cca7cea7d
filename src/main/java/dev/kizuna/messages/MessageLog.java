package dev.kizuna.messages;

import dev.kizuna.rules.MessageHistory;
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
        message.createdAt = Instant.now(clock);
        message.persist();
        return message.id;
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
    }

    public void recordFailedAttempt(long id, String error, boolean giveUp) {
        Message message = Message.findById(id);
        message.attempts++;
        message.lastError = truncate(error, 2000);
        if (giveUp) {
            message.status = MessageStatus.FAILED;
        }
    }

    /** Erasure: the user's messages stay for the statistics, without their personal content. */
    public int redactUser(String userId) {
        return Message.update("recipient = null, subject = null, bodyHtml = null, bodyText = null, causeDetail = null, "
                + "lastError = case when lastError is null then null else 'erased' end where userId = ?1", userId);
    }

    /** The statuses that count as "got the rule's message" for once-per limits: held out counts too. */
    private static final List<MessageStatus> RECEIVED = List.of(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.HELD_OUT);
    private static final List<MessageStatus> DELIVERING = List.of(MessageStatus.QUEUED, MessageStatus.SENT);
    private static final Instant EVER = Instant.EPOCH;

    @Override
    public boolean userReceived(String ruleId, String userId, Instant since) {
        return Message.count("ruleId = ?1 and userId = ?2 and status in ?3 and createdAt >= ?4", ruleId, userId, RECEIVED,
                since == null ? EVER : since) > 0;
    }

    @Override
    public boolean accountReceived(String ruleId, String accountId, Instant since) {
        return Message.count("ruleId = ?1 and accountId = ?2 and status in ?3 and createdAt >= ?4", ruleId, accountId, RECEIVED,
                since == null ? EVER : since) > 0;
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
    public long sentToUser(String userId, Channel channel, Instant since) {
        return Message.count("userId = ?1 and channel = ?2 and status in ?3 and createdAt >= ?4", userId, channel, DELIVERING, since);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<MessageView> find(long id) {
        return Message.<Message>findByIdOptional(id).map(MessageView::of);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<EmailToSend> emailToSend(long id) {
        Message message = Message.findById(id);
        if (message == null || message.channel == Channel.INAPP || message.status != MessageStatus.QUEUED) {
            return Optional.empty();
        }
        return Optional.of(new EmailToSend(message.id, message.recipient, message.subject, message.bodyHtml,
                message.bodyText, message.headerMessageId, message.attempts));
    }

    /** What the email sender needs of a queued message. */
    public record EmailToSend(long id, String recipient, String subject, String html, String text, String headerMessageId, int attempts) {}

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

    /** Filters of the message log; null means any. Newest first, paged by id. */
    public record Query(String accountId, String userId, String ruleId, Channel channel, MessageStatus status, Long beforeId, int limit) {}

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

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
