package dev.kizuna.delivery.email;

/**
 * An email as it leaves: sender (null for the default), recipient, content, the stable
 * Message-ID, and the one-click unsubscribe URL (null for internal mail such as CSM alerts).
 */
public record OutgoingEmail(
        String from, String to, String subject, String html, String text, String messageId, String unsubscribeUrl) {}
