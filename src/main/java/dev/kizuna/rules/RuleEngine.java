package dev.kizuna.rules;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.EventStats;
import dev.kizuna.accounts.UserSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Decides which rules fire for a recipient when an event arrives. */
@ApplicationScoped
public class RuleEngine {

    private static final Logger LOG = Logger.getLogger(RuleEngine.class);

    private final RuleCatalog catalog;

    RuleEngine(RuleCatalog catalog) {
        this.catalog = catalog;
    }

    /** The facts one evaluation sees: the event, the user who did it and their account. */
    public record EventFacts(String eventName, Map<String, Object> properties, UserSnapshot user, AccountSnapshot account, Instant now) {}

    public List<Decision> onEvent(EventFacts facts, MessageHistory history) {
        List<Decision> decisions = new ArrayList<>();
        for (Rule rule : catalog.triggeredBy(facts.eventName())) {
            String recipient = "user " + facts.user().id();
            if (limited(rule, facts, history)) {
                LOG.debugf("rule %s skipped for %s: already sent once per %s", rule.id(), recipient, rule.oncePer());
                continue;
            }
            boolean holds;
            try {
                holds = rule.condition().holds(variables(facts), new ConditionFunctions(facts.account(), facts.user(), facts.now()));
            } catch (Condition.InvalidCondition e) {
                LOG.warnf("rule %s condition failed for %s: %s", rule.id(), recipient, e.getMessage());
                continue;
            }
            if (!holds) {
                LOG.debugf("rule %s skipped for %s: condition is false", rule.id(), recipient);
                continue;
            }
            String explanation = "event '" + facts.eventName() + "' triggered rule '" + rule.id() + "'"
                    + (rule.condition() == Condition.ALWAYS ? "" : " and its condition `" + rule.condition().source() + "` held");
            for (RuleDefinition.Action action : rule.actions()) {
                decisions.add(new Decision(rule, action.channel(), action.template(), explanation));
            }
            LOG.debugf("rule %s fires for %s", rule.id(), recipient);
        }
        return decisions;
    }

    private static boolean limited(Rule rule, EventFacts facts, MessageHistory history) {
        if (rule.oncePer() == null) {
            return false;
        }
        return switch (rule.oncePer()) {
            case USER -> history.userReceived(rule.id(), facts.user().id());
            case ACCOUNT -> facts.account() != null && history.accountReceived(rule.id(), facts.account().id());
        };
    }

    /** The variables a condition reads: account, user and event, as plain maps. */
    static Map<String, Object> variables(EventFacts facts) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("account", facts.account() == null ? null : accountMap(facts.account()));
        variables.put("user", userMap(facts.user()));
        variables.put("event", Map.of("name", facts.eventName(), "properties", facts.properties()));
        return variables;
    }

    static Map<String, Object> accountMap(AccountSnapshot account) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", account.id());
        map.put("name", account.name());
        map.put("plan", account.plan());
        map.put("mrr", account.mrr());
        map.put("arr", account.arr());
        map.put("timezone", account.timezone());
        map.put("locale", account.locale());
        map.put("csm", account.ownerCsm());
        map.put("traits", account.traits());
        map.put("events", eventsMap(account.events()));
        return map;
    }

    static Map<String, Object> userMap(UserSnapshot user) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", user.id());
        map.put("email", user.email());
        map.put("name", user.name());
        map.put("locale", user.locale());
        map.put("timezone", user.timezone());
        map.put("traits", user.traits());
        map.put("events", eventsMap(user.events()));
        return map;
    }

    private static Map<String, Object> eventsMap(Map<String, EventStats> events) {
        Map<String, Object> map = new LinkedHashMap<>();
        events.forEach((name, stats) -> map.put(name, Map.of("count", stats.count())));
        return map;
    }
}
