package dev.kizuna.templates;

import java.nio.file.Path;
import java.time.Duration;

/** A template catalog over a folder, for plain unit tests. */
public final class TestTemplates {

    private TestTemplates() {}

    public static TemplateCatalog catalog(Path dir) {
        return catalog(dir, 1_000_000, Duration.ofSeconds(2));
    }

    /** A catalog with its own rendering limits: the most characters a file may render and how long it may take. */
    public static TemplateCatalog catalog(Path dir, int maxOutput, Duration renderTimeout) {
        TemplateCatalog catalog = new TemplateCatalog(new TemplatesConfig() {
            @Override
            public Path dir() {
                return dir;
            }

            @Override
            public String defaultLocale() {
                return "en";
            }

            @Override
            public int maxOutput() {
                return maxOutput;
            }

            @Override
            public Duration renderTimeout() {
                return renderTimeout;
            }
        });
        catalog.open();
        return catalog;
    }
}
