package org.onnx2trt.tensor;

/**
 * Conversions between float32 and the 16-bit float formats, IEEE half (float16) and bfloat16.
 *
 * <p>Both directions round to nearest, ties to even, keep signed zeros, infinities and NaN, and
 * produce subnormals where the format has them (Java 17 has no {@code Float.floatToFloat16}).
 */
public final class HalfFloat {
    private HalfFloat() {}

    /** The float16 bits (in the low 16 bits of the result) nearest to {@code value}. */
    public static short toFloat16(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int exp = (f >>> 23) & 0xff;
        int mant = f & 0x7fffff;
        if (exp == 0xff) { // infinity or NaN; keep NaN quiet and non-zero
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00); // overflow to infinity
        }
        if (e <= 0) { // subnormal half or zero
            if (e < -10) {
                return (short) sign;
            }
            int m = mant | 0x800000; // implicit leading one
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // may carry into the exponent, up to infinity: that is the right rounding
        }
        return (short) (sign | half);
    }

    /** The float value of float16 bits. */
    public static float fromFloat16(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** The bfloat16 bits nearest to {@code value}. */
    public static short toBFloat16(float value) {
        int f = Float.floatToRawIntBits(value);
        if ((f & 0x7f800000) == 0x7f800000 && (f & 0x7fffff) != 0) {
            return (short) ((f >>> 16) | 0x40); // NaN stays a quiet NaN
        }
        int rounding = 0x7fff + ((f >>> 16) & 1);
        return (short) ((f + rounding) >>> 16);
    }

    /** The float value of bfloat16 bits. */
    public static float fromBFloat16(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Tensor {@code t} rounded to float16 (to nearest, ties to even), named {@code name}. */
    public static Tensor toFloat16(Tensor t, String name) {
        float[] values = t.view().toFloatArray();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(toFloat16(v));
        }
        return Tensor.of(name, DataType.FLOAT16, t.dims(), b.flip());
    }

    /** A float16 tensor widened to float32 (exact); any other tensor as it is; null stays null. */
    public static Tensor widened(Tensor t) {
        return t == null || t.dataType() != DataType.FLOAT16 ? t : Tensor.ofFloats(t.name(), t.dims(), t.view().toFloatArray());
    }
}
