package dev.kizuna.expression;

import java.util.Map;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlContext;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlExpression;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.MapContext;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * A rule condition in JEXL, restricted to a side-effect-free expression: no assignment, loops,
 * lambdas, object creation or method calls; only the functions of {@link ConditionFunctions}.
 */
public final class Condition {

    private static final JexlFeatures FEATURES = new JexlFeatures()
            .sideEffect(false)
            .sideEffectGlobal(false)
            .loops(false)
            .lambda(false)
            .newInstance(false)
            .methodCall(false)
            .pragma(false)
            .annotation(false)
            .script(false)
            .localVar(false);

    private static final JexlEngine ENGINE = new JexlBuilder()
            .features(FEATURES)
            .permissions(JexlPermissions.RESTRICTED.compose(ConditionFunctions.class.getPackageName() + ".*"))
            .strict(true)
            .safe(false)
            .silent(false)
            .cache(512)
            .create();

    /** A rule without a condition always holds. */
    public static final Condition ALWAYS = new Condition("true", null);

    private final String source;
    private final JexlExpression expression;

    private Condition(String source, JexlExpression expression) {
        this.source = source;
        this.expression = expression;
    }

    /** Compiles a condition; a syntax error or forbidden construct throws with its column. */
    public static Condition compile(String source) {
        if (source == null || source.isBlank()) {
            return ALWAYS;
        }
        try {
            return new Condition(source.strip(), ENGINE.createExpression(source.strip()));
        } catch (JexlException e) {
            throw new InvalidCondition(describe(e));
        }
    }

    /** Whether the condition holds for these facts; an expression that does not give a boolean fails. */
    public boolean holds(Map<String, Object> variables, ConditionFunctions functions) {
        if (expression == null) {
            return true;
        }
        Object result = evaluate(variables, functions);
        if (result instanceof Boolean holds) {
            return holds;
        }
        throw new InvalidCondition("condition gave " + (result == null ? "null" : "'" + result + "'") + ", not true or false");
    }

    /** The expression's value as a number, for health signals; anything else fails. */
    public double number(Map<String, Object> variables, ConditionFunctions functions) {
        Object result = evaluate(variables, functions);
        if (result instanceof Number number) {
            return number.doubleValue();
        }
        if (result instanceof Boolean flag) {
            return flag ? 1 : 0;
        }
        throw new InvalidCondition("expression gave " + (result == null ? "null" : "'" + result + "'") + ", not a number");
    }

    private Object evaluate(Map<String, Object> variables, ConditionFunctions functions) {
        try {
            return expression.evaluate(new Context(variables, functions));
        } catch (JexlException e) {
            throw new InvalidCondition(describe(e));
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new InvalidCondition(e.getMessage());
        }
    }

    public String source() {
        return source;
    }

    private static String describe(JexlException e) {
        String message = e.getMessage();
        // JEXL prefixes messages with its own call site; the marketer needs the expression part.
        int at = message.indexOf('@');
        return at >= 0 ? message.substring(at) : message;
    }

    /** A condition that does not compile, or that failed for a recipient. */
    public static final class InvalidCondition extends RuntimeException {
        public InvalidCondition(String message) {
            super(message);
        }
    }

    private static final class Context extends MapContext implements JexlContext.NamespaceResolver {
        private final ConditionFunctions functions;

        Context(Map<String, Object> variables, ConditionFunctions functions) {
            super(variables);
            this.functions = functions;
        }

        @Override
        public Object resolveNamespace(String name) {
            return name == null ? functions : null;
        }
    }
}
