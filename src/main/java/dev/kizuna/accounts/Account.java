package dev.kizuna.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A customer company, as Segment's group call names it. */
@Entity
@Table(name = "account")
class Account extends PanacheEntityBase {

    @Id
    public String id;

    /** Merged traits as a JSON object. */
    public String traits;

    @Column(name = "first_seen_at")
    public Instant firstSeenAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
