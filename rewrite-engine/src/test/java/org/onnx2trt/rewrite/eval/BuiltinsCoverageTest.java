package org.onnx2trt.rewrite.eval;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onnx2trt.rewrite.eval.EvalTesting.f32;
import static org.onnx2trt.rewrite.eval.EvalTesting.shape;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.dsl.sema.Builtins;
import org.onnx2trt.rewrite.eval.EvalTesting.Env;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.math.NdArray;

/**
 * Keeps the evaluator and {@link Builtins} in step: every declared builtin has an example call here,
 * with every named argument it declares, and the evaluator computes it.
 */
class BuiltinsCoverageTest {
    private static final Map<String, String> EXAMPLES = new TreeMap<>(Map.ofEntries(
            Map.entry("constant", "constant(w, g)"),
            Map.entry("singleUse", "singleUse(g)"),
            Map.entry("notOutput", "notOutput(g)"),
            Map.entry("onlyOutput", "onlyOutput(g)"),
            Map.entry("isScalar", "isScalar(w)"),
            Map.entry("allZero", "allZero(w)"),
            Map.entry("allEqual", "allEqual(w, 1)"),
            Map.entry("allClose", "allClose(w, 1, rtol: 1e-3, atol: 0)"),
            Map.entry("perChannel", "perChannel(w, axis: 0, rank: 2)"),
            Map.entry("hasType", "hasType(g)"),
            Map.entry("hasCalib", "hasCalib(g)"),
            Map.entry("calib", "calib(g)"),
            Map.entry("producer", "producer(g)"),
            Map.entry("dimIs", "dimIs(g, -2, 1)"),
            Map.entry("readBy", "readBy(g, \"QuantizeLinear\")"),
            Map.entry("excluded", "excluded(g)"),
            Map.entry("param", "param(\"target\")"),
            Map.entry("bound", "bound(w)"),
            Map.entry("opset", "opset()"),
            Map.entry("rank", "rank(w)"),
            Map.entry("shape", "shape(w)"),
            Map.entry("dtype", "dtype(w)"),
            Map.entry("size", "size(w)"),
            Map.entry("len", "len([1, 2])"),
            Map.entry("gather", "gather([10, 20, 30], [2, 0])"),
            Map.entry("sorted", "sorted([3, 1, 2])"),
            Map.entry("without", "without([0, 2, 1], [2])"),
            Map.entry("sqrt", "sqrt(w)"),
            Map.entry("reciprocal", "reciprocal(w)"),
            Map.entry("abs", "abs(w)"),
            Map.entry("exp", "exp(w)"),
            Map.entry("log", "log(w)"),
            Map.entry("logit", "logit(w / 5)"),
            Map.entry("max", "max(w, 2)"),
            Map.entry("min", "min(w, 2)"),
            Map.entry("clip", "clip(w, 1, 3)"),
            Map.entry("where", "where(w > 2, w, 0)"),
            Map.entry("reduceMax", "reduceMax(w, axes: [0], keepdims: false)"),
            Map.entry("reduceMin", "reduceMin(w, axes: [0], keepdims: false)"),
            Map.entry("reduceSum", "reduceSum(w, axes: [0], keepdims: false)"),
            Map.entry("reduceMean", "reduceMean(w, axes: [0], keepdims: false)"),
            Map.entry("reshape", "reshape(w, [-1])"),
            Map.entry("unsqueeze", "unsqueeze(w, [0])"),
            Map.entry("squeeze", "squeeze(unsqueeze(w, [0]))"),
            Map.entry("unsqueezeTo", "unsqueezeTo(reshape(w, [-1]), axis: 0, rank: 4)"),
            Map.entry("transpose", "transpose(w)"),
            Map.entry("pad", "pad(w, [0, 0, 1, 1], 0.5)"),
            Map.entry("slice", "slice(w, [0], [1], [1], [1])"),
            Map.entry("concat", "concat(w, w, axis: 1)"),
            Map.entry("broadcastTo", "broadcastTo(w, [3, 2, 2])"),
            Map.entry("cast", "cast(w, int8)"),
            Map.entry("zerosLike", "zerosLike(w)"),
            Map.entry("onesLike", "onesLike(w)"),
            Map.entry("full", "full([2, 2], 1.0, float16)"),
            Map.entry("tensor", "tensor([1, 2], int32)"),
            Map.entry("eye", "eye(3)"),
            Map.entry("toList", "toList(reshape(w, [-1]))"),
            Map.entry("asDtype", "asDtype(1)"),
            Map.entry("isFloat", "isFloat(dtype(w))"),
            Map.entry("losslessCast", "losslessCast(int8, float16)")));

    static Stream<String> builtins() {
        return Builtins.all().keySet().stream();
    }

    @Test
    void every_builtin_has_an_example_and_every_example_a_builtin() {
        assertEquals(Builtins.all().keySet(), EXAMPLES.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtins")
    void the_evaluator_implements(String name) {
        String text = EXAMPLES.get(name);
        assertNotNull(text, () -> "no example for builtin `" + name + "`: add one here and implement it");
        Builtins.Signature sig = Builtins.find(name);
        Expr.Call call = assertInstanceOf(Expr.Call.class, EvalTesting.parse(text));
        assertEquals(name, call.function());
        long positional = call.args().stream().filter(a -> a.name() == null).count();
        assertTrue(positional >= sig.min() && (sig.max() < 0 || positional <= sig.max()), text);
        Set<String> named = call.args().stream().map(Expr.Arg::name).filter(Objects::nonNull).collect(Collectors.toSet());
        assertEquals(sig.named(), named, () -> text + " should pass every named argument of " + name);

        Env env = new Env()
                .bind("w", f32(shape(2, 2), 1, 2, 3, 4))
                .answer("constant", args -> true)
                .answer("singleUse", args -> true)
                .answer("notOutput", args -> true)
                .answer("onlyOutput", args -> true)
                .answer("hasType", args -> true)
                .answer("opset", args -> 17L)
                .answer("hasCalib", args -> true)
                .answer("calib", args -> Map.of("amax", 2.0, "scale", 2.0 / 127, "min", -1.0, "max", 2.0))
                .answer("producer", args -> "Conv")
                .answer("readBy", args -> false)
                .answer("dimIs", args -> false)
                .answer("excluded", args -> false)
                .answer("param", args -> "tensorrt");
        env.graph("g", null);
        Object result = assertDoesNotThrow(() -> new Evaluator(env).evaluate(call), text);
        assertNotNull(result, text);
        assertTrue(result instanceof NdArray || result instanceof Long || result instanceof Boolean
                || result instanceof List || result instanceof DataType || result instanceof String
                || result instanceof Map, () -> text + " gave " + result);
    }
}
