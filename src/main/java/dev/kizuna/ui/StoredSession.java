package dev.kizuna.ui;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A UI session as the server remembers it; a cookie is good only while its row is neither ended nor expired. */
@Entity
@Table(name = "ui_session")
class StoredSession extends PanacheEntityBase {

    /** The SHA-256 of the cookie's random part, in hex. */
    @Id
    public String id;

    @Column(name = "key_id")
    public long keyId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "ended_at")
    public Instant endedAt;
}
