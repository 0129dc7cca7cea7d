package dev.kizuna.delivery;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An email message waiting to be sent; claimed by one sender at a time. */
@Entity
@Table(name = "outbox")
class OutboxEntry extends PanacheEntityBase {

    @Id
    @Column(name = "message_id")
    public Long messageId;

    @Column(name = "available_at")
    public Instant availableAt;

    @Column(name = "claimed_until")
    public Instant claimedUntil;

    @Column(name = "claimed_by")
    public String claimedBy;
}
