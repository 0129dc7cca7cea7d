package dev.kizuna.benchmark.micro;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks of this package in a forked JVM and returns ns per operation. */
public final class MicroMeasures {

    /** One benchmark's mean time per operation and its 99.9% error margin. */
    public record Result(String name, double nanosPerOperation, double error) {}

    private MicroMeasures() {}

    public static List<Result> run() throws RunnerException {
        Options options = new OptionsBuilder()
                .include(MicroMeasures.class.getPackageName() + "\\..*Microbenchmark")
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .timeUnit(TimeUnit.NANOSECONDS)
                .jvmArgsAppend(
                        "-Xmx256m", "-Dbenchmark.templates=" + System.getProperty("benchmark.templates", "templates"))
                .build();
        List<Result> results = new ArrayList<>();
        for (RunResult run : new Runner(options).run()) {
            String benchmark = run.getParams().getBenchmark();
            String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            results.add(new Result(
                    name,
                    run.getPrimaryResult().getScore(),
                    run.getPrimaryResult().getScoreError()));
        }
        return results;
    }
}
