package dev.kizuna;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/**
 * Scenarios over simulated days: the test clock replaces the system clock, quiet hours are on,
 * frequency caps per account are set (3 emails a day, 4 a week), and the periodic sweeps are
 * off, so that the test runs them itself when time has moved.
 */
public class ScenarioProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(TestClock.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "kizuna.decisions.quiet-hours-start", "21:00",
                "kizuna.decisions.quiet-hours-end", "08:00",
                "kizuna.decisions.account-email-per-day", "3",
                "kizuna.decisions.account-email-per-week", "4",
                "kizuna.rules.timer-poll", "off",
                "kizuna.delivery.poll-interval", "off");
    }
}
