package dev.kizuna.delivery.inapp;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An in-app message in a user's inbox: pending until the user clicks its call to action or dismisses it. */
@Entity
@Table(name = "nudge")
class Nudge extends PanacheEntityBase {

    static final String PENDING = "pending";
    static final String CLICKED = "clicked";
    static final String DISMISSED = "dismissed";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "message_id")
    public Long messageId;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "account_id")
    public String accountId;

    public String title;

    public String body;

    @Column(name = "cta_label")
    public String ctaLabel;

    @Column(name = "cta_url")
    public String ctaUrl;

    /** banner, modal, toast or inline (see NudgePlacement). */
    public String placement;

    public String status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "seen_at")
    public Instant seenAt;

    @Column(name = "clicked_at")
    public Instant clickedAt;

    @Column(name = "dismissed_at")
    public Instant dismissedAt;

    /** Nudges placed before placements existed show as banners, the default. */
    String placementOrDefault() {
        return placement == null ? NudgePlacement.DEFAULT.wireName() : placement;
    }

    /** Clicked or dismissed: the user is done with it. */
    boolean ended() {
        return !PENDING.equals(status);
    }
}
