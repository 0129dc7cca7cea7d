package dev.kizuna.reports;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "kizuna.reports")
public interface ReportsConfig {

    /** How often messages still followed are checked for their rule's goal; "off" disables.
     * The attribution job's schedule reads this key; this is its only default. */
    @WithDefault("5m")
    String attributionInterval();

    /** Messages read and decided per transaction by attribution. */
    @WithDefault("500")
    int attributionPageSize();
}
