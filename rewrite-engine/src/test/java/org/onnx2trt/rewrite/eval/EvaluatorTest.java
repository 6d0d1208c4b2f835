package org.onnx2trt.rewrite.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onnx2trt.rewrite.eval.EvalTesting.assertArray;
import static org.onnx2trt.rewrite.eval.EvalTesting.error;
import static org.onnx2trt.rewrite.eval.EvalTesting.eval;
import static org.onnx2trt.rewrite.eval.EvalTesting.evalArray;
import static org.onnx2trt.rewrite.eval.EvalTesting.f32;
import static org.onnx2trt.rewrite.eval.EvalTesting.i64;
import static org.onnx2trt.rewrite.eval.EvalTesting.of;
import static org.onnx2trt.rewrite.eval.EvalTesting.parse;
import static org.onnx2trt.rewrite.eval.EvalTesting.shape;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.rewrite.eval.EvalTesting.Env;
import org.onnx2trt.rewrite.eval.EvalTesting.GraphValue;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.math.ArrayMath;

/** Literals, names, operators, indexing, the builtins that answer facts and predicates, native calls, errors. */
class EvaluatorTest {

    /** w = [[1, 2], [3, 4]] float32; b absent; k = 5; g a graph value that is not a constant; c one that is. */
    private static Env env() {
        Env env = new Env()
                .bind("w", f32(shape(2, 2), 1, 2, 3, 4))
                .bind("b", null)
                .bind("k", 5L);
        env.graph("g", null);
        env.graph("c", f32(shape(2), 4, 9));
        return env;
    }

    @Test
    void literals_and_names() {
        assertEquals(3L, eval("3"));
        assertEquals(2.5, eval("2.5"));
        assertEquals(1e-5, eval("1e-5"));
        assertEquals("hi", eval("\"hi\""));
        assertEquals(true, eval("true"));
        assertEquals(Arrays.asList(1L, 2.5, true, List.of(-1L)), eval("[1, 2.5, true, [-1]]"));
        assertEquals(DataType.FLOAT, eval("float32"));
        assertEquals(DataType.BFLOAT16, eval("bfloat16"));
        assertEquals(DataType.DOUBLE, eval("float64"));
        assertEquals(DataType.BOOL, eval("bool"));
        assertEquals(DataType.UINT64, eval("uint64"));
        assertEquals(5L, eval("k", env()));
        assertEquals("unknown name `zz`", error("zz").reason());
    }

    @Test
    void environment_numbers_are_normalized() {
        Env env = new Env().bind("i", 3).bind("f", 0.5f).bind("l", List.of(1, 2));
        assertEquals(3L, eval("i", env));
        assertEquals(0.5, eval("f", env));
        assertEquals(List.of(1L, 2L), eval("l", env));
        assertEquals(6L, eval("i * 2", env));
    }

    @Test
    void coalesce_gives_the_right_side_only_for_absent_values() {
        assertEquals(3L, eval("b ?? 3", env()));
        assertEquals(5L, eval("k ?? zz", env())); // the right side is not evaluated
        assertArray(f32(shape(2), 0, 0), evalArray("b ?? zerosLike(c)", env()));
        assertEquals("`b` is absent (an optional input that is not there); write `b ?? ...` to give a default",
                error("b + 1", env()).reason());
        assertEquals("the value is absent (an optional input that is not there)",
                error("sqrt([b][0])", env()).reason());
    }

    @Test
    void and_or_short_circuit_and_not() {
        assertEquals(false, eval("false and zz"));
        assertEquals(true, eval("true or zz"));
        assertEquals(true, eval("true and 1 == 1"));
        assertEquals(false, eval("false or 1 > 2"));
        assertEquals(true, eval("not false"));
        assertEquals(true, eval("not (1 == 2)"));
        assertEquals(true, eval("reduceMax(w) > 3 and true", env()));
        assertEquals("`and` needs true or false, got an int", error("1 and true").reason());
        assertEquals("`not` needs true or false, got a bool[2] tensor", error("not (tensor([1, 2]) == 1)").reason());
    }

    @Test
    void comparisons_of_non_tensors_give_a_boolean() {
        assertEquals(true, eval("1 == 1.0"));
        assertEquals(true, eval("2 < 3"));
        assertEquals(false, eval("3 >= 3.5"));
        assertEquals(true, eval("3 <= 3"));
        assertEquals(false, eval("0.0 / 0.0 == 0.0 / 0.0"));
        assertEquals(true, eval("9223372036854775807 != 9223372036854775806"));
        assertEquals(true, eval("[1, 2] == [1, 2.0]"));
        assertEquals(true, eval("[1, 2] != [1, 2, 3]"));
        assertEquals(true, eval("[[1], [2]] == [[1], [2]]"));
        assertEquals(true, eval("dtype(w) == float32", env()));
        assertEquals(false, eval("float32 == int8"));
        assertEquals(true, eval("\"a\" != \"b\""));
        assertEquals(true, eval("b == b", env()));
        assertEquals(false, eval("b == 1", env()));
        assertEquals(true, eval("shape(w) == [2, 2]", env()));
        assertEquals("cannot compare a dtype with an int", error("float32 == 1").reason());
        assertEquals("`<` needs numbers or tensors, got a list and a list", error("[1] < [2]").reason());
        // a graph constant is compared as a tensor
        assertArray(of(DataType.BOOL, shape(2), 1, 0), evalArray("c == 4", env()));
    }

    @Test
    void indexing_lists_and_tensors() {
        Env env = env();
        assertEquals(2L, eval("shape(w)[0]", env));
        assertEquals(2L, eval("shape(w)[-1]", env));
        assertEquals(30L, eval("[10, 20, 30][-1]"));
        assertArray(f32(shape(2), 3, 4), evalArray("w[1]", env));
        assertArray(f32(shape(), 2), evalArray("w[0][-1]", env));
        assertArray(f32(shape(), 9), evalArray("c[1]", env));
        assertEquals(4L, eval("[1, 2, 3, 4][tensor(3, int64)]"));
        assertEquals("index 5 is out of range for a list of 3 items", error("[1, 2, 3][5]").reason());
        assertEquals("index -4 is out of range for a list of 3 items", error("[1, 2, 3][-4]").reason());
        assertEquals("index 2 is out of range for axis 0 of size 2", error("w[2]", env).reason());
        assertEquals("an index must be an integer, got a float", error("[1, 2][0.5]").reason());
        assertEquals("cannot index a 0-d tensor", error("3[0]").reason());
    }

    @Test
    void facts_about_tensors_lists_and_numbers() {
        Env env = env();
        assertEquals(2L, eval("rank(w)", env));
        assertEquals(List.of(2L, 2L), eval("shape(w)", env));
        assertEquals(DataType.FLOAT, eval("dtype(w)", env));
        assertEquals(4L, eval("size(w)", env));
        assertEquals(false, eval("isScalar(w)", env));
        assertEquals(true, eval("isScalar(w[0][0])", env));
        assertEquals(1L, eval("rank([1, 2, 3])"));
        assertEquals(List.of(3L), eval("shape([1, 2, 3])"));
        assertEquals(DataType.INT64, eval("dtype([1, 2, 3])"));
        assertEquals(DataType.FLOAT, eval("dtype([1, 2.5])"));
        assertEquals(0L, eval("rank(5)"));
        assertEquals(List.of(), eval("shape(5)"));
        assertEquals(DataType.INT64, eval("dtype(5)"));
        assertEquals(DataType.FLOAT, eval("dtype(0.5)"));
        assertEquals(DataType.BOOL, eval("dtype(true)"));
        assertEquals(true, eval("isScalar(0.5)"));
        assertEquals(1L, eval("size(7)"));
        assertEquals(3L, eval("len([1, 2, 3])"));
        assertEquals(2L, eval("len(w)", env));
        assertEquals("`len` needs a list or a tensor of rank 1 or more, got an int", error("len(3)").reason());
        assertEquals("`b` is absent; `rank` needs a value", error("rank(b)", env).reason());
        // nothing was asked of the graph
        assertEquals(List.of(), env.calls);
    }

    @Test
    void facts_about_graph_values_come_from_the_environment() {
        Env env = env()
                .answer("rank", args -> 4)
                .answer("shape", args -> List.of(1, 3, 224, 224))
                .answer("dtype", args -> DataType.FLOAT16)
                .answer("size", args -> 150528L)
                .answer("isScalar", args -> false)
                .answer("hasType", args -> true)
                .answer("opset", args -> 13);
        assertEquals(4L, eval("rank(g)", env));
        assertEquals(List.of(1L, 3L, 224L, 224L), eval("shape(g)", env));
        assertEquals(224L, eval("shape(g)[-1]", env));
        assertEquals(DataType.FLOAT16, eval("dtype(g)", env));
        assertEquals(true, eval("dtype(g) == float16", env));
        assertEquals(150528L, eval("size(g)", env));
        assertEquals(false, eval("isScalar(g)", env));
        assertEquals(true, eval("hasType(g)", env));
        assertEquals(true, eval("hasType(w)", env));
        assertEquals(false, eval("hasType(b)", env));
        assertEquals(13L, eval("opset()", env));
        assertEquals(true, eval("opset() >= 13", env));
        assertEquals(List.of("rank[g]", "shape[g]", "shape[g]", "dtype[g]", "dtype[g]", "size[g]", "isScalar[g]",
                "hasType[g]", "opset[]", "opset[]"), env.calls);
        // a value that is not a constant still has a shape and type: zeros of them
        assertArray(of(DataType.FLOAT16, shape(1, 3, 224, 224), new double[150528]), evalArray("zerosLike(g)", env));
        env.answer("rank", args -> "four");
        assertEquals("the environment answered `rank` with a string", error("rank(g)", env).reason());
    }

    @Test
    void graph_predicates_skip_absent_and_computed_values() {
        Env env = env()
                .answer("constant", args -> args.stream().allMatch(a -> a.equals(new GraphValue("c"))))
                .answer("singleUse", args -> args.size() == 1)
                .answer("notOutput", args -> true);
        assertEquals(true, eval("constant(w, b, 2.0, [1, 2])", env));
        assertEquals(List.of(), env.calls); // all known constants: no question asked
        assertEquals(true, eval("constant(w, b, c)", env));
        assertEquals(false, eval("constant(c, g)", env));
        assertEquals(true, eval("singleUse(g, b)", env));
        assertEquals(true, eval("singleUse(b)", env));
        assertEquals(true, eval("notOutput(w, 3)", env));
        assertEquals(true, eval("notOutput(g, c)", env));
        assertEquals(List.of("constant[c]", "constant[c, g]", "singleUse[g]", "notOutput[g, c]"), env.calls);
        // the values of a variadic input come as a list, flattened for the question
        env.bind("xs", List.of(env.names.get("c"), env.names.get("g")));
        assertEquals(false, eval("constant(xs)", env));
        assertEquals("test environment cannot answer `hasType`", error("hasType(g)", env).reason());
    }

    @Test
    void value_predicates() {
        Env env = env();
        assertEquals(true, eval("allZero([0, 0.0])"));
        assertEquals(false, eval("allZero([0, 1])"));
        assertEquals(true, eval("allZero(zerosLike(w))", env));
        assertEquals(false, eval("allZero(w)", env));
        assertEquals(true, eval("allZero(0)"));
        assertEquals(true, eval("allZero(c - c)", env));
        assertEquals(true, eval("allEqual(onesLike(w), 1)", env));
        assertEquals(false, eval("allEqual(w, 1)", env));
        assertEquals(true, eval("allEqual([2, 2.0], 2)"));
        assertEquals(true, eval("allEqual(w, [[1, 2], [3, 4]])", env));
        assertEquals(true, eval("allEqual(c, c)", env));
        assertEquals(true, eval("allEqual(tensor([]), 3)"));
        assertEquals(false, eval("allEqual([0.0 / 0.0], 0.0 / 0.0)"));
        assertEquals("cannot broadcast [2, 2] with [3]", error("allEqual(w, [1, 2, 3])", env).reason());
        assertEquals(true, eval("perChannel([1, 2])"));
        assertEquals(true, eval("perChannel(reshape([1, 2, 3], [1, 3, 1, 1]), axis: 1)"));
        assertEquals(true, eval("perChannel(reshape([1, 2, 3], [1, 3, 1, 1]), axis: -3, rank: 4)"));
        assertEquals(false, eval("perChannel(reshape([1, 2, 3], [1, 3, 1, 1]), axis: 1, rank: 3)"));
        assertEquals(false, eval("perChannel(reshape([1, 2, 3], [1, 3, 1, 1]), axis: 0)"));
        assertEquals(false, eval("perChannel(w)", env));
        assertEquals(true, eval("perChannel([[5]], axis: 0)"));
        // comparisons run in the tensor's dtype: the literal √2 rounds to the float32 √2 the tensor holds
        assertEquals(true, eval("allEqual(tensor(1.4142135), 1.4142135)"));
        assertEquals(true, eval("allEqual(tensor(0.2), 0.2)"));
        assertEquals(false, eval("allEqual(tensor(0.2), 0.2000001)"));
        assertEquals(true, eval("allClose(tensor([0.2, 0.2]), 0.2000001)"));
        assertEquals(false, eval("allClose(tensor(0.2), 0.21)"));
        assertEquals(true, eval("allClose(tensor(0.2), 0.21, atol: 0.02)"));
        // broadcasting aligns the last dims: a 1-D [C] against a rank-4 tensor runs along its width
        assertEquals(false, eval("perChannel([1, 2, 3], axis: 1, rank: 4)"));
        assertEquals(true, eval("perChannel(reshape([1, 2, 3], [3, 1, 1]), axis: 1, rank: 4)"));
        assertEquals(true, eval("perChannel(tensor(2.0), axis: 1, rank: 4)"));
        assertEquals(true, eval("perChannel([7], axis: 1, rank: 4)"));
        assertEquals("`g` is not a constant; check `constant(g)` first", error("allZero(g)", env).reason());
    }

    @Test
    void native_calls_go_to_the_registry() {
        NativeFunctions natives = NativeFunctions.none()
                .with("twice", (args, named, env) -> ArrayMath.binary("*", args.get(0), 2L))
                .with("count", (args, named, env) -> args.size() + named.size())
                .with("boom", (args, named, env) -> {
                    throw new IllegalStateException("bad input");
                })
                .with("refuse", (args, named, env) -> {
                    throw new EvalException("refused");
                });
        Env env = env();
        Evaluator evaluator = new Evaluator(env, natives);
        assertArray(f32(shape(2, 2), 2, 4, 6, 8), evaluator.evaluate(parse("native twice(w)")));
        assertEquals(3L, evaluator.evaluate(parse("native count(1, 2, axis: 0)")));
        var boom = assertThrows(EvalException.class, () -> evaluator.evaluate(parse("native boom()")));
        assertEquals("native function `boom` failed: bad input", boom.reason());
        assertEquals("t.rw:5:7", boom.span().toString());
        assertEquals("refused", assertThrows(EvalException.class, () -> evaluator.evaluate(parse("1 + native refuse()"))).reason());
        assertEquals("unknown native function `thrice`; registered: boom, count, refuse, twice",
                assertThrows(EvalException.class, () -> evaluator.evaluate(parse("native thrice(w)"))).reason());
        assertEquals("unknown native function `thrice`; none is registered", error("native thrice(w)", env).reason());
        assertThrows(IllegalArgumentException.class, () -> natives.with("boom", (a, n, e) -> null));
    }

    @Test
    void errors_carry_the_place_of_the_innermost_failing_expression() {
        Env env = env();
        EvalException e = error("sqrt(w) + reshape(w, [5])", env);
        assertEquals("cannot reshape [2, 2] (4 elements) to [5]", e.reason());
        assertEquals("t.rw:5:17", e.span().toString());
        assertEquals("t.rw:5:17: error: cannot reshape [2, 2] (4 elements) to [5]", e.getMessage());
        assertEquals("unknown function `sqr` (did you mean `sqrt`?)", error("sqr(w)", env).reason());
        assertEquals("`sqrt` takes 1 argument, got 2", error("sqrt(w, w)", env).reason());
        assertEquals("`slice` takes 3 to 5 arguments, got 2", error("slice(w, [0])", env).reason());
        assertEquals("`concat` takes at least 1 argument, got 0", error("concat()", env).reason());
        assertEquals("argument `axes` is given twice", error("reduceSum(w, axes: [0], axes: [1])", env).reason());
        assertEquals("`g` is not a constant; check `constant(g)` first", error("sqrt(g)", env).reason());
        assertEquals("`reshape` needs a list of integers, got a string", error("reshape(w, \"4\")", env).reason());
        assertEquals("each item of the `reshape` list must be an integer, got a float", error("reshape(w, [4.0])", env).reason());
        assertEquals("`sqrt` needs a number or a tensor, got a dtype", error("sqrt(float32)", env).reason());
        // a graph constant is read through the environment
        assertArray(f32(shape(2), 2, 3), evalArray("sqrt(c)", env));
        assertArray(i64(shape(2), 4, 9), evalArray("cast(c, int64)", env));
    }

    @Test
    void checks_are_true_or_false() {
        Env env = env();
        Evaluator evaluator = new Evaluator(env);
        assertTrue(evaluator.check(parse("rank(w) == 2")));
        assertFalse(evaluator.check(parse("allZero(w)")));
        assertTrue(evaluator.check(parse("reduceMin(w) > 0")));
        var e = assertThrows(EvalException.class, () -> evaluator.check(parse("w > 0")));
        assertEquals("a check needs true or false, got a bool[2, 2] tensor", e.reason());
        assertEquals("t.rw:5:9", e.span().toString());
        assertEquals("a check needs true or false, got an int", assertThrows(EvalException.class,
                () -> evaluator.check(parse("3"))).reason());
    }

    @Test
    void named_arguments_outside_the_signature_are_refused() {
        assertEquals("`sqrt` has no argument `axis`", error("sqrt(2, axis: 0)").reason());
    }
}
