package dev.kizuna.rules;

import java.util.List;

/**
 * A rule that passed validation: its definition, compiled condition, and version, the content
 * hash of its file, stored on every message it produces.
 */
public record Rule(String id, String file, String version, RuleDefinition definition, Condition condition) {

    public String name() {
        return definition.name() != null ? definition.name() : id;
    }

    public List<RuleDefinition.Action> actions() {
        return definition.actions();
    }

    public RuleDefinition.OncePer oncePer() {
        return definition.limits() == null ? null : definition.limits().oncePer();
    }
}
