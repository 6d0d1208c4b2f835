package org.onnx2trt.rewrite.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.onnx2trt.rewrite.eval.EvalTesting.assertArray;
import static org.onnx2trt.rewrite.eval.EvalTesting.i64;
import static org.onnx2trt.rewrite.eval.EvalTesting.shape;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.HalfFloat;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.math.ArrayException;
import org.onnx2trt.tensor.math.ArrayMath;
import org.onnx2trt.tensor.math.NdArray;
import org.onnx2trt.tensor.math.ShapeOps;

class NdArrayTest {

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "FLOAT16", "BFLOAT16", "DOUBLE", "INT8", "UINT8",
            "INT16", "UINT16", "INT32", "UINT32", "INT64", "UINT64", "BOOL"})
    void every_supported_type_goes_to_a_tensor_and_back(DataType type) {
        double[] values = type == DataType.BOOL ? new double[] {0, 1, 1, 0, 1, 0} : new double[] {0, 1, 2, 3, 4, 5};
        NdArray a = NdArray.ofDoubles(type, shape(2, 3), values);
        Tensor t = a.toTensor("w");
        assertEquals("w", t.name());
        assertEquals(type, t.dataType());
        assertArrayEquals(new long[] {2, 3}, t.dims());
        assertArrayEquals(values, t.view().toDoubleArray());
        assertEquals(a, NdArray.of(t));
    }

    @Test
    void int64_values_beyond_two_to_the_53_stay_exact() {
        long big = (1L << 53) + 1;
        Tensor t = Tensor.ofLongs("big", new long[] {3}, big, Long.MAX_VALUE, Long.MIN_VALUE);
        NdArray a = NdArray.of(t);
        assertArrayEquals(new long[] {big, Long.MAX_VALUE, Long.MIN_VALUE}, a.toLongArray());
        assertArrayEquals(new long[] {big, Long.MAX_VALUE, Long.MIN_VALUE}, a.toTensor("again").view().toLongArray());
        // through arithmetic, reshapes and slices too
        NdArray plusOne = (NdArray) ArrayMath.binary("+", a, 1L);
        assertEquals(big + 1, plusOne.getLong(0));
        assertEquals(Long.MIN_VALUE, plusOne.getLong(1)); // wraps, as numpy's int64 does
        assertEquals(big, ShapeOps.slice(ShapeOps.reshape(a, shape(3, 1)), shape(0), shape(1), null, null).getLong(0));
    }

    @Test
    void uint64_beyond_two_to_the_53_is_refused_not_rounded() {
        NdArray ok = NdArray.ofLongs(DataType.UINT64, shape(1), 1L << 53);
        assertEquals(1L << 53, ok.toTensor("u").view().getLong(0));
        Tensor big = NdArray.ofLongs(DataType.INT64, shape(2), 1, (1L << 53) + 2).toTensor("u");
        Tensor u = Tensor.of("u", DataType.UINT64, new long[] {2}, big.bytes());
        var e = assertThrows(ArrayException.class, () -> NdArray.of(u));
        assertEquals("cannot compute with `u`: uint64 value at index 1 is above 2^53, beyond what rules hold exactly",
                e.reason());
    }

    @Test
    void float32_values_are_rounded_as_a_java_float_cast() {
        NdArray a = NdArray.ofDoubles(DataType.FLOAT, shape(3), 0.1, 1.0 / 3, 1e-50);
        assertArrayEquals(new double[] {(float) 0.1, (float) (1.0 / 3), 0.0}, a.toDoubleArray());
        assertArrayEquals(new float[] {0.1f, (float) (1.0 / 3), 0f}, a.toTensor("f").view().toFloatArray());
    }

    @Test
    void float16_rounds_once_not_twice() {
        // halfway between two float16 values once rounded to float; just above halfway exactly
        double v = 1 + 0x1p-11 + 0x1p-40;
        assertEquals(1.0f, HalfFloat.fromFloat16(HalfFloat.toFloat16((float) v)), "the naive two-step path");
        assertEquals(1 + 0x1p-10, NdArray.scalar(DataType.FLOAT16, v).getDouble(0));
        assertEquals(1 + 0x1p-7, NdArray.scalar(DataType.BFLOAT16, 1 + 0x1p-8 + 0x1p-40).getDouble(0));
        assertEquals(1.0, NdArray.scalar(DataType.BFLOAT16, 1 + 0x1p-8).getDouble(0)); // a tie goes to even
        assertEquals(Double.POSITIVE_INFINITY, NdArray.scalar(DataType.FLOAT16, 65520).getDouble(0));
        assertEquals(65504, NdArray.scalar(DataType.FLOAT16, 65519).getDouble(0));
        assertEquals(Double.NaN, NdArray.scalar(DataType.FLOAT16, Double.NaN).getDouble(0));
    }

    @Test
    void factories_check_counts_and_ranges() {
        assertEquals("shape [2, 2] needs 4 values, got 3",
                assertThrows(ArrayException.class, () -> NdArray.ofDoubles(DataType.FLOAT, shape(2, 2), 1, 2, 3)).reason());
        assertEquals("value 300 does not fit int8",
                assertThrows(ArrayException.class, () -> NdArray.ofLongs(DataType.INT8, shape(1), 300)).reason());
        assertEquals("value 2.5 is not an integer; use cast() to round it to int32",
                assertThrows(ArrayException.class, () -> NdArray.ofDoubles(DataType.INT32, shape(1), 2.5)).reason());
        assertEquals("rules cannot compute with string values",
                assertThrows(ArrayException.class, () -> NdArray.ofDoubles(DataType.STRING, shape(0))).reason());
    }

    @Test
    void unsupported_tensors_are_named_in_the_error() {
        Tensor s = Tensor.fromProto(TensorProto.newBuilder().setName("labels").setDataType(8).addDims(1)
                .addStringData(ByteString.copyFromUtf8("cat")).build());
        assertEquals("cannot compute with `labels`: string tensors are not supported",
                assertThrows(ArrayException.class, () -> NdArray.of(s)).reason());
        Tensor shortData = Tensor.fromProto(TensorProto.newBuilder().setName("w").setDataType(1).addDims(2)
                .setRawData(ByteString.copyFrom(new byte[4])).build());
        assertEquals("cannot compute with `w`: it holds 4 bytes, but float32[2] needs 8",
                assertThrows(ArrayException.class, () -> NdArray.of(shortData)).reason());
    }

    @Test
    void accessors_copy_and_describe() {
        NdArray a = i64(shape(2, 2), 1, 2, 3, 4);
        long[] s = a.shape();
        s[0] = 99;
        assertArrayEquals(new long[] {2, 2}, a.shape());
        assertEquals(2, a.rank());
        assertEquals(4, a.size());
        assertEquals("int64[2, 2] [1, 2, 3, 4]", a.toString());
        assertEquals("float32[] [0.5]", NdArray.scalar(DataType.FLOAT, 0.5).toString());
        assertEquals(2, NdArray.ofDoubles(DataType.FLOAT, shape(1), 2.9).getLong(0));
        assertArray(NdArray.ofFloats(shape(2), 1.5f, -2f), NdArray.ofDoubles(DataType.FLOAT, shape(2), 1.5, -2));
    }
}
