package dev.kizuna.delivery.inapp;

import dev.kizuna.templates.RenderedNudge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Each user's in-app inbox. A nudge is placed in the transaction that decided it, so it is fetchable at once. */
@ApplicationScoped
public class NudgeInbox {

    static final String PENDING = "pending";

    private final Clock clock;

    NudgeInbox(Clock clock) {
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public long deliver(long messageId, String userId, String accountId, RenderedNudge content) {
        Nudge nudge = new Nudge();
        nudge.messageId = messageId;
        nudge.userId = userId;
        nudge.accountId = accountId;
        nudge.title = content.title();
        nudge.body = content.body();
        nudge.ctaLabel = content.ctaLabel();
        nudge.ctaUrl = content.ctaUrl();
        nudge.status = PENDING;
        nudge.createdAt = Instant.now(clock);
        nudge.persist();
        return nudge.id;
    }

    /** Erasure: the user's nudges go. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long eraseUser(String userId) {
        return Nudge.delete("userId", userId);
    }

    /** The user's pending nudges that have not expired, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<NudgeView> pending(String userId) {
        return Nudge.<Nudge>find("userId = ?1 and status = ?2 and (expiresAt is null or expiresAt > ?3) order by id",
                        userId, PENDING, Instant.now(clock))
                .list()
                .stream()
                .map(NudgeView::of)
                .toList();
    }
}
