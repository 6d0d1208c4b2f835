package org.onnx2trt.rewrite.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.dsl.parse.RuleParser;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.math.NdArray;

/** Parsing one expression, an environment from a map, and array literals for the eval tests. */
final class EvalTesting {
    private EvalTesting() {}

    /**
     * The expression of {@code compute v = <text>} in a one-rule file named {@code t.rw}.
     *
     * <p>{@code where} and {@code opset} are keywords of the grammar, so a rule cannot call the
     * builtins of those names yet; here their calls are parsed as {@code kw_where(...)} and renamed
     * in the tree (columns after them shift by 3).
     */
    static Expr parse(String text) {
        String escaped = text.replaceAll("\\b(where|opset)\\(", "kw_$1(");
        String rule = "rule R\nmatch\n  n = Relu(x)\ncompute\n  v = " + escaped + "\nrewrite\n  n -> x\nend\n";
        RuleParser.Result r = RuleParser.parse(rule, "t.rw");
        assertTrue(r.ok(), () -> "does not parse: " + text + "\n" + r.diagnostics().format());
        return unescape(r.file().rules().get(0).computes().get(0).value());
    }

    private static Expr unescape(Expr e) {
        if (e instanceof Expr.Call c) {
            List<Expr.Arg> args = c.args().stream().map(a -> new Expr.Arg(a.name(), unescape(a.value()))).toList();
            String fn = c.function().startsWith("kw_") ? c.function().substring(3) : c.function();
            return new Expr.Call(fn, args, c.isNative(), c.span());
        }
        if (e instanceof Expr.Unary u) {
            return new Expr.Unary(u.op(), unescape(u.operand()), u.span());
        }
        if (e instanceof Expr.Binary b) {
            return new Expr.Binary(b.op(), unescape(b.left()), unescape(b.right()), b.span());
        }
        if (e instanceof Expr.Index i) {
            return new Expr.Index(unescape(i.target()), unescape(i.index()), i.span());
        }
        if (e instanceof Expr.ListOf l) {
            return new Expr.ListOf(l.items().stream().map(EvalTesting::unescape).toList(), l.span());
        }
        return e;
    }

    /** A graph value: opaque to the evaluator, known to {@link Env}. */
    record GraphValue(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Names from a map (null values are absent optionals); graph predicates from functions; graph
     * values' constants from a map. Records the predicate calls it answers.
     */
    static final class Env implements Environment {
        final Map<String, Object> names = new HashMap<>();
        final Map<String, Function<List<Object>, Object>> predicates = new HashMap<>();
        final Map<Object, NdArray> constants = new IdentityHashMap<>();
        final List<String> calls = new ArrayList<>();

        Env bind(String name, Object value) {
            names.put(name, value);
            return this;
        }

        /** Binds a graph value named {@code name}, a constant with {@code value} when that is not null. */
        GraphValue graph(String name, NdArray value) {
            GraphValue g = new GraphValue(name);
            names.put(name, g);
            if (value != null) {
                constants.put(g, value);
            }
            return g;
        }

        Env answer(String predicate, Function<List<Object>, Object> fn) {
            predicates.put(predicate, fn);
            return this;
        }

        @Override
        public Object lookup(String name) {
            return names.containsKey(name) ? names.get(name) : UNBOUND;
        }

        @Override
        public Object callPredicate(String name, List<Object> args, Map<String, Object> named) {
            calls.add(name + args);
            Function<List<Object>, Object> fn = predicates.get(name);
            if (fn == null) {
                throw new EvalException("test environment cannot answer `" + name + "`");
            }
            return fn.apply(args);
        }

        @Override
        public NdArray constantValue(Object graphValue) {
            return constants.get(graphValue);
        }
    }

    static Object eval(String text) {
        return eval(text, new Env());
    }

    static Object eval(String text, Env env) {
        return new Evaluator(env).evaluate(parse(text));
    }

    static NdArray evalArray(String text, Env env) {
        Object v = eval(text, env);
        assertTrue(v instanceof NdArray, () -> text + " gave " + v);
        return (NdArray) v;
    }

    static NdArray evalArray(String text) {
        return evalArray(text, new Env());
    }

    /** The reason of the EvalException that evaluating {@code text} throws. */
    static EvalException error(String text, Env env) {
        return assertThrows(EvalException.class, () -> eval(text, env), text);
    }

    static EvalException error(String text) {
        return error(text, new Env());
    }

    static long[] shape(long... dims) {
        return dims;
    }

    static NdArray f32(long[] shape, double... values) {
        return NdArray.ofDoubles(DataType.FLOAT, shape, values);
    }

    static NdArray f64(long[] shape, double... values) {
        return NdArray.ofDoubles(DataType.DOUBLE, shape, values);
    }

    static NdArray i64(long[] shape, long... values) {
        return NdArray.ofLongs(DataType.INT64, shape, values);
    }

    static NdArray of(DataType t, long[] shape, double... values) {
        return NdArray.ofDoubles(t, shape, values);
    }

    /** Same dtype, shape and values (NaN equals NaN). */
    static void assertArray(NdArray expected, Object actual) {
        assertTrue(actual instanceof NdArray, () -> "not a tensor: " + actual);
        NdArray a = (NdArray) actual;
        assertEquals(expected.dtype(), a.dtype(), () -> "dtype of " + a);
        assertArrayEquals(expected.shape(), a.shape(), () -> "shape of " + a);
        assertArrayEquals(expected.toDoubleArray(), a.toDoubleArray(), () -> "values of " + a);
        assertArrayEquals(expected.toLongArray(), a.toLongArray(), () -> "values of " + a);
    }
}
