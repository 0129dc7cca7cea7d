package dev.kizuna;

import dev.kizuna.security.KeysCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Without arguments Kizuna serves; with arguments it runs a command against the same database and
 * exits, e.g. {@code java -jar quarkus-run.jar keys create marketer "Growth team"}. A command opens
 * no HTTP port and runs no scheduled work, so it can run next to serving instances.
 */
@QuarkusMain
public class KizunaMain {

    public static void main(String... args) {
        if (args.length == 0) {
            Quarkus.run(args);
            return;
        }
        System.setProperty("quarkus.http.host-enabled", "false");
        System.setProperty("quarkus.scheduler.start-mode", "halted");
        System.setProperty("quarkus.banner.enabled", "false");
        System.setProperty("quarkus.log.category.\"dev.kizuna\".level", "WARN");
        System.setProperty("quarkus.log.level", "WARN");
        Quarkus.run(KeysCommand.class, args);
    }
}
