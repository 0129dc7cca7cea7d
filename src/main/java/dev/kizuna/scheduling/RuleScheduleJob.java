package dev.kizuna.scheduling;

import dev.kizuna.decisions.Sweeps;
import jakarta.enterprise.context.Dependent;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** One firing of a scheduled rule; the job's name is the rule id. Thin: the sweep does the work. */
@Dependent
@DisallowConcurrentExecution
public class RuleScheduleJob implements Job {

    private final Sweeps sweeps;

    RuleScheduleJob(Sweeps sweeps) {
        this.sweeps = sweeps;
    }

    @Override
    public void execute(JobExecutionContext context) {
        String ruleId = context.getJobDetail().getKey().getName();
        String firingId = ruleId + "@" + context.getScheduledFireTime().toInstant();
        sweeps.runSchedule(ruleId, firingId);
    }
}
