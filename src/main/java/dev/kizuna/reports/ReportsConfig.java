package dev.kizuna.reports;

import dev.kizuna.common.IntervalOrOff;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

@ConfigMapping(prefix = "kizuna.reports")
public interface ReportsConfig {

    /** What grossMargin allows, for both of its bounds. */
    String GROSS_MARGIN_RANGE = "is ${validatedValue}: must be a share above 0 and at most 1 "
            + "(0.8 keeps 80% of revenue after the cost of serving it)";

    /** How often messages still followed are checked for their rule's goal; "off" disables.
     * The attribution job's schedule reads this key; this is its only default. */
    @WithDefault("5m")
    @IntervalOrOff
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
    @DecimalMin(value = "0", inclusive = false, message = GROSS_MARGIN_RANGE)
    @DecimalMax(value = "1", message = GROSS_MARGIN_RANGE)
    double grossMargin();

    /** The segments that are the coverage tiers, for lifetime value by tier. */
    @WithDefault("high-touch,low-touch,tech-touch")
    java.util.List<String> coverageTiers();

    /** Messages read and decided per transaction by attribution. */
    @WithDefault("500")
    @Min(value = 1, message = "is ${validatedValue}: must be at least {value} (messages per transaction)")
    int attributionPageSize();
}
