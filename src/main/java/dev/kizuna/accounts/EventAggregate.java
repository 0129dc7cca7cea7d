package dev.kizuna.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** Count and first/last time of one event name for one account or user. */
@Entity
@Table(name = "event_aggregate")
@IdClass(EventAggregate.Key.class)
class EventAggregate extends PanacheEntityBase {

    @Id
    @Column(name = "subject_type")
    public String subjectType;

    @Id
    @Column(name = "subject_id")
    public String subjectId;

    @Id
    @Column(name = "event_name")
    public String eventName;

    @Column(name = "event_count")
    public long eventCount;

    @Column(name = "first_at")
    public Instant firstAt;

    @Column(name = "last_at")
    public Instant lastAt;

    public record Key(String subjectType, String subjectId, String eventName) implements Serializable {}
}
