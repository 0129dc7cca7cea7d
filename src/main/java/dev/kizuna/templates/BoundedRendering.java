package dev.kizuna.templates;

import freemarker.core.Environment;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Renders one template file within a number of characters and a time. The rendering runs on a
 * thread of its own: at the deadline that thread is interrupted, which the loops of every template
 * check (see {@link SandboxedFreemarker}), without ever interrupting the caller's thread, which
 * may hold a transaction.
 */
final class BoundedRendering implements AutoCloseable {

    private final int maxOutput;
    private final Duration timeout;
    private final ExecutorService threads;

    BoundedRendering(int maxOutput, Duration timeout) {
        this.maxOutput = maxOutput;
        this.timeout = timeout;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "kizuna-template-render-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The template's output; a {@link TemplateFailure} naming file and line when it writes too much or takes too long. */
    String render(Template template, Object model) throws TemplateException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BoundedWriter out = new BoundedWriter(maxOutput, deadline, timeout);
        AtomicReference<Environment> running = new AtomicReference<>();
        Future<String> rendering = threads.submit(() -> {
            Environment environment = template.createProcessingEnvironment(model, out);
            running.set(environment);
            try {
                environment.process();
            } catch (RuntimeException | TemplateException | IOException e) {
                // A limit the template ran into is the reason, whatever FreeMarker made of it on the way out.
                throw out.refused() != null ? out.refused() : e;
            }
            if (out.refused() != null) {
                throw out.refused();
            }
            return out.toString();
        });
        try {
            return rendering.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Read before interrupting, while the loop is still where it was going round; a best effort from this thread.
            RenderLocation where = RenderLocation.current(running.get());
            rendering.cancel(true);
            throw RenderLimitExceeded.tooSlow(where, timeout).toFailure(template.getSourceName());
        } catch (InterruptedException e) {
            rendering.cancel(true);
            Thread.currentThread().interrupt();
            throw new TemplateFailure(template.getSourceName(), null, "rendering was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RenderLimitExceeded exceeded) {
                throw exceeded.toFailure(template.getSourceName());
            } else if (cause instanceof TemplateException templateException) {
                throw templateException;
            } else if (cause instanceof IOException ioException) {
                throw ioException;
            } else if (cause instanceof StackOverflowError) {
                throw new TemplateFailure(template.getSourceName(), null, "macros or includes call each other without end", cause);
            } else if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            // An error on the render thread is this template's: it fails its message, not the caller.
            throw new TemplateFailure(template.getSourceName(), null, "rendering failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
