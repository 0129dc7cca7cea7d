package dev.kizuna.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

@ConfigMapping(prefix = "kizuna.rules")
public interface RulesConfig {

    /** The folder of rule files (KIZUNA_RULES_DIR). */
    @WithDefault("rules")
    Path dir();

    /** Whether changes to the rules and templates folders are picked up by themselves. */
    @WithDefault("true")
    boolean watch();

    /** How often due clocks of "after" and inactivity rules are checked; "off" disables.
     * The timer sweep job's schedule reads this key; this is its only default. */
    @WithDefault("30s")
    @IntervalOrOff
    String timerPoll();

    /**
     * How long an instance owns the due clocks and sequence steps it claimed before another may
     * take them over: an instance that dies holding a claim delays those for this long.
     */
    @WithDefault("5m")
    @PositiveDuration
    Duration timerClaim();

    /**
     * When every account's profile is recomputed (UTC Quartz cron; "off" disables): segments,
     * health and lifecycle that time alone changes are brought up to date, and segment triggers
     * fire for them. Events recompute their account's profile at once. The refresh job's schedule
     * reads this key; this is its only default.
     */
    @WithDefault("0 0 * * * ?")
    String profileRefreshCron();

    /**
     * Threads of each instance that sweep pages of scheduled firings, each with a database
     * connection while it sweeps. Two keep the database and the rules busy at once: a page is
     * about half database time.
     */
    @WithDefault("2")
    int sweepWorkers();
}
