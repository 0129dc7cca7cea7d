package dev.kizuna.delivery.email;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/** SMTP when a host is configured, otherwise .eml files in the capture folder. */
@ApplicationScoped
public class MailerProducer {

    private static final Logger LOG = Logger.getLogger(MailerProducer.class);

    @Produces
    @ApplicationScoped
    Mailer mailer(SmtpConfig smtp, MailConfig mail) {
        Mailer mailer = smtp.host().isPresent() ? new SmtpMailer(smtp) : new EmlFileMailer(mail.captureDir());
        LOG.infof("email goes to %s", mailer.destination());
        return mailer;
    }
}
