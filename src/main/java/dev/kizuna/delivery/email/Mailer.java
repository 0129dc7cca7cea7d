package dev.kizuna.delivery.email;

import jakarta.mail.internet.MimeMessage;

/** Hands a composed email to its destination: an SMTP server, or the capture folder. */
public interface Mailer {

    void send(MimeMessage message) throws DeliveryFailure;

    /** Where mail goes, for the log and the health check. */
    String destination();

    /** Whether mail can be handed over now: connects (and signs in) and leaves; a DeliveryFailure says why not. */
    void checkReachable() throws DeliveryFailure;
}
