package dev.kizuna.ingest;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A call exactly as accepted, kept for timelines and reprocessing. */
@Entity
@Table(name = "event")
class RawEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "message_id")
    public String messageId;

    public String type;

    public String name;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "anonymous_id")
    public String anonymousId;

    @Column(name = "account_id")
    public String accountId;

    public String payload;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "received_at")
    public Instant receivedAt;
}
