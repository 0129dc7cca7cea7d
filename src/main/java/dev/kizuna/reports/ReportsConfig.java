package dev.kizuna.reports;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "kizuna.reports")
public interface ReportsConfig {

    /** How often messages still followed are checked for their rule's goal; "off" disables.
     * The attribution job's schedule reads this key; this is its only default. */
    @WithDefault("5m")
    String attributionInterval();

    /**
     * When each paying account's health is kept on record for the health calibration report (a
     * Quartz cron expression, UTC; "off" disables): by default at midnight on the first of each
     * month. The snapshot job's schedule reads this key; this is its only default.
     */
    @WithDefault("0 0 0 1 * ?")
    String healthSnapshotCron();

    /** The share of revenue kept after the cost of serving it, for lifetime value (0 to 1). */
    @WithDefault("0.8")
    double grossMargin();

    /** The segments that are the coverage tiers, for lifetime value by tier. */
    @WithDefault("high-touch,low-touch,tech-touch")
    java.util.List<String> coverageTiers();

    /** Messages read and decided per transaction by attribution. */
    @WithDefault("500")
    int attributionPageSize();
}
