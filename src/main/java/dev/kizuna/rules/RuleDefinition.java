package dev.kizuna.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kizuna.messages.Channel;
import java.util.List;

/** A rule file as the marketer wrote it (see rules/README.md and rules/rule.schema.json). */
public record RuleDefinition(
        String name,
        String description,
        Integer priority,
        Trigger trigger,
        List<String> audience,
        String condition,
        List<Action> actions,
        Limits limits,
        Integer holdout,
        Goal goal,
        List<Step> steps,
        @JsonProperty("exit_on_audience_leave") Boolean exitOnAudienceLeave) {

    /**
     * One step of a sequence (a rule with {@code steps:} instead of {@code actions:}): after
     * {@code wait} from the step before (the first goes out at entry), if {@code if} holds, its actions.
     */
    public record Step(
            String name,
            @JsonProperty("wait") String waitFor,
            @JsonProperty("if") String condition,
            List<Action> actions) {}

    /** What makes the rule look at a recipient: exactly one of these. */
    public record Trigger(String event, Schedule schedule, After after, Inactivity inactivity, SegmentChange segment) {}

    /** A cron schedule (Quartz syntax, with seconds) in a stated timezone; the rule sweeps its audience. */
    public record Schedule(String cron, String timezone) {}

    /** "N after X unless Y": {@code delay} after the event, unless {@code unless} happened in between. */
    public record After(String event, String delay, String unless) {}

    /** "No X for N": fires when {@code event} has not happened for {@code for}. */
    public record Inactivity(
            String event, @JsonProperty("for") String idleFor) {}

    /** Fires when an account enters or leaves a segment. */
    public record SegmentChange(String enter, String exit) {}

    /** limits.once_per, or null when the rule has no limits. */
    public OncePer oncePerOrNull() {
        return limits == null ? null : limits.oncePer();
    }

    /** One message to send when the rule fires; webhook and Slack messages go to a target named in configuration. */
    public record Action(Channel channel, String template, String target) {}

    /** How often one recipient may get this rule's messages, and whether quiet hours apply. */
    public record Limits(
            @JsonProperty("once_per") OncePer oncePer,
            String every,
            @JsonProperty("quiet_hours") Boolean quietHours) {}

    public enum OncePer {
        @JsonProperty("user")
        USER,
        @JsonProperty("account")
        ACCOUNT
    }

    /**
     * What the rule wants to achieve: a milestone or an event (an account that reached it leaves
     * the rule), or an outcome measured over the window it names: {@code retained} (the account
     * did not churn within it) or {@code expanded} (its MRR rose within it), judged in the reports
     * without ending the rule.
     */
    public record Goal(String milestone, String event, String within, String retained, String expanded) {

        /** A goal on the account's revenue (retained or expanded), judged from its revenue history. */
        public boolean onRevenue() {
            return retained != null || expanded != null;
        }

        /** What the goal is, for people: "milestone 'created_project'", "retained 90d". */
        public String describe() {
            return milestone != null
                    ? "milestone '" + milestone + "'"
                    : event != null
                            ? "event '" + event + "'"
                            : retained != null ? "retained " + retained : "expanded " + expanded;
        }
    }
}
