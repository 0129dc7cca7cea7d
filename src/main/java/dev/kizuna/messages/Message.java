package dev.kizuna.messages;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One decision of the engine for one recipient and channel, with the content exactly as rendered. */
@Entity
@Table(name = "message")
class Message extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rule_id")
    public String ruleId;

    @Column(name = "rule_version")
    public String ruleVersion;

    @Column(name = "account_id")
    public String accountId;

    @Column(name = "user_id")
    public String userId;

    @Enumerated(EnumType.STRING)
    public Channel channel;

    @Column(name = "template_id")
    public String templateId;

    public String locale;

    @Enumerated(EnumType.STRING)
    public MessageStatus status;

    @Column(name = "cause_type")
    public String causeType;

    @Column(name = "cause_ref")
    public String causeRef;

    @Column(name = "cause_detail")
    public String causeDetail;

    public String recipient;

    public String subject;

    @Column(name = "body_html")
    public String bodyHtml;

    @Column(name = "body_text")
    public String bodyText;

    @Column(name = "header_message_id")
    public String headerMessageId;

    public int attempts;

    @Column(name = "last_error")
    public String lastError;

    public String category;

    public String sender;

    /** What the check of 特定電子メール法 found: null when not checked, empty when complete, else the codes missing. */
    public String compliance;

    /** The segment variant of the template used; null for the template's own files. */
    public String variant;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** Written only by attribution's own update, so that no other save of the message can undo it. */
    @Column(name = "converted_at", insertable = false, updatable = false)
    public Instant convertedAt;

    /** A text cut to what its column holds, marked as cut. */
    static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
