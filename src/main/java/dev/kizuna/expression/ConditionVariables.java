package dev.kizuna.expression;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.EventStats;
import dev.kizuna.accounts.UserSnapshot;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The variables a condition reads, as plain maps: account, user and event. */
public final class ConditionVariables {

    private ConditionVariables() {}

    public static Map<String, Object> of(AccountSnapshot account, UserSnapshot user, String eventName, Map<String, Object> eventProperties) {
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

    private static Map<String, Object> events(Map<String, EventStats> events) {
        Map<String, Object> map = new LinkedHashMap<>();
        events.forEach((name, stats) -> map.put(name, Map.of("count", stats.count(), "last7Days", stats.last7Days(),
                "last30Days", stats.last30Days())));
        return map;
    }
}
