package dev.kizuna.templates;

import dev.kizuna.common.AtLeastAMonth;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Period;

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

    /**
     * How long the evidence of a consent that no longer stands (withdrawn, or its user erased) is
     * kept after the last email of its category: 特定電子メール法 asks for at least one month.
     * An ISO-8601 period (P1M, P6M, P1Y).
     */
    @WithName("consent-retention")
    @AtLeastAMonth
    @WithDefault("P1M")
    Period consentRetention();
}
