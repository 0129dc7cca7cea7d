package dev.kizuna.rules;

import dev.kizuna.common.RulesConfig;
import dev.kizuna.templates.TemplatesConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Hot reload: when a file in the rules or templates folder changes, the rules are reloaded
 * (after a short quiet period, so that an editor's save of several files is one reload). An
 * invalid file is reported and never replaces the last good version.
 */
@ApplicationScoped
public class ContentWatcher {

    private static final Logger LOG = Logger.getLogger(ContentWatcher.class);
    private static final long QUIET_MILLIS = 300;

    private final RuleCatalog catalog;
    private final RulesConfig rules;
    private final TemplatesConfig templates;
    private WatchService watcher;

    ContentWatcher(RuleCatalog catalog, RulesConfig rules, TemplatesConfig templates) {
        this.catalog = catalog;
        this.rules = rules;
        this.templates = templates;
    }

    void start(@Observes StartupEvent startup) {
        if (!rules.watch()) {
            return;
        }
        try {
            watcher = FileSystems.getDefault().newWatchService();
            register(rules.dir());
            register(templates.dir());
        } catch (IOException e) {
            LOG.warnf("rules and templates will not reload by themselves: %s", e.getMessage());
            return;
        }
        Thread thread = new Thread(this::watch, "kizuna-content-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void register(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> folders = Files.walk(dir, 3)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                folder.register(
                        watcher,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                drain(key);
                // Wait until the folder is quiet, then reload once.
                WatchKey more;
                while ((more = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                try {
                    register(rules.dir());
                    register(templates.dir());
                    catalog.reload();
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("reload after a file change failed: %s", e.getMessage());
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    void stop(@Observes ShutdownEvent shutdown) throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }
}
