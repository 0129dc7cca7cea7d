package dev.kizuna.templates;

import java.nio.file.Path;

/** A template catalog over a folder, for plain unit tests. */
public final class TestTemplates {

    private TestTemplates() {}

    public static TemplateCatalog catalog(Path dir) {
        TemplateCatalog catalog = new TemplateCatalog(new TemplatesConfig() {
            @Override
            public Path dir() {
                return dir;
            }

            @Override
            public String defaultLocale() {
                return "en";
            }
        });
        catalog.open();
        return catalog;
    }
}
