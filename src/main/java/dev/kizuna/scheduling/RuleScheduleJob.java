package dev.kizuna.scheduling;

import dev.kizuna.decisions.Sweeps;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.time.Instant;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;

/**
 * One firing of a scheduled rule; the job's name is the rule id. Thin: the sweep does the work.
 * Quartz runs a firing again on another instance if its instance dies (the job requests recovery).
 */
@Dependent
@DisallowConcurrentExecution
public class RuleScheduleJob implements Job {

    /** Job data naming a firing asked for by hand ({@code POST /api/rules/{id}/run}). */
    static final String FIRING_ID = "kizuna.firing-id";

    private final Sweeps sweeps;

    RuleScheduleJob(Sweeps sweeps) {
        this.sweeps = sweeps;
    }

    /** Quartz runs the job on its own thread: the sweep's reads need a request context there. */
    @Override
    @ActivateRequestContext
    public void execute(JobExecutionContext context) {
        String ruleId = context.getJobDetail().getKey().getName();
        String manual = context.getMergedJobDataMap().getString(FIRING_ID);
        String firingId = manual != null ? manual : ruleId + "@" + scheduledFireTime(context);
        sweeps.runSchedule(ruleId, firingId);
    }

    /**
     * The time the firing was due. A firing whose instance died is run again by Quartz under a
     * recovery trigger; it keeps the original time, so that it is the same firing and the sweep
     * can skip the accounts already done.
     */
    private static Instant scheduledFireTime(JobExecutionContext context) {
        if (context.isRecovering()) {
            String original = context.getMergedJobDataMap().getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
            if (original != null) {
                return Instant.ofEpochMilli(Long.parseLong(original));
            }
        }
        return context.getScheduledFireTime().toInstant();
    }
}
