package dev.kizuna.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;

/** A customer company, as Segment's group call names it. */
@Entity
@Table(name = "account")
class Account extends PanacheEntityBase {

    @Id
    public String id;

    /** Merged traits as a JSON object. */
    public String traits;

    public String plan;

    public BigDecimal mrr;

    public BigDecimal arr;

    @Column(name = "signed_up_at")
    public Instant signedUpAt;

    public String timezone;

    public String locale;

    @Column(name = "owner_csm")
    public String ownerCsm;

    @Column(name = "activated_at")
    public Instant activatedAt;

    @Column(name = "lifecycle_stage")
    public String lifecycleStage;

    @Column(name = "health_score")
    public Integer healthScore;

    @Column(name = "health_band")
    public String healthBand;

    /** When the plan and revenue above were stated: an older call adds to the history only. */
    @Column(name = "revenue_as_of")
    public Instant revenueAsOf;

    @Column(name = "renewal_date")
    public java.time.LocalDate renewalDate;

    @Column(name = "first_seen_at")
    public Instant firstSeenAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
