package org.onnx2trt.rewrite.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.dsl.diag.Suggestions;
import org.onnx2trt.dsl.sema.Builtins;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.math.ArrayMath;
import org.onnx2trt.tensor.math.DTypes;
import org.onnx2trt.tensor.math.NdArray;
import org.onnx2trt.tensor.math.Reductions;
import org.onnx2trt.tensor.math.ShapeOps;
import org.onnx2trt.tensor.math.Shapes;

/**
 * The builtin functions of {@link Builtins}, one case each. Which ones ask the environment is
 * described on {@link Environment}.
 */
final class BuiltinCalls {
    private final Evaluator evaluator;
    private final Environment env;

    BuiltinCalls(Evaluator evaluator, Environment env) {
        this.evaluator = evaluator;
        this.env = env;
    }

    Object call(Expr.Call c) {
        String fn = c.function();
        Builtins.Signature sig = Builtins.find(fn);
        if (sig == null) {
            throw new EvalException("unknown function `" + fn + "`" + Suggestions.didYouMean(fn, Builtins.all().keySet()));
        }
        Args a = new Args(fn, sig, c);
        return switch (fn) {
            case "constant", "singleUse", "notOutput", "onlyOutput" -> {
                List<Object> graphValues = a.graphValues();
                yield graphValues.isEmpty() || bool(fn, env.callPredicate(fn, graphValues, Map.of()));
            }
            case "hasType" -> {
                Object v = a.raw(0);
                yield v != null && (!Values.isGraphValue(v) || bool(fn, env.callPredicate(fn, List.of(v), Map.of())));
            }
            case "opset" -> longFrom(fn, env.callPredicate(fn, List.of(), Map.of()));
            case "hasCalib" -> Values.isGraphValue(a.raw(0)) && bool(fn, env.callPredicate(fn, List.of(a.raw(0)), Map.of()));
            case "excluded" -> Values.isGraphValue(a.raw(0)) && bool(fn, env.callPredicate(fn, List.of(a.raw(0)), Map.of()));
            case "calib", "producer" -> {
                Object v = a.raw(0);
                if (!Values.isGraphValue(v)) {
                    throw new EvalException("`" + fn + "` needs a value of the graph; " + Evaluator.nameOf(a.expr(0)) + " is "
                            + Values.describe(v));
                }
                yield env.callPredicate(fn, List.of(v), Map.of());
            }
            case "dimIs" -> Values.isGraphValue(a.raw(0))
                    && bool(fn, env.callPredicate(fn, List.of(a.raw(0), Evaluator.longValue(a.raw(1), "the dim"), Evaluator.longValue(a.raw(2), "the size")), Map.of()));
            case "readBy" -> {
                if (!(a.raw(1) instanceof String opType)) {
                    throw new EvalException("`readBy` takes the op type as a string: readBy(y, \"QuantizeLinear\")");
                }
                yield Values.isGraphValue(a.raw(0)) && bool(fn, env.callPredicate(fn, List.of(a.raw(0), opType), Map.of()));
            }
            case "param" -> {
                if (!(a.raw(0) instanceof String name)) {
                    throw new EvalException("`param` takes the parameter's name as a string: param(\"target\")");
                }
                yield env.callPredicate(fn, List.of(name), Map.of());
            }
            case "rank", "shape", "dtype", "size", "isScalar" -> fact(fn, a.raw(0), a.expr(0));
            case "len" -> len(a.raw(0));
            case "gather" -> gather(a);
            case "sorted" -> Values.shapeList(java.util.Arrays.stream(a.longs(0)).sorted().toArray());
            case "without" -> without(a);
            case "allZero" -> allZero(a);
            case "allEqual" -> allEqual(a);
            case "allClose" -> allClose(a);
            case "perChannel" -> perChannel(a);
            case "sqrt", "reciprocal", "abs", "exp", "log", "logit" -> ArrayMath.unary(fn, a.operand(0));
            case "max", "min" -> ArrayMath.binary(fn, a.operand(0), a.operand(1));
            case "clip" -> ArrayMath.binary("min", ArrayMath.binary("max", a.operand(0), a.operand(1)), a.operand(2));
            case "where" -> ArrayMath.where(condition(a), a.operand(1), a.operand(2));
            case "reduceMax", "reduceMin", "reduceSum", "reduceMean" -> Reductions.reduce(fn, a.array(0),
                    a.hasNamed("axes") ? a.longs("axes") : null, a.hasNamed("keepdims") && a.flag("keepdims"));
            case "reshape" -> ShapeOps.reshape(a.array(0), a.longs(1));
            case "unsqueeze" -> ShapeOps.unsqueeze(a.array(0), a.longs(1));
            case "squeeze" -> ShapeOps.squeeze(a.array(0), a.has(1) ? a.longs(1) : null);
            case "unsqueezeTo" -> ShapeOps.unsqueezeTo(a.array(0), a.requiredLong("axis"), a.requiredLong("rank"));
            case "transpose" -> ShapeOps.transpose(a.array(0), a.has(1) ? a.longs(1) : null);
            case "pad" -> pad(a);
            case "slice" -> ShapeOps.slice(a.array(0), a.longs(1), a.longs(2),
                    a.has(3) ? a.longs(3) : null, a.has(4) ? a.longs(4) : null);
            case "concat" -> concat(a);
            case "broadcastTo" -> ShapeOps.broadcastTo(a.array(0), a.longs(1));
            case "cast" -> DTypes.cast(a.exactArray(0), a.dtype(1));
            case "zerosLike" -> like(a, 0);
            case "onesLike" -> like(a, 1);
            case "full" -> ShapeOps.full(a.longs(0),
                    DTypes.cast(a.scalarValue(1), a.has(2) ? a.dtype(2) : DataType.FLOAT));
            case "tensor" -> DTypes.cast(a.exactArray(0), a.has(1) ? a.dtype(1) : DataType.FLOAT);
            case "eye" -> ShapeOps.eye(a.longs(0));
            case "toList" -> toList(a);
            case "asDtype" -> asDtype(a);
            case "isFloat" -> DTypes.isFloat(a.dtype(0));
            case "losslessCast" -> DTypes.holdsEveryValue(a.dtype(0), a.dtype(1));
            default -> throw new EvalException("builtin `" + fn + "` is declared but not implemented");
        };
    }

    // ---- predicates and facts -----------------------------------------------------------------

    private Object fact(String fn, Object v, Expr source) {
        if (v == null) {
            throw new EvalException(Evaluator.nameOf(source) + " is absent; `" + fn + "` needs a value");
        }
        if (Values.isGraphValue(v)) {
            Object answer = Values.normalize(env.callPredicate(fn, List.of(v), Map.of()));
            return switch (fn) {
                case "rank", "size" -> longFrom(fn, answer);
                case "isScalar" -> bool(fn, answer);
                case "dtype" -> {
                    if (!(answer instanceof DataType)) {
                        throw new EvalException("the environment answered `dtype` with " + Values.describe(answer));
                    }
                    yield answer;
                }
                default -> {
                    if (!(answer instanceof List<?> dims) || !dims.stream().allMatch(d -> d instanceof Long)) {
                        throw new EvalException("the environment answered `shape` with " + Values.describe(answer));
                    }
                    yield answer;
                }
            };
        }
        long[] shape;
        DataType dtype;
        if (v instanceof List<?> list) {
            shape = new long[] {list.size()};
            dtype = list.isEmpty() ? DataType.INT64 : Values.listToArray(list, false).dtype();
        } else {
            NdArray x = v instanceof Boolean b ? NdArray.scalar(DataType.BOOL, b ? 1 : 0)
                    : evaluator.array(v, source, "`" + fn + "`");
            shape = x.shapeRef();
            dtype = x.dtype();
        }
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        return switch (fn) {
            case "rank" -> (long) shape.length;
            case "shape" -> Values.shapeList(shape);
            case "dtype" -> dtype;
            case "size" -> size;
            default -> size == 1;
        };
    }

    private Object len(Object v) {
        if (v instanceof List<?> list) {
            return (long) list.size();
        }
        if (v instanceof NdArray x && x.rank() > 0) {
            return x.shapeRef()[0];
        }
        throw new EvalException("`len` needs a list or a tensor of rank 1 or more, got " + Values.describe(v));
    }

    /** numpy take without an axis: list items, or flat tensor elements, at the indices; one index gives one item. */
    private Object gather(Args a) {
        Object source = a.raw(0);
        boolean one = a.raw(1) instanceof Long;
        long[] indices = a.longs(1);
        if (source instanceof List<?> list) {
            List<Object> out = new ArrayList<>(indices.length);
            for (long i : indices) {
                out.add(list.get(Evaluator.indexIn(i, list.size(), "a list of " + list.size() + " items")));
            }
            return one ? out.get(0) : java.util.Collections.unmodifiableList(out);
        }
        NdArray x = a.array(0);
        int[] map = new int[indices.length];
        for (int k = 0; k < map.length; k++) {
            map[k] = Evaluator.indexIn(indices[k], x.size(), "a tensor of " + x.size() + " elements");
        }
        return x.gather(one ? Shapes.SCALAR : new long[] {map.length}, map);
    }

    private Object without(Args a) {
        long[] items = a.longs(0);
        java.util.Set<Long> drop = new java.util.HashSet<>();
        for (long d : a.longs(1)) {
            drop.add(d);
        }
        return Values.shapeList(java.util.Arrays.stream(items).filter(i -> !drop.contains(i)).toArray());
    }

    private boolean allZero(Args a) {
        if (a.raw(0) instanceof List<?> list) {
            for (Object item : list) {
                if (!Values.equal(item, 0L)) {
                    return false;
                }
            }
            return true;
        }
        NdArray x = a.array(0);
        for (int i = 0; i < x.size(); i++) {
            if (x.getDouble(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every element of the first argument within {@code atol + rtol·|v|} of {@code v} (numpy.isclose;
     * defaults rtol 1e-5, atol 1e-8): the comparison for floats that went through float32.
     */
    private boolean allClose(Args a) {
        NdArray x = a.array(0);
        NdArray v = a.array(1);
        double rtol = a.hasNamed("rtol") ? a.requiredDouble("rtol") : 1e-5;
        double atol = a.hasNamed("atol") ? a.requiredDouble("atol") : 1e-8;
        long[] shape = Shapes.broadcast(x.shapeRef(), v.shapeRef());
        NdArray xs = ShapeOps.expand(x, shape);
        NdArray vs = ShapeOps.expand(v, shape);
        for (int i = 0; i < xs.size(); i++) {
            double want = vs.getDouble(i);
            if (!(Math.abs(xs.getDouble(i) - want) <= atol + rtol * Math.abs(want))) {
                return false;
            }
        }
        return true;
    }

    private boolean allEqual(Args a) {
        Object expected = a.raw(1);
        if (a.raw(0) instanceof List<?> list && !(expected instanceof NdArray)) {
            for (Object item : list) {
                if (!Values.equal(item, expected)) {
                    return false;
                }
            }
            return true;
        }
        Object eq = ArrayMath.compare("==", a.array(0), a.operand(1));
        NdArray r = eq instanceof NdArray t ? t : NdArray.scalar(DataType.BOOL, (Boolean) eq ? 1 : 0);
        for (int i = 0; i < r.size(); i++) {
            if (r.getLong(i) == 0) {
                return false;
            }
        }
        return true;
    }

    /** 1-D; or, with {@code axis:}, all dims 1 but that one (and as many dims as {@code rank:} when given). */
    /**
     * Whether {@code x} holds one value per channel: without {@code axis}, whether it is 1-D; with
     * {@code axis} alone, whether every dim of {@code x} but that one is 1; with {@code rank} too, whether
     * {@code x} broadcast against a tensor of that rank varies along {@code axis} of it only, numpy
     * aligning the last dims (so a 1-D [C] against rank 4 runs along the last axis, not axis 1).
     */
    private boolean perChannel(Args a) {
        NdArray x = a.array(0);
        if (!a.hasNamed("axis")) {
            return x.rank() == 1;
        }
        long[] shape = x.shapeRef();
        if (a.hasNamed("rank")) {
            long rank = a.requiredLong("rank");
            if (x.rank() > rank) {
                return false;
            }
            int axis = Shapes.axis(a.requiredLong("axis"), (int) rank, "`perChannel` axis");
            int offset = (int) rank - x.rank(); // x's dim d lines up with dim d + offset of the other
            for (int d = 0; d < shape.length; d++) {
                if (d + offset != axis && shape[d] != 1) {
                    return false;
                }
            }
            return true;
        }
        if (x.rank() == 0) {
            return false;
        }
        int axis = Shapes.axis(a.requiredLong("axis"), x.rank(), "`perChannel` axis");
        for (int d = 0; d < shape.length; d++) {
            if (d != axis && shape[d] != 1) {
                return false;
            }
        }
        return true;
    }

    private Object condition(Args a) {
        Object c = a.raw(0);
        if (c instanceof Boolean) {
            return c;
        }
        return a.array(0);
    }

    // ---- tensors ------------------------------------------------------------------------------

    private NdArray pad(Args a) {
        NdArray x = a.array(0);
        NdArray value = a.has(2) ? a.scalarValue(2) : NdArray.scalar(DataType.INT64, 0);
        DataType t = x.dtype();
        // the value must be one x's dtype holds: 0.5 cannot pad an int8 tensor, 300 cannot pad a uint8 one
        if (DTypes.isFloat(t)) {
            value = DTypes.cast(value, t);
        } else if (DTypes.isExactType(value.dtype())) {
            value = NdArray.ofLongs(t, Shapes.SCALAR, value.getLong(0));
        } else {
            value = NdArray.ofDoubles(t, Shapes.SCALAR, value.getDouble(0));
        }
        return ShapeOps.pad(x, a.longs(1), value);
    }

    private Object concat(Args a) {
        List<Object> parts = a.positional();
        boolean allLists = parts.stream().allMatch(p -> p instanceof List<?> l
                && l.stream().allMatch(i -> i instanceof Long || i instanceof Double || i instanceof Boolean));
        if (allLists && !a.hasNamed("axis")) {
            List<Object> out = new ArrayList<>();
            parts.forEach(p -> out.addAll((List<?>) p));
            return java.util.Collections.unmodifiableList(out);
        }
        List<NdArray> arrays = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Object p = parts.get(i);
            if (p instanceof List<?> l && l.stream().anyMatch(item -> item instanceof NdArray || Values.isGraphValue(item))) {
                for (Object item : l) {
                    arrays.add(evaluator.array(item, a.expr(i), "`concat`"));
                }
            } else {
                arrays.add(a.array(i));
            }
        }
        return ShapeOps.concat(arrays, a.hasNamed("axis") ? a.requiredLong("axis") : 0);
    }

    /** A list stays; a tensor of rank 0 or 1 becomes a list of ints (integer and bool types) or floats. */
    private Object toList(Args a) {
        if (a.raw(0) instanceof List<?> list) {
            return list;
        }
        NdArray x = a.array(0);
        if (x.rank() > 1) {
            throw new EvalException("`toList` needs a tensor of rank 0 or 1, got " + Values.describe(x));
        }
        boolean exact = DTypes.isExactType(x.dtype());
        List<Object> out = new ArrayList<>(x.size());
        for (int i = 0; i < x.size(); i++) {
            out.add(exact ? (Object) x.getLong(i) : (Object) x.getDouble(i));
        }
        return java.util.Collections.unmodifiableList(out);
    }

    private Object asDtype(Args a) {
        long code = Evaluator.longValue(a.raw(0), "`asDtype`'s argument");
        DataType t = code >= 0 && code <= Integer.MAX_VALUE ? DataType.fromCode((int) code).orElse(null) : null;
        if (t == null || t == DataType.UNDEFINED) {
            throw new EvalException("`asDtype`: " + code + " is not the number of an ONNX element type");
        }
        return t;
    }

    private Object like(Args a, long value) {
        Object v = a.raw(0);
        if (v instanceof Long) {
            return value;
        }
        if (v instanceof Double) {
            return (double) value;
        }
        long[] shape;
        DataType dtype;
        NdArray c = Values.isGraphValue(v) ? env.constantValue(v) : null;
        if (Values.isGraphValue(v) && c == null) {
            // not a constant: its static type says enough
            List<?> dims = (List<?>) fact("shape", v, a.expr(0));
            shape = dims.stream().mapToLong(d -> (Long) d).toArray();
            dtype = (DataType) fact("dtype", v, a.expr(0));
        } else {
            NdArray x = c != null ? c : a.array(0);
            shape = x.shapeRef();
            dtype = x.dtype();
        }
        return ShapeOps.full(shape, NdArray.ofLongs(dtype, Shapes.SCALAR, value));
    }

    private static boolean bool(String fn, Object answer) {
        if (answer instanceof Boolean b) {
            return b;
        }
        throw new EvalException("the environment answered `" + fn + "` with " + Values.describe(answer));
    }

    private static long longFrom(String fn, Object answer) {
        Object v = Values.normalize(answer);
        if (v instanceof Long l) {
            return l;
        }
        throw new EvalException("the environment answered `" + fn + "` with " + Values.describe(v));
    }

    /** The evaluated arguments of one call, checked against the signature, with conversions. */
    private final class Args {
        private final String fn;
        private final List<Object> values = new ArrayList<>();
        private final List<Expr> exprs = new ArrayList<>();
        private final Map<String, Object> named = new HashMap<>();
        private final Map<String, Expr> namedExprs = new HashMap<>();

        Args(String fn, Builtins.Signature sig, Expr.Call c) {
            this.fn = fn;
            for (Expr.Arg arg : c.args()) {
                if (arg.name() == null) {
                    exprs.add(arg.value());
                    continue;
                }
                if (!sig.named().contains(arg.name())) {
                    throw new EvalException("`" + fn + "` has no argument `" + arg.name() + "`"
                            + Suggestions.didYouMean(arg.name(), sig.named()));
                }
                if (namedExprs.put(arg.name(), arg.value()) != null) {
                    throw new EvalException("argument `" + arg.name() + "` is given twice");
                }
            }
            int n = exprs.size();
            if (n < sig.min() || (sig.max() >= 0 && n > sig.max())) {
                String want = sig.max() < 0 ? "at least " + sig.min()
                        : sig.min() == sig.max() ? String.valueOf(sig.min()) : sig.min() + " to " + sig.max();
                boolean one = want.equals("1") || want.equals("at least 1");
                throw new EvalException("`" + fn + "` takes " + want + " argument" + (one ? "" : "s") + ", got " + n);
            }
            for (Expr e : exprs) {
                values.add(evaluator.evaluate(e));
            }
            for (Map.Entry<String, Expr> e : namedExprs.entrySet()) {
                named.put(e.getKey(), evaluator.evaluate(e.getValue()));
            }
        }

        boolean has(int i) {
            return i < values.size();
        }

        boolean hasNamed(String name) {
            return namedExprs.containsKey(name);
        }

        Object raw(int i) {
            return values.get(i);
        }

        Expr expr(int i) {
            return exprs.get(i);
        }

        List<Object> positional() {
            return values;
        }

        /**
         * The graph values among the positional arguments, lists (variadic inputs) flattened. The
         * others pass graph predicates by themselves: an absent optional or a computed value is
         * constant, has no readers and is no graph output.
         */
        List<Object> graphValues() {
            List<Object> out = new ArrayList<>();
            for (Object v : values) {
                for (Object item : v instanceof List<?> l ? l : java.util.Collections.singletonList(v)) {
                    if (Values.isGraphValue(item)) {
                        out.add(item);
                    }
                }
            }
            return out;
        }

        Object operand(int i) {
            return evaluator.operand(raw(i), expr(i), "`" + fn + "`");
        }

        NdArray array(int i) {
            return evaluator.array(raw(i), expr(i), "`" + fn + "`");
        }

        NdArray exactArray(int i) {
            return evaluator.exactArray(raw(i), expr(i), "`" + fn + "`");
        }

        /** A number, bool or one-element tensor, as an exact 0-d tensor. */
        NdArray scalarValue(int i) {
            NdArray x = exactArray(i);
            if (x.size() != 1) {
                throw new EvalException("`" + fn + "` needs a single value, got " + Values.describe(raw(i)));
            }
            return x.rank() == 0 ? x : x.withShape(Shapes.SCALAR);
        }

        DataType dtype(int i) {
            if (raw(i) instanceof DataType t) {
                return t;
            }
            throw new EvalException("`" + fn + "` needs a dtype such as float32 or int8, got " + Values.describe(raw(i)));
        }

        long[] longs(int i) {
            return toLongs(raw(i), expr(i));
        }

        long[] longs(String name) {
            return toLongs(named.get(name), namedExprs.get(name));
        }

        double requiredDouble(String name) {
            if (!hasNamed(name)) {
                throw new EvalException("`" + fn + "` needs `" + name + ":`");
            }
            if (named.get(name) instanceof Number n) {
                return n.doubleValue();
            }
            throw new EvalException("`" + name + "` must be a number, got " + Values.describe(named.get(name)));
        }

        long requiredLong(String name) {
            if (!hasNamed(name)) {
                throw new EvalException("`" + fn + "` needs `" + name + ":`");
            }
            return Evaluator.longValue(named.get(name), "`" + name + "`");
        }

        boolean flag(String name) {
            Object v = named.get(name);
            if (v instanceof Boolean b) {
                return b;
            }
            if (v instanceof Long l && (l == 0 || l == 1)) {
                return l == 1;
            }
            throw new EvalException("`" + name + "` must be true or false, got " + Values.describe(v));
        }

        /** Integers from a list, one integer, or an integer tensor of rank 0 or 1. */
        private long[] toLongs(Object v, Expr source) {
            if (v instanceof Long l) {
                return new long[] {l};
            }
            if (v instanceof List<?> list) {
                long[] out = new long[list.size()];
                for (int k = 0; k < out.length; k++) {
                    out[k] = Evaluator.longValue(list.get(k), "each item of the `" + fn + "` list");
                }
                return out;
            }
            NdArray x = Values.isGraphValue(v) || v instanceof NdArray ? evaluator.array(v, source, "`" + fn + "`") : null;
            if (x != null && x.rank() <= 1 && (DTypes.isInteger(x.dtype()) || x.size() == 0)) {
                return x.toLongArray();
            }
            throw new EvalException("`" + fn + "` needs a list of integers, got " + Values.describe(v));
        }
    }
}
