package dev.kizuna.templates;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "kizuna.compliance")
public interface ComplianceConfig {

    /** What to do about commercial emails that lack an item of Japan's 特定電子メール法. */
    enum Mode {
        /** Not checked. */
        OFF,
        /** Reported in the templates' problems and in previews; such emails still go. */
        WARN,
        /** Reported, and an email that would go out without an item fails, naming it. */
        ENFORCE
    }

    /** off, warn or enforce. */
    @WithDefault("warn")
    Mode jp();
}
