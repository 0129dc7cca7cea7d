package dev.kizuna.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** A user's membership of an account; a user may belong to several. */
@Entity
@Table(name = "membership")
@IdClass(Membership.Key.class)
class Membership extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public String accountId;

    @Id
    @Column(name = "user_id")
    public String userId;

    @Column(name = "joined_at")
    public Instant joinedAt;

    public record Key(String accountId, String userId) implements Serializable {}
}
