package dev.kizuna.segments;

import dev.kizuna.common.RulesConfig;
import java.nio.file.Path;

/** A profile catalog over a rules folder, for plain unit tests. */
public final class TestProfiles {

    private TestProfiles() {}

    public static ProfileCatalog catalog(Path rulesDir) {
        ProfileCatalog catalog = new ProfileCatalog(rulesConfig(rulesDir));
        catalog.reload();
        return catalog;
    }

    public static RulesConfig rulesConfig(Path rulesDir) {
        return new FolderRules(rulesDir);
    }

    /**
     * Named rather than anonymous: Quarkus marks the methods of a class implementing a mapping with
     * constraints for validation, and CDI forbids that on an anonymous class.
     */
    private record FolderRules(Path dir) implements RulesConfig {

        @Override
        public boolean watch() {
            return false;
        }

        @Override
        public String timerPoll() {
            return "off";
        }

        @Override
        public java.time.Duration timerClaim() {
            return java.time.Duration.ofMinutes(5);
        }

        @Override
        public String profileRefreshCron() {
            return "off";
        }

        @Override
        public int sweepWorkers() {
            return 1;
        }
    }
}
