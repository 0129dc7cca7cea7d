package dev.kizuna.expression;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlContext;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlExpression;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.MapContext;
import org.apache.commons.jexl3.introspection.JexlPermissions;
import org.apache.commons.jexl3.introspection.JexlUberspect;

/**
 * A rule condition in JEXL, restricted to a side-effect-free expression: no assignment, loops,
 * lambdas, object creation or method calls; only the functions of {@link ConditionFunctions}. No
 * Java class is reachable: names that lead to one are refused when compiling, and the engine's
 * permissions deny the getters behind them, so a path built at run time cannot reach one either.
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

    /** Property names that JEXL resolves to Java getters returning a {@link Class} rather than to data. */
    private static final Set<String> JAVA_NAMES = Set.of("class", "getClass", "declaringClass", "getDeclaringClass");

    /**
     * Without these denials {@code account.class} reads {@code getClass()} of the map behind
     * {@code account}; with them a map key named "class" (a trait, say) is still read as data.
     */
    private static final JexlPermissions PERMISSIONS = JexlPermissions.RESTRICTED.compose(
            ConditionFunctions.class.getPackageName() + ".*",
            "java.lang { Object { getClass(); } Enum { getDeclaringClass(); } Class {} ClassLoader {} Module {} }");

    /**
     * Without JEXL's cache: conditions are compiled once, when rules and segments load, so a cache
     * of parsed sources saves nothing, while with it JEXL 3.5 also caches per operator node the
     * overloads it did not find and re-checks that miss with a new method key on every
     * evaluation (a fifth of a sample condition's time, measured with its JMH benchmark).
     * Without the cache, nothing remembers how a name was resolved either, so the variables'
     * maps are read as maps first: the default strategy looks for a Java getter of the map
     * (getPlan, isPlan) before each key, and those misses were nearly half of a sweep's time in
     * conditions; functions, map accessors and operators are found once ({@link ConditionIntrospection}).
     */
    private static final JexlEngine ENGINE = new JexlBuilder()
            .features(FEATURES)
            .permissions(PERMISSIONS)
            .collectAll(true)
            .strict(true)
            .safe(false)
            .silent(false)
            .cache(0)
            .strategy(JexlUberspect.MAP_STRATEGY)
            .uberspect(new ConditionIntrospection(new JexlBuilder()
                    .permissions(PERMISSIONS)
                    .strategy(JexlUberspect.MAP_STRATEGY)
                    .create()
                    .getUberspect()))
            .create();

    /** A rule without a condition always holds. */
    public static final Condition ALWAYS = new Condition("true", null);

    private final String source;
    private final JexlExpression expression;

    private Condition(String source, JexlExpression expression) {
        this.source = source;
        this.expression = expression;
    }

    /** Compiles a condition; a syntax error, forbidden construct or Java name throws, saying where or which. */
    public static Condition compile(String source) {
        if (source == null || source.isBlank()) {
            return ALWAYS;
        }
        String stripped = source.strip();
        try {
            refuseJavaNames(ENGINE.createScript(stripped));
            return new Condition(stripped, ENGINE.createExpression(stripped));
        } catch (JexlException e) {
            throw new InvalidCondition(describe(e));
        }
    }

    /**
     * Refuses every variable path with a name that would reach a Java class, such as
     * {@code account.class}. A key right under {@code traits} or {@code properties} is the
     * customer's own data (a trait may be called "class"), which the permissions keep as data.
     */
    private static void refuseJavaNames(JexlScript script) {
        for (List<String> path : script.getVariables()) {
            for (int i = 1; i < path.size(); i++) {
                if (JAVA_NAMES.contains(path.get(i)) && !isDataKey(path, i)) {
                    throw new InvalidCondition(
                            "'" + String.join(".", path.subList(0, i + 1)) + "': '" + path.get(i)
                                    + "' is not something a condition can read (Java classes are out of reach); see the fields listed under Conditions");
                }
            }
        }
    }

    private static boolean isDataKey(List<String> path, int index) {
        if (index != 2) {
            return false;
        }
        String root = path.get(0);
        String map = path.get(1);
        return ((root.equals("account") || root.equals("user")) && map.equals("traits"))
                || (root.equals("event") && map.equals("properties"));
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
        throw new InvalidCondition(
                "condition gave " + (result == null ? "null" : "'" + result + "'") + ", not true or false");
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
        throw new InvalidCondition(
                "expression gave " + (result == null ? "null" : "'" + result + "'") + ", not a number");
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
