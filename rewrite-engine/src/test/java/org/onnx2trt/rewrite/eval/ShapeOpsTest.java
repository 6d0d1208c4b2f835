package org.onnx2trt.rewrite.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onnx2trt.rewrite.eval.EvalTesting.assertArray;
import static org.onnx2trt.rewrite.eval.EvalTesting.error;
import static org.onnx2trt.rewrite.eval.EvalTesting.eval;
import static org.onnx2trt.rewrite.eval.EvalTesting.evalArray;
import static org.onnx2trt.rewrite.eval.EvalTesting.f32;
import static org.onnx2trt.rewrite.eval.EvalTesting.i64;
import static org.onnx2trt.rewrite.eval.EvalTesting.of;
import static org.onnx2trt.rewrite.eval.EvalTesting.shape;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.rewrite.eval.EvalTesting.Env;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.math.NdArray;

/** reshape, unsqueeze, squeeze, transpose, pad, slice, concat, broadcastTo, unsqueezeTo, constants. */
class ShapeOpsTest {

    /** x = [[0, 1, 2], [3, 4, 5]], y = 0..7 as [2, 2, 2], v = 0..9. */
    private static Env env() {
        return new Env()
                .bind("x", i64(shape(2, 3), 0, 1, 2, 3, 4, 5))
                .bind("y", i64(shape(2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7))
                .bind("v", i64(shape(10), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9))
                .bind("row", f32(shape(3), 10, 20, 30));
    }

    private static NdArray run(String text) {
        return evalArray(text, env());
    }

    private static String fail(String text) {
        return error(text, env()).reason();
    }

    @Test
    void reshape_copies_zeros_and_infers_minus_one() {
        assertArray(i64(shape(3, 2), 0, 1, 2, 3, 4, 5), run("reshape(x, [3, 2])"));
        assertArray(i64(shape(6), 0, 1, 2, 3, 4, 5), run("reshape(x, [-1])"));
        assertArray(i64(shape(2, 3), 0, 1, 2, 3, 4, 5), run("reshape(x, [0, -1])"));
        assertArray(i64(shape(2, 3), 0, 1, 2, 3, 4, 5), run("reshape(x, [-1, 0])"));
        assertArray(i64(shape(1, 2, 3), 0, 1, 2, 3, 4, 5), run("reshape(x, [1, -1, 3])"));
        assertArray(i64(shape(2, 1, 3), 0, 1, 2, 3, 4, 5), run("reshape(x, shape(unsqueeze(x, [1])))"));
        assertArray(i64(shape(), 7), run("reshape([7], [])"));
        assertEquals("cannot reshape [2, 3] (6 elements) to [4, -1]", fail("reshape(x, [4, -1])"));
        assertEquals("cannot reshape [2, 3] (6 elements) to [3, 0]", fail("reshape(x, [3, 0])"));
        assertEquals("cannot reshape to [-1, -1]: only one dim may be -1", fail("reshape(x, [-1, -1])"));
        assertEquals("cannot reshape to [2, -3]: dim -3 is negative", fail("reshape(x, [2, -3])"));
        assertEquals("cannot reshape [2, 3] to [1, 0, 0]: the 0 at index 2 has no input dim to copy",
                fail("reshape(x, [1, 0, 0])"));
    }

    @Test
    void unsqueeze_and_squeeze_with_negative_axes() {
        assertArray(i64(shape(1, 2, 3), 0, 1, 2, 3, 4, 5), run("unsqueeze(x, [0])"));
        assertArray(i64(shape(2, 3, 1), 0, 1, 2, 3, 4, 5), run("unsqueeze(x, [-1])"));
        assertArray(i64(shape(2, 1, 3), 0, 1, 2, 3, 4, 5), run("unsqueeze(x, 1)"));
        assertArray(i64(shape(1, 2, 3, 1), 0, 1, 2, 3, 4, 5), run("unsqueeze(x, [3, 0])"));
        assertArray(i64(shape(2, 1, 3, 1), 0, 1, 2, 3, 4, 5), run("unsqueeze(x, [1, -1])"));
        assertArray(f32(shape(1), 0.5), run("unsqueeze(0.5, [0])"));
        assertEquals("unsqueeze axis -4 is given twice in [0, -4]", fail("unsqueeze(x, [0, -4])"));
        assertEquals("unsqueeze axis 4 is out of range for rank 4", fail("unsqueeze(x, [0, 4])"));

        assertArray(i64(shape(2, 3), 0, 1, 2, 3, 4, 5), run("squeeze(reshape(x, [1, 2, 1, 3]))"));
        assertArray(i64(shape(1, 2, 3), 0, 1, 2, 3, 4, 5), run("squeeze(reshape(x, [1, 2, 1, 3]), [-2])"));
        assertArray(i64(shape(), 4), run("squeeze([[4]])"));
        assertEquals("cannot squeeze axis 0 of [2, 3]: its size is 2", fail("squeeze(x, [0])"));
        assertEquals("squeeze axis -3 is out of range for rank 2", fail("squeeze(x, -3)"));
    }

    @Test
    void transpose_reverses_by_default_and_follows_perm() {
        assertArray(i64(shape(3, 2), 0, 3, 1, 4, 2, 5), run("transpose(x)"));
        assertArray(i64(shape(2, 3), 0, 1, 2, 3, 4, 5), run("transpose(x, [0, 1])"));
        // out[i][j][k] = y[j][k][i] = 4j + 2k + i
        assertArray(i64(shape(2, 2, 2), 0, 2, 4, 6, 1, 3, 5, 7), run("transpose(y, [2, 0, 1])"));
        // out[i][j][k] = y[i][k][j]; a negative axis counts from the end
        assertArray(i64(shape(2, 2, 2), 0, 2, 1, 3, 4, 6, 5, 7), run("transpose(y, [0, 2, -2])"));
        assertArray(i64(shape(2, 2, 2), 0, 4, 2, 6, 1, 5, 3, 7), run("transpose(y)"));
        assertArray(f32(shape(), 3), run("transpose(tensor(3))"));
        assertEquals("perm [0] has 1 axes; the tensor has rank 2", fail("transpose(x, [0])"));
        assertEquals("perm axis 0 is given twice in [0, 0]", fail("transpose(x, [0, 0])"));
    }

    @Test
    void pad_with_onnx_pads_layout() {
        // pads = [x1_begin, x2_begin, x1_end, x2_end]
        assertArray(i64(shape(3, 4), 0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 5, 0), run("pad(x, [1, 0, 0, 1])"));
        assertArray(i64(shape(2, 5), 9, 0, 1, 2, 9, 9, 3, 4, 5, 9), run("pad(x, [0, 1, 0, 1], 9)"));
        assertArray(f32(shape(5), 0.1, 10, 20, 30, 0.1), run("pad(row, [1, 1], 0.1)"));
        // negative pads crop
        assertArray(i64(shape(1, 2), 1, 2), run("pad(x, [0, -1, -1, 0])"));
        assertArray(i64(shape(1, 2), 0, 3), run("pad(x, [-1, 1, 0, -2])"));
        assertArray(i64(shape(0, 3)), run("pad(x, [-1, 0, -1, 0])"));
        assertEquals("pads [1, 1] has 2 values; a rank-2 tensor needs 4", fail("pad(x, [1, 1])"));
        assertEquals("pads [0, -4, 0, 0] remove more than the 3 elements of axis 1", fail("pad(x, [0, -4, 0, 0])"));
        assertEquals("value 0.5 is not an integer; use cast() to round it to int64", fail("pad(x, [0, 0, 0, 0], 0.5)"));
        assertEquals("value 300 does not fit uint8", fail("pad(cast(x, uint8), [0, 0, 0, 0], 300)"));
    }

    @Test
    void slice_clamps_counts_from_the_end_and_steps_backwards() {
        assertArray(i64(shape(3), 2, 3, 4), run("slice(v, [2], [5])"));
        assertArray(i64(shape(3), 7, 8, 9), run("slice(v, [-3], [100])"));
        assertArray(i64(shape(4), 0, 3, 6, 9), run("slice(v, [0], [9223372036854775807], [0], [3])"));
        assertArray(i64(shape(10), 9, 8, 7, 6, 5, 4, 3, 2, 1, 0), run("slice(v, [-1], [-100], [0], [-1])"));
        assertArray(i64(shape(10), 9, 8, 7, 6, 5, 4, 3, 2, 1, 0), run("slice(v, [9223372036854775807], [-9223372036854775807], [0], [-1])"));
        assertArray(i64(shape(3), 8, 6, 4), run("slice(v, [8], [2], [0], [-2])"));
        assertArray(i64(shape(4), 9, 6, 3, 0), run("slice(v, [20], [-20], [-1], [-3])"));
        assertArray(i64(shape(0)), run("slice(v, [5], [2])"));
        assertArray(i64(shape(0)), run("slice(v, [100], [200], [0], [-1])"));
        assertArray(i64(shape(2, 2), 2, 1, 5, 4), run("slice(x, [0, 2], [2, 0], [0, 1], [1, -1])"));
        assertArray(i64(shape(1, 3), 3, 4, 5), run("slice(x, [1], [2], [-2])"));
        assertArray(i64(shape(2, 2), 2, 1, 5, 4), run("slice(x, [-1], [-3], [-1], [-1])"));
        // y[:, 1:, ::-1]
        assertArray(i64(shape(2, 1, 2), 3, 2, 7, 6), run("slice(y, [1, -1], [2, -100], [1, 2], [1, -1])"));
        assertArray(f32(shape(0)), run("slice(tensor([]), [0], [10], [0], [-1])"));
        assertArray(f32(shape(0)), run("slice(tensor([]), [-1], [10])"));
        assertEquals("slice step on axis 0 is 0", fail("slice(v, [0], [1], [0], [0])"));
        assertEquals("slice axis 2 is out of range for rank 2", fail("slice(x, [0], [1], [2])"));
        assertEquals("slice has 1 starts but 2 ends", fail("slice(x, [0], [1, 2])"));
        assertEquals("slice has 1 starts, 2 axes and 1 steps; they must be as many", fail("slice(x, [0], [1], [0, 1])"));
    }

    @Test
    void concat_tensors_on_an_axis_and_lists_as_lists() {
        assertArray(i64(shape(4, 3), 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5), run("concat(x, x, axis: 0)"));
        assertArray(i64(shape(2, 6), 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5), run("concat(x, x, axis: -1)"));
        assertArray(i64(shape(3, 3), 0, 1, 2, 3, 4, 5, 7, 8, 9), run("concat(x, reshape(slice(v, [7], [10]), [1, 3]))"));
        assertArray(f32(shape(2), 1, 0.5), run("concat(tensor([1], int32), tensor([0.5]))"));
        assertArray(i64(shape(4), 1, 2, 3, 4), run("concat([1, 2], [3, 4], axis: 0)"));
        assertEquals(List.of(1L, 2L, 3L), eval("concat([1, 2], [3])"));
        assertEquals(List.of(2L, 3L, 1L), eval("concat(shape(x), [1])", env()));
        assertEquals("cannot concat [2, 3] with [2] on axis 0", fail("concat(x, tensor([1, 2], int64))"));
        assertEquals("cannot concat [2, 3] with [3, 2] on axis 1", fail("concat(x, transpose(x), axis: 1)"));
        assertEquals("cannot concat 0-d tensors; unsqueeze them first", fail("concat(tensor(1), tensor(2))"));
        // the values of a variadic input arrive as a list of graph values
        Env env = env();
        env.graph("a", i64(shape(1), 5));
        env.graph("b", i64(shape(2), 6, 7));
        env.bind("parts", List.of(env.names.get("a"), env.names.get("b")));
        assertArray(i64(shape(3), 5, 6, 7), evalArray("concat(parts)", env));
    }

    @Test
    void gather_takes_items_at_indices() {
        // composing two transposes: perm p1 then p2 is p1[p2]
        assertEquals(List.of(0L, 1L, 3L, 2L), eval("gather([0, 2, 3, 1], [0, 3, 2, 1])"));
        assertEquals(30L, eval("gather([10, 20, 30], -1)"));
        assertEquals(List.of(), eval("gather([10, 20, 30], [])"));
        assertArray(i64(shape(3), 5, 0, 4), run("gather(x, [-1, 0, 4])")); // flat, as numpy take
        assertArray(f32(shape(), 20), run("gather(row, 1)"));
        assertEquals("index 3 is out of range for a list of 3 items", fail("gather([10, 20, 30], [3])"));
        assertEquals("index -7 is out of range for a tensor of 6 elements", fail("gather(x, [-7])"));
    }

    @Test
    void broadcast_to_a_shape() {
        assertArray(i64(shape(2, 3), 1, 2, 3, 1, 2, 3), run("broadcastTo([1, 2, 3], [2, 3])"));
        assertArray(i64(shape(2, 2), 1, 1, 2, 2), run("broadcastTo(reshape([1, 2], [2, 1]), [2, 2])"));
        assertArray(f32(shape(1, 3), 10, 20, 30), run("broadcastTo(row, [1, 3])"));
        assertArray(f32(shape(2), 4, 4), run("broadcastTo(4.0, [2])"));
        assertEquals("cannot broadcast [2, 3] to [3]", fail("broadcastTo(x, [3])"));
        assertEquals("cannot broadcast [3] to [3, 2]", fail("broadcastTo(row, [3, 2])"));
    }

    @Test
    void unsqueeze_to_places_a_vector_on_an_axis() {
        assertArray(i64(shape(3, 1, 1, 1), 1, 2, 3), run("unsqueezeTo([1, 2, 3], axis: 0, rank: 4)"));
        assertArray(i64(shape(1, 3, 1, 1), 1, 2, 3), run("unsqueezeTo([1, 2, 3], axis: 1, rank: 4)"));
        assertArray(f32(shape(1, 3), 10, 20, 30), run("unsqueezeTo(row, axis: -1, rank: 2)"));
        assertArray(f32(shape(1, 1), 2), run("unsqueezeTo(2.0, axis: 0, rank: 2)"));
        assertEquals("`unsqueezeTo` needs a 1-D tensor, got shape [2, 3]", fail("unsqueezeTo(x, axis: 0, rank: 4)"));
        assertEquals("`unsqueezeTo` needs `rank:`", fail("unsqueezeTo(row, axis: 0)"));
        assertEquals("`unsqueezeTo` axis 4 is out of range for rank 4", fail("unsqueezeTo(row, axis: 4, rank: 4)"));
    }

    @Test
    void constants_from_shapes_lists_and_other_tensors() {
        assertArray(f32(shape(2, 2), 7, 7, 7, 7), run("full([2, 2], 7)"));
        assertArray(of(DataType.INT8, shape(2), -3, -3), run("full([2], -3, int8)"));
        assertArray(of(DataType.BOOL, shape(3), 1, 1, 1), run("full([3], true, bool)"));
        assertArray(f32(shape(), 1.5), run("full([], 1.5)"));
        assertArray(f32(shape(2, 3), 5, 5, 5, 5, 5, 5), run("full(shape(x), 5.0)"));
        assertArray(i64(shape(2, 3), 0, 0, 0, 0, 0, 0), run("zerosLike(x)"));
        assertArray(f32(shape(3), 1, 1, 1), run("onesLike(row)"));
        assertEquals(0L, eval("zerosLike(3)"));
        assertEquals(1.0, eval("onesLike(2.5)"));
        assertArray(f32(shape(), 3), run("tensor(3)"));
        assertArray(f32(shape(2, 2), 1, 2, 3, 4), run("tensor([[1, 2], [3, 4]])"));
        assertArray(i64(shape(2), 1, 2), run("tensor([1, 2], int64)"));
        assertArray(f32(shape(0)), run("tensor([])"));
        assertArray(f32(shape(2, 0)), run("tensor([[], []])"));
        assertArray(f32(shape(3), 10, 20, 30), run("tensor(row)"));
        assertArray(of(DataType.UINT8, shape(2), 1, 0), run("tensor([true, false], uint8)"));
        assertEquals("a ragged list: lists of 1 and of 2 items", fail("tensor([[1], [2, 3]])"));
        assertEquals("a list mixes numbers and lists", fail("tensor([1, [2]])"));
        assertEquals("a list mixes bools and numbers", fail("tensor([true, 2.5])"));
        assertEquals("`tensor` needs a dtype such as float32 or int8, got a string", fail("tensor(1, \"int8\")"));
    }
}
