package org.onnx2trt.tensor;

import java.nio.ByteBuffer;

/**
 * Typed element access over a tensor's little-endian bytes, for every fixed-size numeric type the
 * rules compute with: float32, float16, bfloat16, float64, int8, uint8, int16, uint16, int32,
 * uint32, int64, uint64 and bool.
 *
 * <p>Every getter converts from the stored type (as numpy's {@code astype} would: floats to
 * integers truncate toward zero) and every setter converts to it (float16/bfloat16 round to
 * nearest even; integers wrap, as a C cast does). Indices are flat row-major element indices.
 */
public final class TensorView {
    private final DataType type;
    private final ByteBuffer bytes;
    private final boolean writable;
    private final int size;

    TensorView(DataType type, ByteBuffer bytes, boolean writable) {
        if (!supports(type)) {
            throw new UnsupportedOperationException("no typed view for " + type + " tensors");
        }
        this.type = type;
        this.bytes = bytes;
        this.writable = writable;
        this.size = bytes.remaining() / (type.bits() / 8);
    }

    /** Whether a typed view exists for this element type. */
    public static boolean supports(DataType type) {
        return switch (type) {
            case FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, BOOL -> true;
            default -> false;
        };
    }

    public DataType type() {
        return type;
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    public boolean isWritable() {
        return writable;
    }

    public double getDouble(int i) {
        return switch (type) {
            case FLOAT -> bytes.getFloat(4 * i);
            case DOUBLE -> bytes.getDouble(8 * i);
            case FLOAT16 -> HalfFloat.fromFloat16(bytes.getShort(2 * i));
            case BFLOAT16 -> HalfFloat.fromBFloat16(bytes.getShort(2 * i));
            case UINT64 -> unsignedToDouble(bytes.getLong(8 * i));
            default -> getLong(i);
        };
    }

    public float getFloat(int i) {
        return (float) getDouble(i);
    }

    public long getLong(int i) {
        return switch (type) {
            case INT8 -> bytes.get(i);
            case UINT8 -> bytes.get(i) & 0xffL;
            case BOOL -> bytes.get(i) != 0 ? 1 : 0;
            case INT16 -> bytes.getShort(2 * i);
            case UINT16 -> bytes.getShort(2 * i) & 0xffffL;
            case INT32 -> bytes.getInt(4 * i);
            case UINT32 -> bytes.getInt(4 * i) & 0xffffffffL;
            case INT64, UINT64 -> bytes.getLong(8 * i);
            default -> (long) getDouble(i);
        };
    }

    public boolean getBoolean(int i) {
        return getDouble(i) != 0;
    }

    public void setDouble(int i, double v) {
        checkWritable();
        switch (type) {
            case FLOAT -> bytes.putFloat(4 * i, (float) v);
            case DOUBLE -> bytes.putDouble(8 * i, v);
            case FLOAT16 -> bytes.putShort(2 * i, HalfFloat.toFloat16((float) v));
            case BFLOAT16 -> bytes.putShort(2 * i, HalfFloat.toBFloat16((float) v));
            case BOOL -> bytes.put(i, (byte) (v != 0 ? 1 : 0));
            case UINT64 -> bytes.putLong(8 * i, doubleToUnsigned(v));
            default -> setLong(i, (long) v);
        }
    }

    public void setFloat(int i, float v) {
        setDouble(i, v);
    }

    public void setLong(int i, long v) {
        checkWritable();
        switch (type) {
            case INT8, UINT8 -> bytes.put(i, (byte) v);
            case BOOL -> bytes.put(i, (byte) (v != 0 ? 1 : 0));
            case INT16, UINT16 -> bytes.putShort(2 * i, (short) v);
            case INT32, UINT32 -> bytes.putInt(4 * i, (int) v);
            case INT64, UINT64 -> bytes.putLong(8 * i, v);
            default -> setDouble(i, v);
        }
    }

    public void setBoolean(int i, boolean v) {
        setLong(i, v ? 1 : 0);
    }

    /** All elements as float32. */
    public float[] toFloatArray() {
        float[] out = new float[size];
        if (type == DataType.FLOAT) {
            elements().asFloatBuffer().get(out); // one bulk copy: fast even before the JIT compiles anything
            return out;
        }
        for (int i = 0; i < size; i++) {
            out[i] = getFloat(i);
        }
        return out;
    }

    /** All elements as float64. */
    public double[] toDoubleArray() {
        double[] out = new double[size];
        if (type == DataType.DOUBLE) {
            elements().asDoubleBuffer().get(out);
            return out;
        }
        if (type == DataType.FLOAT) {
            float[] f = toFloatArray();
            for (int i = 0; i < size; i++) {
                out[i] = f[i];
            }
            return out;
        }
        for (int i = 0; i < size; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** All elements as int64. */
    public long[] toLongArray() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** The element bytes from index 0, in the view's byte order, for bulk copies. */
    private ByteBuffer elements() {
        ByteBuffer b = bytes.duplicate().order(bytes.order());
        b.position(0).limit(size * (type.bits() / 8));
        return b;
    }

    private void checkWritable() {
        if (!writable) {
            throw new UnsupportedOperationException("read-only view; use Tensor.mutableView() to write");
        }
    }

    /** The uint64 bits of {@code v}; a plain {@code (long)} cast would clamp [2^63, 2^64) to 2^63 - 1. */
    private static long doubleToUnsigned(double v) {
        return v >= 0x1p63 ? (long) (v - 0x1p63) ^ Long.MIN_VALUE : (long) v;
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
    }
}
