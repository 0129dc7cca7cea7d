package dev.kizuna.delivery.inapp;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An in-app message waiting in a user's inbox. */
@Entity
@Table(name = "nudge")
class Nudge extends PanacheEntityBase {

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

    public String status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;
}
