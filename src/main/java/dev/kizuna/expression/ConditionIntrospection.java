package dev.kizuna.expression;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.jexl3.JexlArithmetic;
import org.apache.commons.jexl3.JexlOperator;
import org.apache.commons.jexl3.introspection.JexlMethod;
import org.apache.commons.jexl3.introspection.JexlPropertyGet;
import org.apache.commons.jexl3.introspection.JexlPropertySet;
import org.apache.commons.jexl3.introspection.JexlUberspect;

/**
 * JEXL's introspection, narrowed and remembered. A function call reaches the functions of
 * {@link ConditionFunctions} alone (JEXL would otherwise also try the methods of the context,
 * such as its {@code set}, and of its arithmetic), looked up once per name and argument types;
 * a map's key is read through an accessor found once per map class and key; an evaluation's
 * operators are made once. With its cache off (see {@link Condition}) JEXL does all of these
 * anew on every evaluation, and a sweep evaluates conditions millions of times: they were nearly
 * half of the time spent in conditions. What is remembered is what JEXL itself found,
 * permissions applied; everything else goes to JEXL unchanged.
 */
final class ConditionIntrospection implements JexlUberspect {

    private record Call(String name, List<Class<?>> argumentTypes) {}

    private record MapKey(List<PropertyResolver> resolvers, Class<?> mapClass, Object key) {}

    /** The operators of the last arithmetic asked for: the engine's, as conditions set no options of their own. */
    private record Operators(JexlArithmetic arithmetic, JexlOperator.Uberspect operators) {}

    /** Keys can come from data (account.traits[user.id]): past this many accessors, the rest are not remembered. */
    private static final int MAP_READS_KEPT = 10_000;

    private final JexlUberspect jexl;
    private final Map<Call, JexlMethod> functions = new ConcurrentHashMap<>();
    private final Map<MapKey, JexlPropertyGet> mapReads = new ConcurrentHashMap<>();
    private volatile Operators lastOperators;

    ConditionIntrospection(JexlUberspect jexl) {
        this.jexl = jexl;
    }

    @Override
    public JexlMethod getMethod(Object target, String name, Object... arguments) {
        if (!(target instanceof ConditionFunctions)) {
            return null;
        }
        Class<?>[] types = new Class<?>[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            types[i] = arguments[i] == null ? null : arguments[i].getClass();
        }
        Call call = new Call(name, Arrays.asList(types));
        JexlMethod found = functions.get(call);
        if (found == null) {
            found = jexl.getMethod(target, name, arguments);
            if (found != null) {
                functions.putIfAbsent(call, found);
            }
        }
        return found;
    }

    @Override
    public JexlArithmetic.Uberspect getArithmetic(JexlArithmetic arithmetic) {
        return jexl.getArithmetic(arithmetic);
    }

    @Override
    public JexlOperator.Uberspect getOperator(JexlArithmetic arithmetic) {
        Operators last = lastOperators;
        if (last == null || last.arithmetic() != arithmetic) {
            last = new Operators(arithmetic, jexl.getOperator(arithmetic));
            lastOperators = last;
        }
        return last.operators();
    }

    @Override
    public Class<?> getClassByName(String name) {
        return jexl.getClassByName(name);
    }

    @Override
    public ClassLoader getClassLoader() {
        return jexl.getClassLoader();
    }

    @Override
    public JexlMethod getConstructor(Object type, Object... arguments) {
        return jexl.getConstructor(type, arguments);
    }

    @Override
    public Iterator<?> getIterator(Object target) {
        return jexl.getIterator(target);
    }

    @Override
    public JexlPropertyGet getPropertyGet(List<PropertyResolver> resolvers, Object target, Object identifier) {
        if (!(target instanceof Map<?, ?>) || identifier == null) {
            return jexl.getPropertyGet(resolvers, target, identifier);
        }
        MapKey read = new MapKey(resolvers, target.getClass(), identifier);
        JexlPropertyGet found = mapReads.get(read);
        if (found == null) {
            found = jexl.getPropertyGet(resolvers, target, identifier);
            if (found != null && mapReads.size() < MAP_READS_KEPT) {
                mapReads.putIfAbsent(read, found);
            }
        }
        return found;
    }

    @Override
    public JexlPropertyGet getPropertyGet(Object target, Object identifier) {
        return jexl.getPropertyGet(target, identifier);
    }

    @Override
    public JexlPropertySet getPropertySet(
            List<PropertyResolver> resolvers, Object target, Object identifier, Object value) {
        return jexl.getPropertySet(resolvers, target, identifier, value);
    }

    @Override
    public JexlPropertySet getPropertySet(Object target, Object identifier, Object value) {
        return jexl.getPropertySet(target, identifier, value);
    }

    @Override
    public List<PropertyResolver> getResolvers(JexlOperator operator, Object target) {
        return jexl.getResolvers(operator, target);
    }

    @Override
    public int getVersion() {
        return jexl.getVersion();
    }

    @Override
    public void setClassLoader(ClassLoader loader) {
        jexl.setClassLoader(loader);
    }
}
