package dev.kizuna.scheduling;

import dev.kizuna.decisions.SweepWorkers;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import org.jboss.logging.Logger;
import org.quartz.CronExpression;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;

/**
 * A scheduled rule came due; the job's name is the rule id. It starts one firing for every
 * scheduled rule due at that same time, so that all of them are decided in one pass over the
 * accounts: the first of their jobs to run starts it, the others find it started. The pages of
 * the firing are swept by every instance ({@link SweepWorkers}).
 */
@Dependent
public class RuleScheduleJob implements Job {

    private static final Logger LOG = Logger.getLogger(RuleScheduleJob.class);

    private final SweepWorkers sweeps;
    private final RuleCatalog catalog;

    RuleScheduleJob(SweepWorkers sweeps, RuleCatalog catalog) {
        this.sweeps = sweeps;
        this.catalog = catalog;
    }

    /** Quartz runs the job on its own thread: starting a firing reads the database. */
    @Override
    @ActivateRequestContext
    public void execute(JobExecutionContext context) {
        Instant due = scheduledFireTime(context);
        sweeps.start(firingId(due), dueTogether(context.getJobDetail().getKey().getName(), catalog, due));
    }

    /** The rule that came due, and the other scheduled rules due at the same time. */
    static List<String> dueTogether(String ruleId, RuleCatalog catalog, Instant due) {
        Set<String> rules = new LinkedHashSet<>();
        rules.add(ruleId);
        for (Rule rule : catalog.ofKind(Rule.TriggerKind.SCHEDULE)) {
            if (dueAt(rule, due)) {
                rules.add(rule.id());
            }
        }
        return List.copyOf(rules);
    }

    /** The firing of every scheduled rule due at this time. */
    static String firingId(Instant due) {
        return "schedule@" + due;
    }

    private static boolean dueAt(Rule rule, Instant time) {
        try {
            CronExpression cron =
                    new CronExpression(rule.definition().trigger().schedule().cron());
            cron.setTimeZone(TimeZone.getTimeZone(rule.timing().scheduleZone()));
            return cron.isSatisfiedBy(Date.from(time));
        } catch (ParseException e) {
            // The rules folder accepted the expression, so this does not happen; the rule is just not joined.
            LOG.warnf("the schedule of rule %s could not be read: %s", rule.id(), e.getMessage());
            return false;
        }
    }

    /**
     * The time the firing was due. A job whose instance died before it started the firing is run
     * again by Quartz under a recovery trigger; it keeps the original time, so that it is the same
     * firing and is not started twice.
     */
    private static Instant scheduledFireTime(JobExecutionContext context) {
        if (context.isRecovering()) {
            String original = context.getMergedJobDataMap()
                    .getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
            if (original != null) {
                return Instant.ofEpochMilli(Long.parseLong(original));
            }
        }
        return context.getScheduledFireTime().toInstant();
    }
}
