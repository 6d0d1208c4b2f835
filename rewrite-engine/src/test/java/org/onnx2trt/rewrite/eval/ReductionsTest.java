package org.onnx2trt.rewrite.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onnx2trt.rewrite.eval.EvalTesting.assertArray;
import static org.onnx2trt.rewrite.eval.EvalTesting.error;
import static org.onnx2trt.rewrite.eval.EvalTesting.evalArray;
import static org.onnx2trt.rewrite.eval.EvalTesting.f32;
import static org.onnx2trt.rewrite.eval.EvalTesting.i64;
import static org.onnx2trt.rewrite.eval.EvalTesting.of;
import static org.onnx2trt.rewrite.eval.EvalTesting.shape;

import org.junit.jupiter.api.Test;
import org.onnx2trt.rewrite.eval.EvalTesting.Env;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.math.NdArray;

class ReductionsTest {

    /** x = [[1, 2, 3], [4, 5, 6]] float32, y = 0..7 as int64 [2, 2, 2]. */
    private static NdArray run(String text) {
        Env env = new Env()
                .bind("x", f32(shape(2, 3), 1, 2, 3, 4, 5, 6))
                .bind("y", i64(shape(2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7));
        return evalArray(text, env);
    }

    @Test
    void all_axes_by_default_dropping_dims_as_numpy_does() {
        assertArray(f32(shape(), 21), run("reduceSum(x)"));
        assertArray(f32(shape(), 21), run("reduceSum(x, keepdims: false)"));
        assertArray(f32(shape(1, 1), 21), run("reduceSum(x, keepdims: true)"));
        assertArray(f32(shape(), 6), run("reduceMax(x, axes: [])"));
        assertArray(f32(shape(), 1), run("reduceMin(x, keepdims: 0)"));
        assertArray(f32(shape(1, 1), 3.5), run("reduceMean(x, keepdims: 1)"));
    }

    @Test
    void over_some_axes() {
        assertArray(f32(shape(3), 5, 7, 9), run("reduceSum(x, axes: [0])"));
        assertArray(f32(shape(1, 3), 5, 7, 9), run("reduceSum(x, axes: [0], keepdims: true)"));
        assertArray(f32(shape(2), 6, 15), run("reduceSum(x, axes: [1])"));
        assertArray(f32(shape(2, 1), 6, 15), run("reduceSum(x, axes: -1, keepdims: true)"));
        assertArray(f32(shape(2), 3, 6), run("reduceMax(x, axes: [1])"));
        assertArray(f32(shape(3), 1, 2, 3), run("reduceMin(x, axes: [0])"));
        assertArray(f32(shape(3), 2.5, 3.5, 4.5), run("reduceMean(x, axes: [0])"));
        // sum over i and k of y[i][j][k] = 4i + 2j + k
        assertArray(i64(shape(2), 10, 18), run("reduceSum(y, axes: [0, 2])"));
        assertArray(i64(shape(1, 2, 1), 10, 18), run("reduceSum(y, axes: [-1, 0], keepdims: true)"));
        assertArray(i64(shape(2, 2), 4, 5, 6, 7), run("reduceMax(y, axes: [0])"));
        // the per-channel amax of a weight, as a quantization rule computes it
        assertArray(f32(shape(2), 3, 6), run("reduceMax(abs(reshape(x, [shape(x)[0], -1])), axes: [1])"));
    }

    @Test
    void result_types_and_special_values() {
        assertArray(f32(shape(), 1.5), run("reduceMean(tensor([1, 2], int64))"));
        assertArray(of(DataType.INT8, shape(), -56), run("reduceSum(tensor([100, 100], int8))"));
        assertArray(f32(shape(), Double.NaN), run("reduceMax([1.0, 0.0 / 0.0, 3.0])"));
        assertArray(f32(shape(), 0), run("reduceSum(tensor([]))"));
        assertArray(f32(shape(), Double.NaN), run("reduceMean(tensor([]))"));
        // accumulated in float64, rounded once: float32 addition in order would give 16777216
        assertArray(f32(shape(), 16777218), run("reduceSum(tensor([16777216.0, 1.0, 1.0]))"));
        assertArray(of(DataType.BOOL, shape(), 1), run("reduceMax([false, true])"));
    }

    @Test
    void errors() {
        Env env = new Env().bind("x", f32(shape(2, 3), 1, 2, 3, 4, 5, 6));
        assertEquals("`reduceMax` of an empty tensor [0]", error("reduceMax(tensor([]))", env).reason());
        assertEquals("`reduceSum` axis -1 is given twice in [1, -1]", error("reduceSum(x, axes: [1, -1])", env).reason());
        assertEquals("`reduceSum` axis 2 is out of range for rank 2", error("reduceSum(x, axes: [2])", env).reason());
        assertEquals("`keepdims` must be true or false, got a float", error("reduceSum(x, keepdims: 0.5)", env).reason());
        assertEquals("`reduceSum` has no argument `axis` (did you mean `axes`?)", error("reduceSum(x, axis: 0)", env).reason());
    }
}
