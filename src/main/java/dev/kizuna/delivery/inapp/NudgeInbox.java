package dev.kizuna.delivery.inapp;

import dev.kizuna.common.AfterCommit;
import dev.kizuna.common.MultiRowInsert;
import dev.kizuna.messages.MessageTimeline;
import dev.kizuna.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each user's in-app inbox. A nudge is placed in the transaction that decided it, so it is
 * fetchable at once, and pushed to the user's open streams once that transaction commits.
 */
@ApplicationScoped
public class NudgeInbox {

    private static final String PENDING_AND_UNEXPIRED = "status = :pending and (expiresAt is null or expiresAt > :now)";

    private final Clock clock;
    private final MessageTimeline messages;
    private final OpenStreams streams;
    private final TransactionSynchronizationRegistry transactions;

    NudgeInbox(
            Clock clock,
            MessageTimeline messages,
            OpenStreams streams,
            TransactionSynchronizationRegistry transactions) {
        this.clock = clock;
        this.messages = messages;
        this.streams = streams;
        this.transactions = transactions;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public long deliver(long messageId, String userId, String accountId, RenderedNudge content) {
        Nudge nudge = pending(new Delivery(messageId, userId, accountId, content), now());
        nudge.persist();
        publishAfterCommit(userId, List.of(NudgeView.of(nudge)));
        return nudge.id;
    }

    /** A nudge to deliver: its message, its recipient, and its content as rendered. */
    public record Delivery(long messageId, String userId, String accountId, RenderedNudge content) {}

    private static final List<String> NUDGE_COLUMNS = List.of(
            "message_id",
            "user_id",
            "account_id",
            "title",
            "body",
            "cta_label",
            "cta_url",
            "placement",
            "status",
            "created_at",
            "expires_at");

    /**
     * Delivers several nudges with one statement, for a set of decisions made together; open
     * streams hear of them once the transaction commits, each user's in one notice.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void deliverAll(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        Instant createdAt = now();
        List<Nudge> nudges = deliveries.stream()
                .map(delivery -> pending(delivery, createdAt))
                .toList();
        List<Object[]> rows = nudges.stream()
                .map(nudge -> new Object[] {
                    nudge.messageId,
                    nudge.userId,
                    nudge.accountId,
                    nudge.title,
                    nudge.body,
                    nudge.ctaLabel,
                    nudge.ctaUrl,
                    nudge.placement,
                    nudge.status,
                    nudge.createdAt,
                    nudge.expiresAt
                })
                .toList();
        // Rows may come back in any order: each is matched to its nudge by its message, one nudge per message.
        Map<Long, Long> nudgeIdByMessage = new HashMap<>();
        for (Object[] returned :
                MultiRowInsert.insertReturning("nudge", NUDGE_COLUMNS, rows, List.of("id", "message_id"))) {
            nudgeIdByMessage.put(((Number) returned[1]).longValue(), ((Number) returned[0]).longValue());
        }
        Map<String, List<NudgeView>> byUser = new LinkedHashMap<>();
        for (Nudge nudge : nudges) {
            nudge.id = nudgeIdByMessage.get(nudge.messageId);
            byUser.computeIfAbsent(nudge.userId, user -> new ArrayList<>()).add(NudgeView.of(nudge));
        }
        byUser.forEach(this::publishAfterCommit);
    }

    private static Nudge pending(Delivery delivery, Instant createdAt) {
        RenderedNudge content = delivery.content();
        Nudge nudge = new Nudge();
        nudge.messageId = delivery.messageId();
        nudge.userId = delivery.userId();
        nudge.accountId = delivery.accountId();
        nudge.title = content.title();
        nudge.body = content.body();
        nudge.ctaLabel = content.ctaLabel();
        nudge.ctaUrl = content.ctaUrl();
        nudge.placement = content.placement().wireName();
        nudge.status = Nudge.PENDING;
        nudge.createdAt = createdAt;
        nudge.expiresAt = content.expiresAfter() == null ? null : createdAt.plus(content.expiresAfter());
        return nudge;
    }

    /** Open streams hear of a nudge only once it is committed: a decision rolled back must never show. */
    private void publishAfterCommit(String userId, List<NudgeView> views) {
        AfterCommit.run(transactions, () -> streams.publish(userId, views));
    }

    /** Erasure: the user's nudges go. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long eraseUser(String userId) {
        return Nudge.delete("userId", userId);
    }

    /** The nudge a message placed, as it was shown, whatever its state now. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<NudgeView> ofMessage(long messageId) {
        return Nudge.<Nudge>find("messageId", messageId).firstResultOptional().map(NudgeView::of);
    }

    /** The user's pending nudges that have not expired, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<NudgeView> pending(String userId) {
        return Nudge.<Nudge>find(
                        "userId = :user and " + PENDING_AND_UNEXPIRED + " order by id",
                        Map.of("user", userId, "pending", Nudge.PENDING, "now", Instant.now(clock)))
                .list()
                .stream()
                .map(NudgeView::of)
                .toList();
    }

    /** The pending, unexpired nudges of several users at once, by user, oldest first: the streams' periodic check. */
    @Transactional
    Map<String, List<NudgeView>> pendingOf(Collection<String> userIds) {
        Map<String, List<NudgeView>> byUser = new LinkedHashMap<>();
        Nudge.<Nudge>find(
                        "userId in :users and " + PENDING_AND_UNEXPIRED + " order by id",
                        Map.of("users", userIds, "pending", Nudge.PENDING, "now", Instant.now(clock)))
                .list()
                .forEach(nudge -> byUser.computeIfAbsent(nudge.userId, user -> new ArrayList<>())
                        .add(NudgeView.of(nudge)));
        return byUser;
    }

    /**
     * Records what the user did with a nudge: each action counts once (its time and its timeline
     * entry are set the first time, a repeat changes nothing), and a nudge that was clicked or
     * dismissed takes no other action.
     */
    @Transactional
    public NudgeView act(long id, NudgeAction action) {
        // Locked, so that two clients reporting at the same moment cannot both count as the first.
        Nudge nudge = Nudge.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (nudge == null) {
            throw ProblemException.notFound("no nudge with id " + id);
        }
        if (timeOf(nudge, action) != null) {
            return NudgeView.of(nudge);
        }
        if (nudge.ended()) {
            throw ProblemException.conflict("nudge " + id + " was already " + nudge.status + " at "
                    + (Nudge.CLICKED.equals(nudge.status) ? nudge.clickedAt : nudge.dismissedAt) + "; it cannot be "
                    + action.wireName() + " any more");
        }
        Instant now = now();
        String detail = switch (action) {
            case SEEN -> {
                nudge.seenAt = now;
                yield "placement " + nudge.placementOrDefault();
            }
            case CLICKED -> {
                nudge.clickedAt = now;
                nudge.status = Nudge.CLICKED;
                yield nudge.ctaUrl;
            }
            case DISMISSED -> {
                nudge.dismissedAt = now;
                nudge.status = Nudge.DISMISSED;
                yield null;
            }
        };
        messages.recordEvent(nudge.messageId, action.timelineEntry(), detail);
        return NudgeView.of(nudge);
    }

    /** To the microsecond, as the database keeps it: an answer shows the same time as every later read. */
    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant timeOf(Nudge nudge, NudgeAction action) {
        return switch (action) {
            case SEEN -> nudge.seenAt;
            case CLICKED -> nudge.clickedAt;
            case DISMISSED -> nudge.dismissedAt;
        };
    }
}
