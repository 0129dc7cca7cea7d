package dev.kizuna.expression;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.EventStats;
import dev.kizuna.accounts.UserSnapshot;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The variables a condition reads, as plain maps: account, user and event. */
public final class ConditionVariables {

    private ConditionVariables() {}

    public static Map<String, Object> of(
            AccountSnapshot account, UserSnapshot user, String eventName, Map<String, Object> eventProperties) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("account", account == null ? null : account(account));
        variables.put("user", user == null ? null : user(user));
        variables.put("event", eventName == null ? null : Map.of("name", eventName, "properties", eventProperties));
        return variables;
    }

    static Map<String, Object> account(AccountSnapshot account) {
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
        map.put("events", events(account.events()));
        AccountSnapshot.Profile profile = account.profile();
        map.put("segments", profile.segments());
        map.put("stage", profile.lifecycleStage());
        Map<String, Object> health = new HashMap<>();
        health.put("score", profile.healthScore());
        health.put("band", profile.healthBand());
        map.put("health", health);
        return map;
    }

    static Map<String, Object> user(UserSnapshot user) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", user.id());
        map.put("email", user.email());
        map.put("name", user.name());
        map.put("locale", user.locale());
        map.put("timezone", user.timezone());
        map.put("traits", user.traits());
        map.put("events", events(user.events()));
        return map;
    }

    /**
     * The recipient's events as a map of event name to its counts. A condition reads one or two
     * of them, so each event's counts are made when read, not for every event of every
     * recipient (a sweep builds these variables for every account and user).
     */
    private static Map<String, Object> events(Map<String, EventStats> events) {
        return new EventCounts(events);
    }

    private static Map<String, Object> countsOf(EventStats stats) {
        return Map.of("count", stats.count(), "last7Days", stats.last7Days(), "last30Days", stats.last30Days());
    }

    /** A read-only view of event stats as counts; a condition reads a map by key (see {@link Condition}). */
    private static final class EventCounts extends AbstractMap<String, Object> {
        private final Map<String, EventStats> events;

        EventCounts(Map<String, EventStats> events) {
            this.events = events;
        }

        @Override
        public Object get(Object name) {
            EventStats stats = events.get(name);
            return stats == null ? null : countsOf(stats);
        }

        @Override
        public boolean containsKey(Object name) {
            return events.containsKey(name);
        }

        @Override
        public int size() {
            return events.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> counts = new LinkedHashMap<>();
            events.forEach((name, stats) -> counts.put(name, countsOf(stats)));
            return Collections.unmodifiableMap(counts).entrySet();
        }
    }
}
