package dev.kizuna.templates;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

@ConfigMapping(prefix = "kizuna.templates")
public interface TemplatesConfig {

    /** The folder of templates (KIZUNA_TEMPLATES_DIR). */
    @WithDefault("templates")
    Path dir();

    /** The locale used when neither the user nor the account has one. */
    @WithDefault("en")
    String defaultLocale();
}
