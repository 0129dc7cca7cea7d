package dev.kizuna.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the instance's used heap (from its metrics) and its resident set size every second; keeps the peaks. */
final class MemorySampler implements AutoCloseable {

    private final KizunaClient kizuna;
    private final long pid;
    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicLong peakRss = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    MemorySampler(KizunaClient kizuna, long pid) {
        this.kizuna = kizuna;
        this.pid = pid;
        this.sampler = new Thread(this::sample, "memory-sampler");
        this.sampler.setDaemon(true);
        this.sampler.start();
    }

    private void sample() {
        while (running) {
            try {
                peakHeap.accumulateAndGet(heapUsed(), Math::max);
                peakRss.accumulateAndGet(rss(), Math::max);
                // Pacing, not waiting: one sample a second while the benchmark runs.
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // A sample missed while the instance is busy; the next one counts.
            }
        }
    }

    /** The sum of jvm_memory_used_bytes over the heap's pools. */
    private long heapUsed() throws Exception {
        double used = 0;
        for (String line : kizuna.metrics().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) used;
    }

    private long rss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    BenchmarkReport.Figure[] figures(String when, long maxHeapBytes) {
        double heapMb = peakHeap.get() / 1024.0 / 1024.0;
        double rssMb = peakRss.get() / 1024.0 / 1024.0;
        long maxHeapMb = maxHeapBytes / 1024 / 1024;
        Map<String, Object> details = Map.of("maxHeapMb", maxHeapMb);
        return new BenchmarkReport.Figure[] {
            new BenchmarkReport.Figure(
                    "peak heap used " + when,
                    "MB",
                    heapMb,
                    null,
                    "<= " + maxHeapMb + " MB",
                    heapMb <= maxHeapMb,
                    details),
            new BenchmarkReport.Figure("peak RSS " + when, "MB", rssMb, null, "", true, details)
        };
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
    }
}
