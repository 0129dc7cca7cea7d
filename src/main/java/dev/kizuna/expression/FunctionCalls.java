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
 * JEXL's introspection, with the functions of {@link ConditionFunctions} looked up once per
 * name and argument types instead of on every call. With its cache off (see {@link Condition})
 * JEXL resolves a function anew each time it is called, and a sweep calls them millions of
 * times: that lookup was over a third of the time spent in conditions. What is cached is what
 * JEXL itself found, permissions applied; everything else goes to JEXL unchanged.
 */
final class FunctionCalls implements JexlUberspect {

    private record Call(String name, List<Class<?>> argumentTypes) {}

    private final JexlUberspect jexl;
    private final Map<Call, JexlMethod> functions = new ConcurrentHashMap<>();

    FunctionCalls(JexlUberspect jexl) {
        this.jexl = jexl;
    }

    @Override
    public JexlMethod getMethod(Object target, String name, Object... arguments) {
        if (!(target instanceof ConditionFunctions)) {
            return jexl.getMethod(target, name, arguments);
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
        return jexl.getOperator(arithmetic);
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
        return jexl.getPropertyGet(resolvers, target, identifier);
    }

    @Override
    public JexlPropertyGet getPropertyGet(Object target, Object identifier) {
        return jexl.getPropertyGet(target, identifier);
    }

    @Override
    public JexlPropertySet getPropertySet(List<PropertyResolver> resolvers, Object target, Object identifier, Object value) {
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
