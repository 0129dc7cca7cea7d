package dev.kizuna.templates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A template catalog over a folder, for plain unit tests. */
public final class TestTemplates {

    private TestTemplates() {}

    /** Writes one file of a templates folder, with the folders it needs. */
    public static void write(Path dir, String file, String content) throws IOException {
        Path path = dir.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }

    /** A plain email template {@code id} (subject, HTML and text) greeting {@code user.first_name}. */
    public static void greetingEmail(Path dir, String id) throws IOException {
        write(dir, id + "/subject.ftl", "Hello ${user.first_name}");
        write(dir, id + "/html.ftlh", "<p>Hi ${user.first_name}</p>");
        write(dir, id + "/text.ftl", "Hi ${user.first_name}");
    }

    public static TemplateCatalog catalog(Path dir) {
        return catalog(dir, 1_000_000, Duration.ofSeconds(2));
    }

    /** A catalog with its own rendering limits: the most characters a file may render and how long it may take. */
    public static TemplateCatalog catalog(Path dir, int maxOutput, Duration renderTimeout) {
        TemplateCatalog catalog = new TemplateCatalog(new FolderTemplates(dir, maxOutput, renderTimeout), NO_SENDER);
        catalog.open();
        return catalog;
    }

    /** Mail configuration with no sender identity: templates see an empty {@code sender}. */
    public static final dev.kizuna.delivery.email.MailConfig NO_SENDER = new NoSender();

    /**
     * Named rather than anonymous: Quarkus marks the methods of a class implementing a mapping with
     * constraints for validation, and CDI forbids that on an anonymous class.
     */
    private record FolderTemplates(Path dir, int maxOutput, Duration renderTimeout) implements TemplatesConfig {

        @Override
        public String defaultLocale() {
            return "en";
        }
    }

    private static final class NoSender implements dev.kizuna.delivery.email.MailConfig {

        @Override
        public String from() {
            return "Kizuna <kizuna@localhost>";
        }

        @Override
        public Path captureDir() {
            return Path.of("data/mail");
        }

        @Override
        public Sender sender() {
            return new Sender() {
                @Override
                public java.util.Optional<String> name() {
                    return java.util.Optional.empty();
                }

                @Override
                public java.util.Optional<String> postalAddress() {
                    return java.util.Optional.empty();
                }

                @Override
                public java.util.Optional<String> contact() {
                    return java.util.Optional.empty();
                }

                @Override
                public java.util.Map<String, LocalSender> locales() {
                    return java.util.Map.of();
                }
            };
        }
    }
}
