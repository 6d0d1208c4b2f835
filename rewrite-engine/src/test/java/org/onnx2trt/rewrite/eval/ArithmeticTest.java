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

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.onnx2trt.rewrite.eval.EvalTesting.Env;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.math.ArrayMath;
import org.onnx2trt.tensor.math.NdArray;

/** + - * / %, unary functions, min/max/clip/where: values, broadcasting and result types. */
class ArithmeticTest {

    private static Env env() {
        return new Env()
                .bind("a", f32(shape(2, 3), 1, 2, 3, 4, 5, 6))
                .bind("row", f32(shape(3), 10, 20, 30))
                .bind("col", f32(shape(2, 1), 100, 200))
                .bind("i", of(DataType.INT32, shape(4), 7, -7, 7, -7))
                .bind("j", of(DataType.INT32, shape(4), 2, 2, -2, -2))
                .bind("h", of(DataType.FLOAT16, shape(2), 1, 2))
                .bind("b8", of(DataType.INT8, shape(2), 100, -100));
    }

    @Test
    void broadcasting_a_row_a_column_and_a_scalar() {
        assertArray(f32(shape(2, 3), 11, 22, 33, 14, 25, 36), evalArray("a + row", env()));
        assertArray(f32(shape(2, 3), 101, 102, 103, 204, 205, 206), evalArray("a + col", env()));
        assertArray(f32(shape(2, 3), 110, 120, 130, 210, 220, 230), evalArray("col + row", env()));
        assertArray(f32(shape(2, 3), 2, 4, 6, 8, 10, 12), evalArray("a * 2", env()));
        assertArray(f32(shape(2, 3), 0, 1, 2, 3, 4, 5), evalArray("a - 1", env()));
        assertArray(f32(shape(2, 3), 9, 8, 7, 6, 5, 4), evalArray("10 - a", env()));
        assertArray(f32(shape(3), 0.1, 0.05, 1.0 / 30), evalArray("1 / row", env()));
        // a list is a tensor in arithmetic
        assertArray(f32(shape(2, 3), 2, 3, 4, 5, 6, 7), evalArray("a + [1, 1, 1]", env()));
    }

    /**
     * Every broadcast form (per-channel, trailing, both ways, general) against the definition:
     * out[index] = a[index with a's broadcast dims at 0] op b[likewise], for float and integer types.
     */
    @Test
    void broadcasting_matches_the_index_definition_on_random_shapes() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 400; trial++) {
            int rank = 1 + rnd.nextInt(4);
            long[] out = new long[rank];
            for (int d = 0; d < rank; d++) {
                out[d] = 1 + rnd.nextInt(3);
            }
            long[] sa = operandShape(out, rnd);
            long[] sb = operandShape(out, rnd);
            DataType type = trial % 3 == 0 ? DataType.INT32 : DataType.FLOAT;
            NdArray a = randomArray(type, sa, rnd);
            NdArray b = randomArray(type, sb, rnd);
            String op = new String[] {"+", "-", "*", "/"}[trial % 4];
            NdArray got = (NdArray) ArrayMath.binary(op, a, b);
            long[] shape = got.shape();
            int n = NdArray.elementCount(shape);
            for (int i = 0; i < n; i++) {
                double x = a.getDouble(flatIndex(i, shape, sa));
                double y = b.getDouble(flatIndex(i, shape, sb));
                double want = switch (op) {
                    case "+" -> x + y;
                    case "-" -> x - y;
                    case "*" -> x * y;
                    default -> type == DataType.INT32 ? (long) x / (long) y : x / y;
                };
                assertEquals(type == DataType.FLOAT ? (float) want : want, got.getDouble(i),
                        op + " of " + java.util.Arrays.toString(sa) + " and " + java.util.Arrays.toString(sb) + " at " + i);
            }
        }
    }

    /** A shape that broadcasts to {@code out}: a suffix of it with some dims made 1. */
    private static long[] operandShape(long[] out, Random rnd) {
        int rank = rnd.nextInt(out.length + 1);
        long[] s = new long[rank];
        for (int d = 0; d < rank; d++) {
            s[d] = rnd.nextInt(3) == 0 ? 1 : out[out.length - rank + d];
        }
        return s;
    }

    private static NdArray randomArray(DataType type, long[] shape, Random rnd) {
        double[] v = new double[NdArray.elementCount(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = type == DataType.FLOAT ? rnd.nextGaussian() : 1 + rnd.nextInt(9);
        }
        return NdArray.ofDoubles(type, shape, v);
    }

    /** The flat index into an operand of shape {@code from} that element {@code i} of {@code to} reads. */
    private static int flatIndex(int i, long[] to, long[] from) {
        int index = 0;
        int stride = 1;
        int rest = i;
        for (int d = to.length - 1; d >= 0; d--) {
            int coordinate = (int) (rest % to[d]);
            rest /= (int) to[d];
            int k = d - (to.length - from.length);
            if (k >= 0) {
                index += (from[k] == 1 ? 0 : coordinate) * stride;
                stride *= (int) from[k];
            }
        }
        return index;
    }

    @Test
    void shapes_that_do_not_broadcast_fail_with_both_shapes() {
        Env env = env().bind("four", f32(shape(4), 1, 2, 3, 4));
        assertEquals("cannot broadcast [4] with [3]", error("four + row", env).reason());
        assertEquals("cannot broadcast [2, 3] with [2, 1, 2]", error("a * reshape(four, [2, 1, 2])", env).reason());
        assertEquals("cannot broadcast [2, 3] with [2, 2]", error("a + reshape(four, [2, 2])", env).reason());
        assertEquals("t.rw:5:9", error("a + reshape(four, [2, 2])", env).span().toString());
    }

    @Test
    void result_types_follow_the_promotion_rules() {
        assertEquals(DataType.FLOAT16, evalArray("h * 0.5", env()).dtype());
        assertEquals(DataType.FLOAT, evalArray("h * row[0]", env()).dtype()); // row[0] is a float32 0-d tensor
        assertEquals(DataType.FLOAT, evalArray("i * 0.5", env()).dtype());
        assertEquals(DataType.INT32, evalArray("i * 2", env()).dtype());
        assertEquals(DataType.INT64, evalArray("i + tensor([1, 2, 3, 4], int64)", env()).dtype());
        assertEquals(DataType.FLOAT, evalArray("i + tensor(1.0, float32)", env()).dtype());
        assertEquals(DataType.DOUBLE, evalArray("row + tensor(1.0, float64)", env()).dtype());
        assertEquals(DataType.FLOAT16, evalArray("sqrt(h)", env()).dtype());
        assertEquals(DataType.FLOAT, evalArray("sqrt(i)", env()).dtype());
        assertEquals(DataType.INT32, evalArray("abs(i)", env()).dtype());
    }

    @Test
    void integer_division_truncates_and_modulo_takes_the_divisor_sign() {
        assertArray(of(DataType.INT32, shape(4), 3, -3, -3, 3), evalArray("i / j", env()));
        assertArray(of(DataType.INT32, shape(4), 1, 1, -1, -1), evalArray("i % j", env()));
        assertArray(f32(shape(4), 1, 1, -1, -1), evalArray("cast(i, float32) % cast(j, float32)", env()));
        assertArray(f32(shape(4), 3.5, -3.5, -3.5, 3.5), evalArray("cast(i, float32) / cast(j, float32)", env()));
        assertEquals(3L, eval("7 / 2"));
        assertEquals(-3L, eval("-7 / 2"));
        assertEquals(1L, eval("-7 % 2"));
        assertEquals(-1L, eval("7 % -2"));
        assertEquals(1.5, eval("-4.5 % 3"));
        assertEquals(3.5, eval("7 / 2.0"));
        assertEquals("integer division by zero", error("i / 0", env()).reason());
        assertEquals("integer division by zero", error("7 / 0").reason());
        assertEquals("integer modulo by zero", error("7 % 0").reason());
        assertArray(f32(shape(2), Double.POSITIVE_INFINITY, Double.NaN), evalArray("[1.0, 0.0] / 0.0", env()));
    }

    @Test
    void integer_tensors_wrap_but_plain_integers_are_exact() {
        assertArray(of(DataType.INT8, shape(2), -56, 56), evalArray("b8 * 2", env()));
        assertArray(of(DataType.INT8, shape(2), -128, -72), evalArray("b8 + 28", env()));
        assertArray(of(DataType.INT8, shape(2), 71, 127), evalArray("b8 - 29", env()));
        assertEquals(4611686018427387904L, eval("2147483648 * 2147483648"));
        assertEquals("integer overflow in `*`", error("4294967296 * 4294967296 * 2").reason());
        assertEquals("integer overflow in `+`", error("9223372036854775807 + 1").reason());
    }

    @Test
    void float32_results_equal_the_java_float_cast_of_the_double_computation() {
        Random random = new Random(7);
        float[] x = new float[50];
        float[] y = new float[50];
        for (int k = 0; k < x.length; k++) {
            x[k] = (random.nextFloat() - 0.5f) * 100;
            y[k] = random.nextFloat() * 10 + 0.01f;
        }
        Env env = new Env().bind("x", NdArray.ofFloats(shape(50), x)).bind("y", NdArray.ofFloats(shape(50), y));
        NdArray sum = evalArray("x + y", env);
        NdArray quotient = evalArray("x / y", env);
        NdArray root = evalArray("sqrt(y)", env);
        NdArray exp = evalArray("exp(y)", env);
        NdArray logit = evalArray("logit(y / 11)", env);
        for (int k = 0; k < x.length; k++) {
            assertEquals((float) ((double) x[k] + y[k]), (float) sum.getDouble(k));
            assertEquals(x[k] + y[k], (float) sum.getDouble(k)); // same as float arithmetic for + - * / sqrt
            assertEquals((float) ((double) x[k] / y[k]), (float) quotient.getDouble(k));
            assertEquals((float) Math.sqrt(y[k]), (float) root.getDouble(k));
            assertEquals((float) Math.exp(y[k]), (float) exp.getDouble(k));
            double p = (float) ((double) y[k] / 11);
            assertEquals((float) Math.log(p / (1 - p)), (float) logit.getDouble(k));
            assertEquals(sum.getDouble(k), (double) (float) sum.getDouble(k)); // the array holds float32 values
        }
    }

    @Test
    void unary_functions() {
        Env env = env().bind("p", f32(shape(4), 0.25, 0.5, 0.75, 1));
        assertArray(f32(shape(4), 0.5, Math.sqrt(0.5), Math.sqrt(0.75), 1), evalArray("sqrt(p)", env));
        assertArray(f32(shape(2), Double.NaN, 0), evalArray("sqrt([-1.0, 0.0])", env)); // NaN, as numpy
        assertArray(f32(shape(4), 4, 2, 4.0 / 3, 1), evalArray("reciprocal(p)", env));
        assertArray(f32(shape(3), 1.5, 0, 2), evalArray("abs([-1.5, 0.0, 2.0])", env));
        assertArray(of(DataType.INT32, shape(4), 7, 7, 7, 7), evalArray("abs(i)", env));
        assertArray(of(DataType.INT32, shape(4), -7, 7, -7, 7), evalArray("-i", env));
        assertArray(f32(shape(3), 1, Math.E, Math.exp(-1)), evalArray("exp([0.0, 1.0, -1.0])", env));
        assertArray(f32(shape(3), Double.NEGATIVE_INFINITY, 0, Math.log(4)), evalArray("log([0.0, 1.0, 4.0])", env));
        assertArray(f32(shape(4), Math.log(1.0 / 3), 0, Math.log(3), Double.POSITIVE_INFINITY), evalArray("logit(p)", env));
        assertArray(f32(shape(2, 3), -1, -2, -3, -4, -5, -6), evalArray("-a", env));
        assertEquals(2.0, eval("sqrt(4)"));
        assertEquals(-3L, eval("-3"));
        assertEquals(3L, eval("abs(-3)"));
        assertEquals(0.5, eval("reciprocal(2)"));
    }

    @Test
    void min_max_clip_and_where() {
        Env env = env();
        assertArray(f32(shape(2, 3), 10, 20, 30, 10, 20, 30), evalArray("max(a, row)", env));
        assertArray(f32(shape(2, 3), 1, 2, 3, 3, 3, 3), evalArray("min(a, 3)", env));
        assertArray(f32(shape(2, 3), 2, 2, 3, 4, 5, 5), evalArray("clip(a, 2, 5)", env));
        assertArray(f32(shape(2), Double.NaN, 1), evalArray("max([0.0 / 0.0, 1.0], 0.5)", env));
        assertEquals(3L, eval("max(2, 3)"));
        assertEquals(2.0, eval("min(2, 3.0)"));
        assertArray(f32(shape(2, 3), 1, 0, 3, 0, 5, 0), evalArray("where(a % 2 == 1, a, 0)", env));
        assertArray(f32(shape(2, 3), 10, 20, 30, 4, 5, 6), evalArray("where(col > 150, a, row)", env));
        assertArray(i64(shape(2), 1, 2), evalArray("where([true, false], 1, 2)", env));
        assertArray(f32(shape(2), 1, 2.5), evalArray("where([true, false], 1, 2.5)", env));
        assertEquals(7L, eval("where(true, 7, 8)"));
        assertArray(of(DataType.INT32, shape(4), 0, -7, 0, -7), evalArray("where(i > 0, 0, i)", env));
        assertEquals("cannot broadcast [2] with [3]", error("where([true, false], row, 0)", env).reason());
    }

    @Test
    void comparisons_of_tensors_are_elementwise() {
        Env env = env();
        assertArray(of(DataType.BOOL, shape(2, 3), 0, 0, 1, 1, 1, 1), evalArray("a >= 3", env));
        assertArray(of(DataType.BOOL, shape(2, 3), 0, 0, 0, 0, 0, 0), evalArray("a == row", env));
        assertArray(of(DataType.BOOL, shape(3), 0, 1, 1), evalArray("row != [10, 0, 0]", env));
        assertArray(of(DataType.BOOL, shape(2), 1, 0), evalArray("[0.0 / 0.0, 1.0] != [0.0 / 0.0, 1.0] + [0, 0]", env));
        assertArray(of(DataType.BOOL, shape(2), 0, 1), evalArray("[0.0 / 0.0, 1.0] == [0.0 / 0.0, 1.0] + [0, 0]", env));
        assertArray(of(DataType.BOOL, shape(4), 1, 0, 1, 0), evalArray("i > j", env));
    }

    @Test
    void bool_tensors_are_not_numbers() {
        assertEquals("`+` on bool tensors; cast them to a number type first", error("[true] + [false]").reason());
        assertArray(i64(shape(1), 2), evalArray("[true] + 1"));
        assertEquals("`+` needs a number or a tensor, got a bool", error("true + 1").reason());
        assertEquals("`-` of a bool tensor; cast it to a number type first", error("-[true]").reason());
    }
}
