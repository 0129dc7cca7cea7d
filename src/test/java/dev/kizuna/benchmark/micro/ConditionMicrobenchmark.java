package dev.kizuna.benchmark.micro;

import dev.kizuna.expression.Condition;
import dev.kizuna.expression.ConditionFunctions;
import dev.kizuna.expression.ConditionVariables;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One rule condition evaluated for one recipient, as a sweep does for every account: a trait
 * test, two event counts and a segment test, the shape of the sample rules.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConditionMicrobenchmark {

    static final String SOURCE = "account.traits.plan == 'trial' && count('Project Created') >= 1"
            + " && count_in_last('Logged In', 7) > 3 && !in_segment('high-touch')";

    private Condition condition;
    private Map<String, Object> variables;
    private ConditionFunctions functions;

    @Setup
    public void compile() {
        condition = Condition.compile(SOURCE);
        variables = ConditionVariables.of(SampleRecipient.ACCOUNT, SampleRecipient.USER, null, Map.of());
        functions = new ConditionFunctions(SampleRecipient.ACCOUNT, SampleRecipient.USER, SampleRecipient.NOW);
    }

    @Benchmark
    public boolean evaluateCondition() {
        return condition.holds(variables, functions);
    }
}
