package org.onnx2trt.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TensorViewTest {

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "FLOAT16", "BFLOAT16", "DOUBLE", "INT8", "UINT8",
            "INT16", "UINT16", "INT32", "UINT32", "INT64", "UINT64", "BOOL"})
    void every_supported_type_reads_back_what_was_written(DataType type) {
        Tensor t = Tensor.zeros("t", type, 4);
        TensorView w = t.mutableView();
        assertEquals(type, w.type());
        assertEquals(4, w.size());
        assertTrue(w.isWritable());

        w.setLong(0, 1);
        w.setDouble(1, 0);
        w.setBoolean(2, true);
        w.setFloat(3, 1);

        TensorView r = t.view();
        assertFalse(r.isWritable());
        assertArrayEquals(new long[] {1, 0, 1, 1}, r.toLongArray());
        assertArrayEquals(new double[] {1, 0, 1, 1}, r.toDoubleArray());
        assertArrayEquals(new float[] {1, 0, 1, 1}, r.toFloatArray());
        assertTrue(r.getBoolean(0));
        assertFalse(r.getBoolean(1));
        assertEquals(type.byteSize(4), t.bytes().remaining());
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"STRING", "INT4", "UINT4", "COMPLEX64", "FLOAT8E4M3FN"})
    void other_types_have_no_view(DataType type) {
        var e = assertThrows(UnsupportedOperationException.class, () -> new TensorView(type, ByteBuffer.allocate(8), false));
        assertEquals("no typed view for " + type.displayName() + " tensors", e.getMessage());
        assertFalse(TensorView.supports(type));
    }

    @Test
    void read_only_view_refuses_every_write() {
        TensorView r = Tensor.ofFloats("t", new long[] {2}, 1f, 2f).view();
        for (Runnable write : new Runnable[] {() -> r.setDouble(0, 5), () -> r.setFloat(0, 5),
                () -> r.setLong(0, 5), () -> r.setBoolean(0, false)}) {
            var e = assertThrows(UnsupportedOperationException.class, write::run);
            assertEquals("read-only view; use Tensor.mutableView() to write", e.getMessage());
        }
        assertEquals(1f, r.getFloat(0));
    }

    // ---- byte layout: little-endian, pinned byte by byte ----------------------------------

    @Test
    void float32_is_little_endian_ieee() {
        assertArrayEquals(bytes(0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc1),
                written(DataType.FLOAT, 1.0, -10.0));
    }

    @Test
    void int64_is_little_endian_twos_complement() {
        Tensor t = Tensor.zeros("t", DataType.INT64, 2);
        t.mutableView().setLong(0, 0x0102030405060708L);
        t.mutableView().setLong(1, -2);
        assertArrayEquals(bytes(0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
                0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), content(t));
    }

    @Test
    void float16_and_bfloat16_are_little_endian_bit_patterns() {
        assertArrayEquals(bytes(0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b), written(DataType.FLOAT16, 1.0, -2.0, 65504.0));
        assertArrayEquals(bytes(0x80, 0x3f, 0x00, 0xc0), written(DataType.BFLOAT16, 1.0, -2.0));
    }

    @Test
    void narrow_integers_are_little_endian() {
        assertArrayEquals(bytes(0x34, 0x12, 0xff, 0xff), written(DataType.INT16, 0x1234, -1));
        assertArrayEquals(bytes(0x78, 0x56, 0x34, 0x12), written(DataType.UINT32, 0x12345678));
        assertArrayEquals(bytes(0x01, 0x00, 0x01), written(DataType.BOOL, 1, 0, -3));
    }

    // ---- conversions on read -------------------------------------------------------------

    @Test
    void unsigned_types_read_as_unsigned() {
        assertEquals(255, view(DataType.UINT8, 0xff).getLong(0));
        assertEquals(255.0, view(DataType.UINT8, 0xff).getDouble(0));
        assertEquals(-1, view(DataType.INT8, 0xff).getLong(0));
        assertEquals(65535, view(DataType.UINT16, 0xff, 0xff).getLong(0));
        assertEquals(-1, view(DataType.INT16, 0xff, 0xff).getLong(0));
        assertEquals(4294967295L, view(DataType.UINT32, 0xff, 0xff, 0xff, 0xff).getLong(0));
        assertEquals(-1, view(DataType.INT32, 0xff, 0xff, 0xff, 0xff).getLong(0));
    }

    @Test
    void uint64_above_int64_reads_as_a_positive_double() {
        TensorView max = view(DataType.UINT64, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
        assertEquals(0x1p64, max.getDouble(0)); // 2^64 - 1 rounds to 2^64
        assertEquals(-1L, max.getLong(0)); // the bits, as a Java long
        TensorView top = view(DataType.UINT64, 0, 0, 0, 0, 0, 0, 0, 0x80);
        assertEquals(0x1p63, top.getDouble(0));
        TensorView roundsUp = view(DataType.UINT64, 0x01, 0x04, 0, 0, 0, 0, 0, 0x80); // 2^63 + 1025
        assertEquals(0x1p63 + 2048, roundsUp.getDouble(0));
        assertEquals(-9.223372036854775808E18, view(DataType.INT64, 0, 0, 0, 0, 0, 0, 0, 0x80).getDouble(0));
    }

    @Test
    void bool_reads_any_non_zero_byte_as_one() {
        TensorView v = view(DataType.BOOL, 0, 1, 2, 0xff);
        assertArrayEquals(new long[] {0, 1, 1, 1}, v.toLongArray());
        assertFalse(v.getBoolean(0));
        assertTrue(v.getBoolean(3));
    }

    @Test
    void floats_read_as_integers_truncate_toward_zero() {
        TensorView v = Tensor.ofFloats("t", new long[] {4}, 2.9f, -2.9f, 0.5f, -0.5f).view();
        assertArrayEquals(new long[] {2, -2, 0, 0}, v.toLongArray());
        assertArrayEquals(new float[] {2.9f, -2.9f, 0.5f, -0.5f}, v.toFloatArray());
    }

    // ---- conversions on write ------------------------------------------------------------

    @Test
    void integer_writes_wrap_like_a_c_cast() {
        assertArrayEquals(new long[] {-128, 0, -1}, writtenLongs(DataType.INT8, 128, 256, 255));
        assertArrayEquals(new long[] {255, 0, 128}, writtenLongs(DataType.UINT8, -1, 256, -128));
        assertArrayEquals(new long[] {-32768, 0}, writtenLongs(DataType.INT16, 32768, 65536));
        assertArrayEquals(new long[] {65535, 0}, writtenLongs(DataType.UINT16, -1, 65536));
        assertArrayEquals(new long[] {Integer.MIN_VALUE, 0}, writtenLongs(DataType.INT32, 1L << 31, 1L << 32));
        assertArrayEquals(new long[] {4294967295L, 0}, writtenLongs(DataType.UINT32, -1, 1L << 32));
    }

    @Test
    void double_writes_to_integers_truncate_toward_zero() {
        assertArrayEquals(new long[] {2, -2, 0}, truncated(DataType.INT32, 2.9, -2.9, -0.5));
        assertArrayEquals(new long[] {200, 3}, truncated(DataType.UINT8, 200.7, 3.2));
        assertArrayEquals(new long[] {4000000000L}, truncated(DataType.UINT32, 4e9));
        assertArrayEquals(new long[] {-7, 1L << 40}, truncated(DataType.INT64, -7.99, 0x1p40));
    }

    @Test
    void double_writes_to_uint64_keep_values_above_int64() {
        Tensor t = Tensor.zeros("t", DataType.UINT64, 3);
        TensorView w = t.mutableView();
        w.setDouble(0, 0x1p63);
        w.setDouble(1, 1.8e19);
        w.setDouble(2, 12345);
        assertEquals(0x1p63, t.view().getDouble(0));
        assertEquals(Long.MIN_VALUE, t.view().getLong(0)); // the bits of 2^63
        assertEquals(1.8e19, t.view().getDouble(1));
        assertEquals(Long.parseUnsignedLong("18000000000000000000"), t.view().getLong(1));
        assertEquals(12345, t.view().getLong(2));
    }

    @Test
    void half_precision_writes_round_to_nearest_even() {
        Tensor half = Tensor.zeros("h", DataType.FLOAT16, 3);
        half.mutableView().setDouble(0, 0.1);
        half.mutableView().setDouble(1, 65520);
        half.mutableView().setLong(2, 2049); // tie between 2048 and 2050: to the even 2048
        assertArrayEquals(new double[] {0.0999755859375, Double.POSITIVE_INFINITY, 2048}, half.view().toDoubleArray());

        Tensor bf = Tensor.zeros("b", DataType.BFLOAT16, 2);
        bf.mutableView().setDouble(0, 0.1);
        bf.mutableView().setLong(1, 257); // tie between 256 and 258: to the even 256
        assertArrayEquals(new double[] {0.10009765625, 256}, bf.view().toDoubleArray());
    }

    @Test
    void float_and_double_keep_their_precision() {
        Tensor f = Tensor.zeros("f", DataType.FLOAT, 1);
        f.mutableView().setDouble(0, 0.1);
        assertEquals((double) 0.1f, f.view().getDouble(0));
        Tensor d = Tensor.zeros("d", DataType.DOUBLE, 1);
        d.mutableView().setDouble(0, 0.1);
        assertEquals(0.1, d.view().getDouble(0));
        d.mutableView().setLong(0, (1L << 53) + 1);
        assertEquals(0x1p53, d.view().getDouble(0));
    }

    @Test
    void int64_keeps_every_bit() {
        Tensor t = Tensor.zeros("t", DataType.INT64, 2);
        t.mutableView().setLong(0, Long.MIN_VALUE);
        t.mutableView().setLong(1, Long.MAX_VALUE);
        assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, t.view().toLongArray());
    }

    // ---- helpers -------------------------------------------------------------------------

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** A read-only view over the given little-endian bytes. */
    private static TensorView view(DataType type, int... bytes) {
        long count = bytes.length * 8L / type.bits();
        return Tensor.of("t", type, new long[] {count}, ByteBuffer.wrap(bytes(bytes))).view();
    }

    /** The bytes of a tensor whose elements were written with setDouble. */
    private static byte[] written(DataType type, double... values) {
        Tensor t = Tensor.zeros("t", type, values.length);
        TensorView w = t.mutableView();
        for (int i = 0; i < values.length; i++) {
            w.setDouble(i, values[i]);
        }
        return content(t);
    }

    /** The elements of a tensor whose elements were written with setLong, read as longs. */
    private static long[] writtenLongs(DataType type, long... values) {
        Tensor t = Tensor.zeros("t", type, values.length);
        TensorView w = t.mutableView();
        for (int i = 0; i < values.length; i++) {
            w.setLong(i, values[i]);
        }
        return t.view().toLongArray();
    }

    /** The elements of a tensor whose elements were written with setDouble, read as longs. */
    private static long[] truncated(DataType type, double... values) {
        Tensor t = Tensor.zeros("t", type, values.length);
        TensorView w = t.mutableView();
        for (int i = 0; i < values.length; i++) {
            w.setDouble(i, values[i]);
        }
        return t.view().toLongArray();
    }

    private static byte[] content(Tensor t) {
        ByteBuffer b = t.bytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
