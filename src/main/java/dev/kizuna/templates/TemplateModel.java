package dev.kizuna.templates;

import dev.kizuna.accounts.AccountSnapshot;
import dev.kizuna.accounts.UserSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data a template sees, as plain maps of strings, numbers and booleans: the sandbox gives
 * templates no Java objects to call into.
 */
public final class TemplateModel {

    private TemplateModel() {}

    public static Map<String, Object> of(
            AccountSnapshot account, UserSnapshot user, String eventName, Map<String, Object> eventProperties) {
        Map<String, Object> model = new LinkedHashMap<>();
        if (account != null) {
            Map<String, Object> accountMap = new LinkedHashMap<>();
            accountMap.put("id", account.id());
            accountMap.put("traits", account.traits());
            accountMap.put("first_seen_at", account.firstSeenAt().toString());
            putIfPresent(accountMap, "name", account.name());
            putIfPresent(accountMap, "plan", account.plan());
            putIfPresent(accountMap, "stage", account.profile().lifecycleStage());
            accountMap.put("segments", account.profile().segments());
            Map<String, Object> health = new LinkedHashMap<>();
            putIfPresent(health, "score", account.profile().healthScore());
            putIfPresent(health, "band", account.profile().healthBand());
            accountMap.put("health", health);
            model.put("account", accountMap);
        }
        Map<String, Object> userMap = new LinkedHashMap<>();
        userMap.put("id", user.id());
        putIfPresent(userMap, "email", user.email());
        putIfPresent(userMap, "name", user.name());
        putIfPresent(userMap, "first_name", firstName(user));
        userMap.put("traits", user.traits());
        model.put("user", userMap);
        if (eventName != null) {
            model.put("event", Map.of("name", eventName, "properties", eventProperties));
        }
        return model;
    }

    /** The locale to write to a recipient in: the user's, else the account's (field or trait); null for the default. */
    public static String localeOf(AccountSnapshot account, UserSnapshot user) {
        if (user != null && user.locale() != null) {
            return user.locale();
        }
        if (account != null && account.locale() != null) {
            return account.locale();
        }
        if (account != null && account.traits().get("locale") instanceof String accountLocale) {
            return accountLocale;
        }
        return null;
    }

    /**
     * A friendly first name for greetings: the firstName (or first_name) trait, else the first word
     * of the name; missing when neither gives one, so that {@code ${user.first_name!"there"}} greets
     * "Hi there" rather than "Hi ,".
     */
    private static String firstName(UserSnapshot user) {
        for (String trait : new String[] {"firstName", "first_name"}) {
            if (user.traits().get(trait) instanceof String first && !first.isBlank()) {
                return first.replaceAll("\\p{Cntrl}+", " ").strip();
            }
        }
        if (user.name() != null && !user.name().isBlank()) {
            return user.name().strip().split("\\s+")[0];
        }
        return null;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
