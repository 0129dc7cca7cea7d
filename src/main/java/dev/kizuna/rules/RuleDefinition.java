package dev.kizuna.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kizuna.messages.Channel;
import java.util.List;

/** A rule file as the marketer wrote it (see rules/README.md). */
public record RuleDefinition(
        String name,
        String description,
        Trigger trigger,
        String condition,
        List<Action> actions,
        Limits limits) {

    /** What makes the rule look at a recipient. */
    public record Trigger(String event) {}

    /** One message to send when the rule fires. */
    public record Action(Channel channel, String template) {}

    /** How often one recipient may get this rule's messages. */
    public record Limits(@JsonProperty("once_per") OncePer oncePer) {}

    public enum OncePer {
        @JsonProperty("user")
        USER,
        @JsonProperty("account")
        ACCOUNT
    }
}
