package dev.kizuna.templates;

import freemarker.core.Environment;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Renders one template file within a number of characters and a time, on the caller's thread (a
 * hand-off to another thread per file would cost more than the rendering itself). Output past the
 * limit or the deadline is refused by the writer; a loop that writes nothing is stopped by a
 * watchdog that interrupts the rendering thread at the deadline, which the loops of every template
 * check (see {@link SandboxedFreemarker}). The watchdog interrupts only while that rendering is
 * still running, and the interrupt is cleared before the caller goes on, so the caller's
 * transaction never sees it.
 */
final class BoundedRendering implements AutoCloseable {

    private final int maxOutput;
    private final Duration timeout;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "kizuna-template-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    BoundedRendering(int maxOutput, Duration timeout) {
        this.maxOutput = maxOutput;
        this.timeout = timeout;
    }

    /** The template's output; a {@link TemplateFailure} naming file and line when it writes too much or takes too long. */
    String render(Template template, Object model) throws TemplateException, IOException {
        BoundedWriter out = new BoundedWriter(maxOutput, System.nanoTime() + timeout.toNanos(), timeout);
        Environment environment = template.createProcessingEnvironment(model, out);
        Running running = new Running(Thread.currentThread(), environment);
        boolean interruptedBefore = Thread.interrupted();
        ScheduledFuture<?> alarm = watchdog.schedule(running::stopAtDeadline, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            environment.process();
        } catch (RuntimeException | TemplateException | IOException e) {
            // A limit the template ran into is the reason, whatever FreeMarker made of it on the way out.
            TemplateFailure limit = limitReached(out, running, template);
            if (limit != null) {
                throw limit;
            }
            throw e;
        } catch (StackOverflowError e) {
            throw new TemplateFailure(
                    template.getSourceName(), null, "macros or includes call each other without end", e);
        } finally {
            alarm.cancel(false);
            running.finish();
            // An interrupt the watchdog made is the rendering's, not the caller's; one the caller had is given back.
            Thread.interrupted();
            if (interruptedBefore) {
                Thread.currentThread().interrupt();
            }
        }
        // A refusal the template caught and carried on after still fails it.
        TemplateFailure limit = limitReached(out, running, template);
        if (limit != null) {
            throw limit;
        }
        return out.toString();
    }

    /** The limit the rendering ran into, if it ran into one; null otherwise. */
    private TemplateFailure limitReached(BoundedWriter out, Running running, Template template) {
        if (out.refused() != null) {
            return out.refused().toFailure(template.getSourceName());
        }
        if (running.stopped()) {
            return RenderLimitExceeded.tooSlow(running.stoppedAt(), timeout).toFailure(template.getSourceName());
        }
        return null;
    }

    /** One rendering in progress, which the watchdog may stop at its deadline but never after it has finished. */
    private static final class Running {

        private final Thread thread;
        private final Environment environment;
        private boolean finished;
        private boolean stopped;
        private RenderLocation stoppedAt;

        Running(Thread thread, Environment environment) {
            this.thread = thread;
            this.environment = environment;
        }

        synchronized void stopAtDeadline() {
            if (!finished) {
                // Read before interrupting, while the loop is still where it was going round; a best effort from this
                // thread.
                stoppedAt = RenderLocation.current(environment);
                stopped = true;
                thread.interrupt();
            }
        }

        synchronized void finish() {
            finished = true;
        }

        synchronized boolean stopped() {
            return stopped;
        }

        /** Where the rendering was when stopped; null if that could not be read. */
        synchronized RenderLocation stoppedAt() {
            return stoppedAt;
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
