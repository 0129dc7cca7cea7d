package dev.kizuna;

import java.util.HashMap;
import java.util.Map;

/** Scenarios over simulated days, with frequency caps per account set. */
public class AccountCapsProfile extends ScenarioProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("kizuna.decisions.account-email-per-day", "3");
        overrides.put("kizuna.decisions.account-email-per-week", "4");
        return overrides;
    }
}
