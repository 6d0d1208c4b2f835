package org.onnx2trt.rewrite.eval;

import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.math.DTypes;
import org.onnx2trt.tensor.math.NdArray;
import org.onnx2trt.tensor.math.Shapes;

/**
 * The values rule expressions compute with. They are plain Java objects:
 * <ul>
 *   <li>{@link NdArray}: a tensor (a matched constant, or computed);
 *   <li>{@code Long}, {@code Double}: a number from a literal, an attribute or a fact such as
 *       {@code rank(w)}; weak in arithmetic with tensors (see {@link DTypes}), exact with each other;
 *   <li>{@code Boolean}: the result of a check or a comparison of non-tensors;
 *   <li>{@code String}: a string literal or attribute;
 *   <li>{@code List<Object>}: a list literal such as {@code [1, 0]}, a shape, or the values of a
 *       variadic input;
 *   <li>{@link DataType}: a dtype name such as {@code float32};
 *   <li>{@code null}: an optional input that is absent ({@code b ?? zerosLike(mean)});
 *   <li>anything else: a graph value the {@link Environment} bound, opaque to the evaluator: facts about
 *       it come from the environment, and its elements from {@link Environment#constantValue}.
 * </ul>
 * Where a tensor is needed, a number or a list is converted: integers (all of them) to int64,
 * otherwise float32, the rule language's default float type; {@code Double} 0-d likewise float32.
 * {@code cast}, {@code tensor} and {@code full} convert exactly instead (a float literal is rounded only
 * once, into the requested dtype).
 */
public final class Values {
    private Values() {}

    /** Whether {@code v} is a graph value: none of the kinds the evaluator knows. */
    public static boolean isGraphValue(Object v) {
        return v != null && !(v instanceof NdArray || v instanceof Long || v instanceof Double || v instanceof Boolean
                || v instanceof String || v instanceof List || v instanceof DataType);
    }

    /** What kind of value {@code v} is, for messages: "an int", "a float32[3] tensor". */
    public static String describe(Object v) {
        if (v == null) {
            return "an absent value";
        }
        if (v instanceof NdArray a) {
            return "a " + a.dtype() + Shapes.str(a.shapeRef()) + " tensor";
        }
        if (v instanceof Long) {
            return "an int";
        }
        if (v instanceof Double) {
            return "a float";
        }
        if (v instanceof Boolean) {
            return "a bool";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof DataType) {
            return "a dtype";
        }
        return "a graph value";
    }

    /** Java numbers as the evaluator's ({@code Integer} to {@code Long}, {@code Float} to {@code Double}), lists deeply. */
    static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(normalize(o));
            }
            return java.util.Collections.unmodifiableList(out);
        }
        return v;
    }

    /**
     * {@code a == b} for values that are not tensors: numbers by value (1 == 1.0), lists item by
     * item, strings, bools and dtypes by equality, null only equal to null. Fails for two values of
     * different kinds ("cannot compare a dtype with an int").
     */
    static boolean equal(Object a, Object b) {
        Boolean r = equalOrNull(a, b);
        if (r == null) {
            throw new EvalException("cannot compare " + describe(a) + " with " + describe(b));
        }
        return r;
    }

    private static Boolean equalOrNull(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return x.longValue() == y.longValue();
        }
        if ((a instanceof Long || a instanceof Double) && (b instanceof Long || b instanceof Double)) {
            return ((Number) a).doubleValue() == ((Number) b).doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!Boolean.TRUE.equals(equalOrNull(x.get(i), y.get(i)))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Boolean || a instanceof String || a instanceof DataType) {
            return a.getClass() == b.getClass() ? a.equals(b) : null;
        }
        if (a instanceof NdArray || b instanceof NdArray) {
            return a.equals(b);
        }
        return a.getClass() == b.getClass() ? a.equals(b) : null;
    }

    /**
     * A (nested) list as a tensor: all bools give bool, all integers int64, otherwise float32, or
     * float64 when {@code exact}. Ragged lists and lists mixing bools with numbers fail.
     */
    static NdArray listToArray(List<?> list, boolean exact) {
        // the shape follows the first items down; flatten() then checks every item against it
        List<Long> dims = new ArrayList<>();
        Object first = list;
        while (first instanceof List<?> l) {
            dims.add((long) l.size());
            first = l.isEmpty() ? null : l.get(0);
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        List<Object> leaves = new ArrayList<>();
        flatten(list, shape, 0, leaves);
        boolean bools = !leaves.isEmpty();
        boolean ints = true;
        for (Object o : leaves) {
            bools &= o instanceof Boolean;
            ints &= o instanceof Long;
        }
        int n = leaves.size();
        if (bools || ints) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = leaves.get(i) instanceof Boolean b ? (b ? 1 : 0) : (Long) leaves.get(i);
            }
            return NdArray.ofLongs(bools ? DataType.BOOL : DataType.INT64, shape, v);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            if (leaves.get(i) instanceof Boolean) {
                throw new EvalException("a list mixes bools and numbers");
            }
            v[i] = ((Number) leaves.get(i)).doubleValue();
        }
        return NdArray.ofDoubles(exact ? DataType.DOUBLE : DataType.FLOAT, shape, v);
    }

    private static void flatten(List<?> list, long[] shape, int depth, List<Object> leaves) {
        if (list.size() != shape[depth]) {
            throw new EvalException("a ragged list: lists of " + shape[depth] + " and of " + list.size() + " items");
        }
        for (Object o : list) {
            boolean inner = depth + 1 < shape.length;
            if (inner != o instanceof List) {
                throw new EvalException("a list mixes numbers and lists");
            }
            if (inner) {
                flatten((List<?>) o, shape, depth + 1, leaves);
            } else {
                leaves.add(leaf(o));
            }
        }
    }

    private static Object leaf(Object o) {
        if (o instanceof Long || o instanceof Double || o instanceof Boolean) {
            return o;
        }
        if (o instanceof NdArray a && a.size() == 1) {
            return a.dtype() == DataType.BOOL ? (Object) (a.getLong(0) != 0)
                    : DTypes.isExactType(a.dtype()) ? (Object) a.getLong(0) : (Object) a.getDouble(0);
        }
        throw new EvalException("a list of numbers cannot hold " + describe(o));
    }

    /** A shape as the list {@code shape()} returns. */
    static List<Object> shapeList(long[] shape) {
        List<Object> out = new ArrayList<>(shape.length);
        for (long d : shape) {
            out.add(d);
        }
        return java.util.Collections.unmodifiableList(out);
    }
}
