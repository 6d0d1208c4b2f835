package org.onnx2trt.rewrite.eval;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Java functions a rule may call with {@code native name(...)}: the escape hatch for what the
 * rule language cannot say. Immutable.
 */
public final class NativeFunctions {
    /**
     * A function called with the evaluated arguments (values as described in {@link Values}) and
     * the environment, for graph facts and constants. It may throw {@link EvalException}; any other
     * exception is reported as the function's failure.
     */
    @FunctionalInterface
    public interface NativeFunction {
        Object apply(List<Object> args, Map<String, Object> named, Environment env);
    }

    private static final NativeFunctions NONE = new NativeFunctions(Map.of());

    private final Map<String, NativeFunction> byName;

    private NativeFunctions(Map<String, NativeFunction> byName) {
        this.byName = byName;
    }

    /** No functions. */
    public static NativeFunctions none() {
        return NONE;
    }

    /** The functions in {@code byName}. */
    public static NativeFunctions of(Map<String, NativeFunction> byName) {
        return new NativeFunctions(new TreeMap<>(byName));
    }

    /** This registry plus {@code name}; fails when the name is taken. */
    public NativeFunctions with(String name, NativeFunction fn) {
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("native function `" + name + "` is already registered");
        }
        TreeMap<String, NativeFunction> m = new TreeMap<>(byName);
        m.put(name, fn);
        return new NativeFunctions(m);
    }

    /** The function registered as {@code name}, or null. */
    public NativeFunction find(String name) {
        return byName.get(name);
    }

    /** The registered names, sorted. */
    public Set<String> names() {
        return java.util.Collections.unmodifiableSet(byName.keySet());
    }
}
