package dev.kizuna.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A person in one or more accounts, as Segment's identify call names them. */
@Entity
@Table(name = "app_user")
class AppUser extends PanacheEntityBase {

    @Id
    public String id;

    public String email;

    public String name;

    public String locale;

    public String timezone;

    /** Merged traits as a JSON object. */
    public String traits;

    @Column(name = "first_seen_at")
    public Instant firstSeenAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
