package dev.kizuna.scheduling;

import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * Keeps one Quartz cron job per scheduled rule in the clustered job store, in step with the
 * rules folder: added, changed and removed with each reload. After downtime a missed firing runs
 * once, as soon as an instance is up (Quartz's "fire and proceed"), never once per missed time.
 */
@ApplicationScoped
public class RuleSchedules {

    static final String GROUP = "kizuna-rules";
    private static final Logger LOG = Logger.getLogger(RuleSchedules.class);

    private final Scheduler quartz;
    private final RuleCatalog catalog;

    RuleSchedules(Scheduler quartz, RuleCatalog catalog) {
        this.quartz = quartz;
        this.catalog = catalog;
    }

    void start(@Observes StartupEvent startup) {
        catalog.onReload(snapshot -> sync());
        sync();
    }

    synchronized void sync() {
        try {
            Set<String> wanted = catalog.ofKind(Rule.TriggerKind.SCHEDULE).stream()
                    .map(Rule::id)
                    .collect(Collectors.toSet());
            for (JobKey existing : quartz.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
                if (!wanted.contains(existing.getName())) {
                    quartz.deleteJob(existing);
                    LOG.infof("schedule of rule %s removed", existing.getName());
                }
            }
            for (Rule rule : catalog.ofKind(Rule.TriggerKind.SCHEDULE)) {
                JobDetail job = JobBuilder.newJob(RuleScheduleJob.class)
                        .withIdentity(rule.id(), GROUP)
                        .storeDurably()
                        .requestRecovery(true)
                        .build();
                Trigger trigger = TriggerBuilder.newTrigger()
                        .withIdentity(rule.id(), GROUP)
                        .withDescription(rule.version())
                        .withSchedule(CronScheduleBuilder.cronSchedule(
                                        rule.definition().trigger().schedule().cron())
                                .inTimeZone(TimeZone.getTimeZone(rule.timing().scheduleZone()))
                                .withMisfireHandlingInstructionFireAndProceed())
                        .build();
                Trigger current = quartz.getTrigger(trigger.getKey());
                JobDetail stored = quartz.getJobDetail(job.getKey());
                // Also replaced when stored by an older Kizuna that did not ask Quartz to recover interrupted firings.
                if (current == null
                        || !rule.version().equals(current.getDescription())
                        || stored == null
                        || !stored.requestsRecovery()) {
                    quartz.scheduleJob(job, Set.of(trigger), true);
                    LOG.infof("rule %s scheduled: %s", rule.id(), rule.describeTrigger());
                }
            }
        } catch (SchedulerException e) {
            LOG.errorf(e, "scheduled rules could not be synchronised with Quartz");
        }
    }
}
