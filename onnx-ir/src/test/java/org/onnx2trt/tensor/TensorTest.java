package org.onnx2trt.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.proto.Onnx.TensorProto;

class TensorTest {

    // ---- copy on write -------------------------------------------------------------------

    @Test
    void mutable_view_copies_on_first_write_and_leaves_the_source_alone() {
        ByteBuffer source = le(DataType.FLOAT, 1f, 2f);
        TensorProto proto = rawProto("w", DataType.FLOAT, source, 2);
        Tensor t = Tensor.fromProto(proto, new TensorStorage.InMemory(source));
        assertFalse(t.isDataChanged());
        assertInstanceOf(TensorStorage.InMemory.class, t.storage());

        t.mutableView().setFloat(0, 9f);

        assertTrue(t.isDataChanged());
        assertArrayEquals(new float[] {9f, 2f}, t.view().toFloatArray());
        assertEquals(1f, source.getFloat(0), "the caller's buffer");
        assertEquals(0, source.position());
        assertEquals(ByteString.copyFrom(le(DataType.FLOAT, 1f, 2f)), t.original().getRawData(), "the original proto");
    }

    @Test
    void later_mutable_views_write_the_same_copy() {
        Tensor t = Tensor.fromProto(rawProto("w", DataType.INT32, le(DataType.INT32, 5, 6), 2),
                new TensorStorage.InMemory(le(DataType.INT32, 5, 6)));
        TensorView first = t.mutableView();
        TensorStorage copy = t.storage();
        TensorView second = t.mutableView();
        first.setLong(0, 7);
        second.setLong(1, 8);
        assertSame(copy, t.storage());
        assertArrayEquals(new long[] {7, 8}, t.view().toLongArray());
    }

    @Test
    void bytes_are_read_only() {
        Tensor t = Tensor.ofFloats("w", new long[] {1}, 1f);
        assertTrue(t.bytes().isReadOnly());
        assertEquals(ByteOrder.LITTLE_ENDIAN, t.bytes().order());
    }

    @Test
    void set_data_replaces_the_bytes_and_checks_their_size() {
        Tensor t = Tensor.fromProto(rawProto("w", DataType.INT64, le(DataType.INT64, 1L), 1),
                new TensorStorage.InMemory(le(DataType.INT64, 1L)));
        t.setData(le(DataType.INT64, 42L));
        assertTrue(t.isDataChanged());
        assertEquals(42, t.view().getLong(0));

        var e = assertThrows(IllegalArgumentException.class, () -> t.setData(ByteBuffer.allocate(4)));
        assertEquals("tensor `w` needs 8 bytes, got 4", e.getMessage());
    }

    // ---- making tensors ------------------------------------------------------------------

    @Test
    void of_checks_the_size_against_type_and_shape() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of("w", DataType.FLOAT, new long[] {2, 3}, ByteBuffer.allocate(20)));
        assertEquals("tensor `w` of float32[2, 3] needs 24 bytes, got 20", e.getMessage());
    }

    @Test
    void made_tensors_hold_their_values_and_count_as_changed() {
        Tensor f = Tensor.ofFloats("f", new long[] {2, 2}, 1f, 2f, 3f, 4f);
        assertEquals(4, f.elementCount());
        assertEquals(2, f.rank());
        assertEquals(16, f.expectedByteLength());
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, f.view().toFloatArray());
        assertTrue(f.isDataChanged());
        assertNull(f.original());
        assertNull(f.dataProblem());

        Tensor scalar = Tensor.ofLongs("s", new long[0], -5L);
        assertEquals(1, scalar.elementCount());
        assertEquals(-5, scalar.view().getLong(0));
    }

    @Test
    void dims_cannot_be_changed_through_the_returned_array() {
        Tensor t = Tensor.zeros("z", DataType.FLOAT, 2, 3);
        t.dims()[0] = 7;
        assertArrayEquals(new long[] {2, 3}, t.dims());
    }

    @Test
    void unknown_data_type_code_reads_as_undefined() {
        Tensor t = Tensor.fromProto(TensorProto.newBuilder().setName("u").setDataType(99).addDims(1).build(), null);
        assertEquals(DataType.UNDEFINED, t.dataType());
        assertEquals(99, t.dataTypeCode());
        assertEquals("u: dtype(99)[1]", t.toString());
    }

    // ---- typed fields decode like raw_data -----------------------------------------------

    static Stream<Arguments> typedFields() {
        return Stream.of(
                Arguments.of(DataType.FLOAT, TensorProto.newBuilder().addFloatData(1.5f).addFloatData(-2f).addFloatData(3e-5f),
                        le(DataType.FLOAT, 1.5f, -2f, 3e-5f), new double[] {1.5, -2, 3e-5f}),
                Arguments.of(DataType.DOUBLE, TensorProto.newBuilder().addDoubleData(0.1).addDoubleData(-1e300),
                        le(DataType.DOUBLE, 0.1, -1e300), new double[] {0.1, -1e300}),
                Arguments.of(DataType.INT64, TensorProto.newBuilder().addInt64Data(Long.MIN_VALUE).addInt64Data(-1).addInt64Data(5),
                        le(DataType.INT64, Long.MIN_VALUE, -1L, 5L), new double[] {Long.MIN_VALUE, -1, 5}),
                Arguments.of(DataType.INT32, TensorProto.newBuilder().addInt32Data(Integer.MIN_VALUE).addInt32Data(7),
                        le(DataType.INT32, Integer.MIN_VALUE, 7), new double[] {Integer.MIN_VALUE, 7}),
                Arguments.of(DataType.INT8, TensorProto.newBuilder().addInt32Data(-128).addInt32Data(-1).addInt32Data(127),
                        bytes(0x80, 0xff, 0x7f), new double[] {-128, -1, 127}),
                Arguments.of(DataType.UINT8, TensorProto.newBuilder().addInt32Data(0).addInt32Data(200).addInt32Data(255),
                        bytes(0x00, 0xc8, 0xff), new double[] {0, 200, 255}),
                Arguments.of(DataType.INT16, TensorProto.newBuilder().addInt32Data(-32768).addInt32Data(12345),
                        bytes(0x00, 0x80, 0x39, 0x30), new double[] {-32768, 12345}),
                Arguments.of(DataType.UINT16, TensorProto.newBuilder().addInt32Data(65535).addInt32Data(1),
                        bytes(0xff, 0xff, 0x01, 0x00), new double[] {65535, 1}),
                Arguments.of(DataType.FLOAT16, TensorProto.newBuilder().addInt32Data(0x3c00).addInt32Data(0xc000).addInt32Data(0x7bff),
                        bytes(0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b), new double[] {1, -2, 65504}),
                Arguments.of(DataType.BFLOAT16, TensorProto.newBuilder().addInt32Data(0x3f80).addInt32Data(0xc040),
                        bytes(0x80, 0x3f, 0x40, 0xc0), new double[] {1, -3}),
                Arguments.of(DataType.BOOL, TensorProto.newBuilder().addInt32Data(1).addInt32Data(0).addInt32Data(1),
                        bytes(0x01, 0x00, 0x01), new double[] {1, 0, 1}),
                Arguments.of(DataType.UINT32, TensorProto.newBuilder().addUint64Data(0xffffffffL).addUint64Data(7),
                        bytes(0xff, 0xff, 0xff, 0xff, 0x07, 0x00, 0x00, 0x00), new double[] {4294967295.0, 7}),
                Arguments.of(DataType.UINT64, TensorProto.newBuilder().addUint64Data(-1L).addUint64Data(1L << 63).addUint64Data(3),
                        le(DataType.UINT64, -1L, 1L << 63, 3L), new double[] {0x1p64, 0x1p63, 3}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typedFields")
    void typed_fields_decode_to_the_raw_data_layout(DataType type, TensorProto.Builder typed, ByteBuffer raw, double[] values) {
        int count = values.length;
        Tensor fromTyped = Tensor.fromProto(typed.setName("t").setDataType(type.code()).addDims(count).build(), null);
        Tensor fromRaw = Tensor.fromProto(rawProto("t", type, raw, count), new TensorStorage.InMemory(raw));

        assertNull(fromTyped.dataProblem());
        assertEquals(type.byteSize(count), fromTyped.storedByteLength());
        assertEquals(fromRaw.bytes(), fromTyped.bytes());
        assertArrayEquals(values, fromTyped.view().toDoubleArray());
        assertArrayEquals(fromRaw.view().toLongArray(), fromTyped.view().toLongArray());
        assertFalse(fromTyped.isDataChanged(), "decoding is not a change");
    }

    // ---- dataProblem ---------------------------------------------------------------------

    @Test
    void fitting_data_has_no_problem() {
        assertNull(rawTensor(DataType.FLOAT, 16, 2, 2).dataProblem());
        assertNull(rawTensor(DataType.FLOAT, 0, 0, 3).dataProblem(), "an empty tensor needs no bytes");
        assertNull(rawTensor(DataType.INT4, 2, 3).dataProblem(), "3 int4 elements pack into 2 bytes");
    }

    @Test
    void too_short_raw_data_is_a_problem() {
        assertEquals("holds 8 bytes, but float32[2, 2] needs 16", rawTensor(DataType.FLOAT, 8, 2, 2).dataProblem());
        assertEquals("holds 3 bytes, but int4[7] needs 4", rawTensor(DataType.INT4, 3, 7).dataProblem());
    }

    @Test
    void too_long_raw_data_is_a_problem() {
        assertEquals("holds 20 bytes, but float32[2, 2] needs 16", rawTensor(DataType.FLOAT, 20, 2, 2).dataProblem());
    }

    @Test
    void missing_data_is_a_problem() {
        Tensor t = Tensor.fromProto(TensorProto.newBuilder().setName("w").setDataType(DataType.FLOAT.code()).addDims(3).build(), null);
        assertEquals("has no data: float32[3] needs 12 bytes", t.dataProblem());
    }

    @Test
    void too_few_typed_elements_are_a_problem() {
        TensorProto proto = TensorProto.newBuilder().setName("w").setDataType(DataType.INT16.code()).addDims(2)
                .addInt32Data(1).build();
        assertEquals("holds 2 bytes, but int16[2] needs 4", Tensor.fromProto(proto, null).dataProblem());
    }

    @Test
    void string_tensors_count_strings_not_bytes() {
        TensorProto.Builder b = TensorProto.newBuilder().setName("s").setDataType(DataType.STRING.code()).addDims(2)
                .addStringData(ByteString.copyFromUtf8("abc"));
        Tensor tooFew = Tensor.fromProto(b.build(), null);
        assertEquals("holds 1 strings, its shape needs 2", tooFew.dataProblem());
        assertEquals(3, tooFew.storedByteLength());

        Tensor fits = Tensor.fromProto(b.addStringData(ByteString.copyFromUtf8("de")).build(), null);
        assertNull(fits.dataProblem());
        assertEquals(5, fits.storedByteLength());
        assertEquals(-1, fits.expectedByteLength());
        var e = assertThrows(UnsupportedOperationException.class, fits::bytes);
        assertEquals("tensor `s` of string has no byte view", e.getMessage());
    }

    // ---- helpers -------------------------------------------------------------------------

    /** A tensor whose raw_data holds {@code rawBytes} zero bytes. */
    private static Tensor rawTensor(DataType type, int rawBytes, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(rawBytes);
        TensorProto.Builder b = TensorProto.newBuilder().setName("w").setDataType(type.code()).setRawData(ByteString.copyFrom(raw.duplicate()));
        for (long d : dims) {
            b.addDims(d);
        }
        return Tensor.fromProto(b.build(), new TensorStorage.InMemory(raw));
    }

    private static TensorProto rawProto(String name, DataType type, ByteBuffer raw, long count) {
        return TensorProto.newBuilder().setName(name).setDataType(type.code()).addDims(count)
                .setRawData(ByteString.copyFrom(raw.duplicate())).build();
    }

    /** Little-endian bytes of numbers, each stored as {@code type} (float, double, int or long types). */
    private static ByteBuffer le(DataType type, Number... values) {
        ByteBuffer b = ByteBuffer.allocate((int) type.byteSize(values.length)).order(ByteOrder.LITTLE_ENDIAN);
        for (Number v : values) {
            switch (type) {
                case FLOAT -> b.putFloat(v.floatValue());
                case DOUBLE -> b.putDouble(v.doubleValue());
                case INT32 -> b.putInt(v.intValue());
                case INT64, UINT64 -> b.putLong(v.longValue());
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return b.flip();
    }

    private static ByteBuffer bytes(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.flip();
    }
}
