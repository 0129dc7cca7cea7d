package dev.kizuna.delivery.email;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The first-run mail destination: each email is written to the capture folder as an .eml file,
 * which any mail client opens. Used when no SMTP host is configured.
 */
final class EmlFileMailer implements Mailer {

    private final Path folder;

    EmlFileMailer(Path folder) {
        this.folder = folder;
    }

    @Override
    public void send(MimeMessage message) throws DeliveryFailure {
        try {
            Files.createDirectories(folder);
            String id = message.getMessageID().replaceAll("[^A-Za-z0-9.@-]", "");
            Path target = folder.resolve(id + ".eml");
            Path partial = folder.resolve(id + ".eml.part");
            try (OutputStream out = Files.newOutputStream(partial)) {
                message.writeTo(out);
            }
            // Written whole or not at all: a reader never sees half an email.
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | MessagingException e) {
            throw new DeliveryFailure("cannot write to " + folder + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public void checkReachable() throws DeliveryFailure {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new DeliveryFailure("cannot create " + folder + ": " + e.getMessage(), false, e);
        }
        if (!Files.isWritable(folder)) {
            throw new DeliveryFailure("cannot write to " + folder, false, null);
        }
    }

    @Override
    public String destination() {
        return folder.toAbsolutePath().toString();
    }
}
