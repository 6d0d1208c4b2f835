package org.onnx2trt.rewrite.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.onnx2trt.rewrite.eval.EvalTesting.assertArray;
import static org.onnx2trt.rewrite.eval.EvalTesting.eval;
import static org.onnx2trt.rewrite.eval.EvalTesting.evalArray;
import static org.onnx2trt.rewrite.eval.EvalTesting.f32;
import static org.onnx2trt.rewrite.eval.EvalTesting.i64;
import static org.onnx2trt.rewrite.eval.EvalTesting.of;
import static org.onnx2trt.rewrite.eval.EvalTesting.shape;
import static org.onnx2trt.tensor.DataType.BFLOAT16;
import static org.onnx2trt.tensor.DataType.BOOL;
import static org.onnx2trt.tensor.DataType.DOUBLE;
import static org.onnx2trt.tensor.DataType.FLOAT;
import static org.onnx2trt.tensor.DataType.FLOAT16;
import static org.onnx2trt.tensor.DataType.INT16;
import static org.onnx2trt.tensor.DataType.INT32;
import static org.onnx2trt.tensor.DataType.INT64;
import static org.onnx2trt.tensor.DataType.INT8;
import static org.onnx2trt.tensor.DataType.UINT16;
import static org.onnx2trt.tensor.DataType.UINT32;
import static org.onnx2trt.tensor.DataType.UINT64;
import static org.onnx2trt.tensor.DataType.UINT8;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.math.DTypes;
import org.onnx2trt.tensor.math.NdArray;

class DTypesTest {

    @ParameterizedTest(name = "{0} with {1} gives {2}")
    @CsvSource({
        "FLOAT, FLOAT, FLOAT",
        "FLOAT, FLOAT16, FLOAT",
        "FLOAT16, BFLOAT16, FLOAT",
        "FLOAT16, FLOAT16, FLOAT16",
        "FLOAT, DOUBLE, DOUBLE",
        "INT64, DOUBLE, DOUBLE",
        "INT32, FLOAT, FLOAT",
        "INT64, FLOAT16, FLOAT16",
        "BOOL, FLOAT, FLOAT",
        "BOOL, INT8, INT8",
        "BOOL, BOOL, BOOL",
        "INT8, INT32, INT32",
        "UINT8, UINT16, UINT16",
        "INT8, UINT8, INT16",
        "INT16, UINT8, INT16",
        "UINT16, INT8, INT32",
        "UINT32, INT32, INT64",
        "UINT64, INT8, DOUBLE",
        "UINT64, UINT8, UINT64",
    })
    void promotion(DataType a, DataType b, DataType expected) {
        assertEquals(expected, DTypes.promote(a, b));
        assertEquals(expected, DTypes.promote(b, a));
    }

    @Test
    void plain_numbers_are_weak() {
        assertEquals(FLOAT16, DTypes.withNumber(FLOAT16, true));
        assertEquals(FLOAT16, DTypes.withNumber(FLOAT16, false));
        assertEquals(INT8, DTypes.withNumber(INT8, false));
        assertEquals(FLOAT, DTypes.withNumber(INT8, true));
        assertEquals(INT64, DTypes.withNumber(BOOL, false));
        assertEquals(FLOAT, DTypes.withNumber(BOOL, true));
    }

    @Test
    void cast_to_integers_rounds_half_to_even() {
        assertArray(of(INT32, shape(8), 2, 4, -2, -4, 0, 1, -1, 2),
                DTypes.cast(EvalTesting.f64(shape(8), 2.5, 3.5, -2.5, -3.5, 0.5, 1.4999, -0.6, 1.5), INT32));
        assertArray(of(INT8, shape(2), 2, 4), evalArray("cast([2.5, 3.5], int8)"));
    }

    @Test
    void cast_to_integers_saturates() {
        assertArray(of(INT8, shape(4), 127, -128, 127, -128), evalArray("cast([300, -300, 127.5, -128.5], int8)"));
        assertArray(of(UINT8, shape(3), 255, 0, 0), evalArray("cast([256.0, -1.0, -0.4], uint8)"));
        assertArray(of(INT16, shape(2), 32767, -32768), evalArray("cast([1e9, -1e9], int16)"));
        assertArray(of(UINT16, shape(1), 65535), evalArray("cast([70000], uint16)"));
        assertArray(of(INT32, shape(2), 2147483647, -2147483648L), evalArray("cast([1e20, -1e20], int32)"));
        assertArray(of(UINT32, shape(1), 4294967295L), evalArray("cast([1e20], uint32)"));
        assertArray(i64(shape(2), Long.MAX_VALUE, Long.MIN_VALUE), evalArray("cast([1e30, -1e30], int64)"));
        // integer to narrower integer saturates too (ONNX Cast would wrap)
        assertArray(of(INT8, shape(2), 127, -128), evalArray("cast(tensor([1000, -1000], int32), int8)"));
        assertArray(of(UINT8, shape(1), 0), evalArray("cast(tensor([-1], int64), uint8)"));
    }

    @Test
    void cast_of_nan_and_infinity() {
        NdArray special = f32(shape(3), Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertArray(of(INT8, shape(3), 0, 127, -128), DTypes.cast(special, INT8));
        assertArray(of(BOOL, shape(3), 1, 1, 1), DTypes.cast(special, BOOL));
    }

    @Test
    void cast_to_bool_and_floats() {
        assertArray(of(BOOL, shape(4), 0, 1, 1, 0), evalArray("cast([0, 2, -0.5, 0.0], bool)"));
        assertArray(f32(shape(2), 1, 0), evalArray("cast([true, false], float32)"));
        assertArray(of(FLOAT16, shape(2), 0.0999755859375, 65504), evalArray("cast([0.1, 65504], float16)"));
        assertArray(of(BFLOAT16, shape(), 0.10009765625), evalArray("cast(0.1, bfloat16)"));
        assertArray(of(DOUBLE, shape(), 0.1), evalArray("cast(0.1, float64)"));
        // a float literal is rounded once, into the target type
        assertArray(f32(shape(), (float) 0.1), evalArray("cast(0.1, float32)"));
        // int64 to float32 rounds once: 2^53 + 1 + 2^30 ... straight from the long
        long big = (1L << 60) + (1L << 36) + 1;
        assertEquals((double) (float) big, DTypes.cast(i64(shape(1), big), FLOAT).getDouble(0));
    }

    @Test
    void cast_to_uint64_beyond_the_exact_range_fails() {
        assertArray(of(UINT64, shape(), 5), evalArray("cast(5.2, uint64)"));
        assertEquals("uint64 value 9223372036854775807 is outside [0, 2^53], the range rules hold exactly",
                assertThrows(EvalException.class, () -> eval("cast(1e30, uint64)")).reason());
    }

    /** Widenings hold every value; narrowings, float to integer and integer into a short significand do not. */
    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
        "INT8, INT32, true", "UINT8, INT16, true", "UINT8, UINT16, true", "BOOL, FLOAT16, true",
        "FLOAT16, FLOAT, true", "BFLOAT16, DOUBLE, true", "FLOAT, DOUBLE, true", "INT8, FLOAT16, true",
        "UINT8, BFLOAT16, true", "INT16, FLOAT, true", "INT32, DOUBLE, true", "UINT32, DOUBLE, true",
        "INT8, UINT16, false", "UINT16, INT16, false", "INT32, INT8, false", "FLOAT, INT32, false",
        "INT32, FLOAT, false", "INT16, FLOAT16, false", "FLOAT16, BFLOAT16, false", "BFLOAT16, FLOAT16, false",
        "INT64, DOUBLE, false", "FLOAT, BOOL, false", "INT8, BOOL, false", "DOUBLE, FLOAT, false"
    })
    void holdsEveryValue(DataType from, DataType to, boolean expected) {
        assertEquals(expected, DTypes.holdsEveryValue(from, to));
    }
}
