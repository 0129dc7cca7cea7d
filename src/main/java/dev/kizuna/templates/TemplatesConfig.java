package dev.kizuna.templates;

import dev.kizuna.common.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;

@ConfigMapping(prefix = "kizuna.templates")
public interface TemplatesConfig {

    /** The folder of templates (KIZUNA_TEMPLATES_DIR). */
    @WithDefault("templates")
    Path dir();

    /** The locale used when neither the user nor the account has one. */
    @WithDefault("en")
    String defaultLocale();

    /** The most characters one template file may render; past it the message fails instead of the server running out of memory. */
    @WithDefault("1000000")
    @Min(
            value = 1,
            message = "is ${validatedValue}: must be at least {value} (characters one template file may render)")
    int maxOutput();

    /** The longest one template file may take to render; past it the rendering is stopped and the message fails. */
    @WithDefault("2s")
    @PositiveDuration
    Duration renderTimeout();
}
