package org.onnx2trt.tensor.math;

import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.HalfFloat;
import org.onnx2trt.tensor.TensorView;

/**
 * The element types rules compute with, how two of them combine, and how a value is brought into
 * one.
 *
 * <p><b>Promotion</b> ({@link #promote}), for two tensors:
 * <ul>
 *   <li>the same type stays; bool gives way to the other type;
 *   <li>float64 with anything is float64;
 *   <li>two different float types (float32/float16/bfloat16) give float32;
 *   <li>a float type with an integer type gives the float type (not float64 as numpy would: a graph
 *       keeps one float type, and folding must not change it);
 *   <li>two signed or two unsigned integers give the wider; signed with unsigned gives the smallest
 *       signed type holding both (uint8 → int16, uint16 → int32, uint32 → int64), uint64 with a
 *       signed type gives float64, as in numpy.
 * </ul>
 * A plain number in an expression ({@code 2}, {@code 1e-5}, an attribute) is <i>weak</i>, as in
 * numpy 2: it takes the tensor's type. An integer with a bool tensor gives int64; a float with an
 * integer or bool tensor gives float32, the rule language's default float type.
 *
 * <p><b>Rounding</b>: every operation computes in float64 (or exactly in int64) and rounds the result
 * once into the result type: float32 exactly as a Java {@code (float)} cast; float16 and bfloat16 to
 * nearest even, without double rounding (see {@link #roundToFloat}). Integer arithmetic wraps to the
 * result type as numpy and ONNX Runtime do; {@link #cast} saturates instead.
 *
 * <p><b>int64 and uint64</b>: int64 values are held exactly. uint64 values are held as doubles and
 * must stay within [0, 2^53]; a larger one is an error rather than a silently wrong constant.
 */
public final class DTypes {
    /** The largest integer a double holds exactly, and the uint64 limit here. */
    public static final long EXACT_LIMIT = 1L << 53;

    private DTypes() {}

    /** Whether rules can compute with this type (the types {@link TensorView} reads). */
    public static boolean isSupported(DataType t) {
        return TensorView.supports(t);
    }

    public static boolean isFloat(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE || t == DataType.FLOAT16 || t == DataType.BFLOAT16;
    }

    /** int8 … uint64; not bool. */
    public static boolean isInteger(DataType t) {
        return switch (t) {
            case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64 -> true;
            default -> false;
        };
    }

    /**
     * Whether every value of {@code from} is exactly a value of {@code to}, so that a cast from
     * {@code from} to {@code to} and back gives the input again: the same type; bool into any number
     * type; a float into a wider float (float16 and bfloat16 into float32, either into float64, float32
     * into float64, not float16 into bfloat16 or back); an integer into an integer type holding its
     * range, or into a float whose significand holds its magnitude (int8 and uint8 into float16 or
     * bfloat16, 16-bit ones into float32, 32-bit ones into float64). No float into an integer type.
     */
    public static boolean holdsEveryValue(DataType from, DataType to) {
        if (from == to) {
            return true;
        }
        if (from == DataType.BOOL) {
            return isFloat(to) || isInteger(to);
        }
        if (isFloat(from)) {
            return switch (from) {
                case FLOAT16, BFLOAT16 -> to == DataType.FLOAT || to == DataType.DOUBLE;
                case FLOAT -> to == DataType.DOUBLE;
                default -> false;
            };
        }
        if (!isInteger(from)) {
            return false;
        }
        int bits = from.bits();
        if (isInteger(to)) {
            if (isSigned(from)) {
                return isSigned(to) && to.bits() >= bits;
            }
            return isSigned(to) ? to.bits() > bits : to.bits() >= bits;
        }
        if (isFloat(to)) { // a signed type's largest magnitude, 2^(bits-1), is a power of two: bits-1 significant bits suffice
            return (isSigned(from) ? bits - 1 : bits) <= significandBits(to);
        }
        return false;
    }

    /** Significant bits of a float type, the implicit leading bit included. */
    private static int significandBits(DataType t) {
        return switch (t) {
            case FLOAT16 -> 11;
            case BFLOAT16 -> 8;
            case FLOAT -> 24;
            case DOUBLE -> 53;
            default -> throw new IllegalArgumentException(t + " is not a float type");
        };
    }

    /** Values of this type are computed on longs: the integer types and bool. */
    public static boolean isExactType(DataType t) {
        return isInteger(t) || t == DataType.BOOL;
    }

    private static boolean isSigned(DataType t) {
        return t == DataType.INT8 || t == DataType.INT16 || t == DataType.INT32 || t == DataType.INT64;
    }

    /** The type of {@code a op b} for two tensors; see the class comment. */
    public static DataType promote(DataType a, DataType b) {
        if (a == b) {
            return a;
        }
        if (a == DataType.BOOL) {
            return b;
        }
        if (b == DataType.BOOL) {
            return a;
        }
        if (a == DataType.DOUBLE || b == DataType.DOUBLE) {
            return DataType.DOUBLE;
        }
        boolean fa = isFloat(a);
        boolean fb = isFloat(b);
        if (fa && fb) {
            return DataType.FLOAT;
        }
        if (fa || fb) {
            return fa ? a : b;
        }
        if (isSigned(a) == isSigned(b)) {
            return a.bits() >= b.bits() ? a : b;
        }
        DataType signed = isSigned(a) ? a : b;
        DataType unsigned = isSigned(a) ? b : a;
        if (signed.bits() > unsigned.bits()) {
            return signed;
        }
        return switch (unsigned) {
            case UINT8 -> DataType.INT16;
            case UINT16 -> DataType.INT32;
            case UINT32 -> DataType.INT64;
            default -> DataType.DOUBLE;
        };
    }

    /** The type of {@code tensor op number}: the number is weak; see the class comment. */
    public static DataType withNumber(DataType tensor, boolean numberIsFloat) {
        if (numberIsFloat) {
            return isFloat(tensor) ? tensor : DataType.FLOAT;
        }
        return tensor == DataType.BOOL ? DataType.INT64 : tensor;
    }

    /**
     * {@code v} rounded to the float type {@code t}, to nearest even. float16 and bfloat16 go
     * through a float rounded to odd, so the two steps give the same result as one rounding would.
     */
    public static double roundToFloat(DataType t, double v) {
        return switch (t) {
            case DOUBLE -> v;
            case FLOAT -> (float) v;
            case FLOAT16 -> HalfFloat.fromFloat16(HalfFloat.toFloat16(roundToOdd(v)));
            case BFLOAT16 -> HalfFloat.fromBFloat16(HalfFloat.toBFloat16(roundToOdd(v)));
            default -> throw new IllegalArgumentException(t + " is not a float type");
        };
    }

    /** The float next to {@code v} whose last mantissa bit is 1, unless {@code v} is a float already. */
    private static float roundToOdd(double v) {
        float f = (float) v;
        if (Double.isNaN(v) || f == v) {
            return f;
        }
        // f and its neighbour towards v bracket v; one of them ends in a 1 bit.
        return (Float.floatToRawIntBits(f) & 1) == 0 ? Math.nextAfter(f, v) : f;
    }

    /** The result of integer arithmetic brought into {@code t}: wraps as a C cast does; bool is v != 0. */
    static long wrap(DataType t, long v) {
        return switch (t) {
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xffL;
            case INT16 -> (short) v;
            case UINT16 -> v & 0xffffL;
            case INT32 -> (int) v;
            case UINT32 -> v & 0xffffffffL;
            case INT64 -> v;
            case UINT64 -> checkUint64(v);
            case BOOL -> v != 0 ? 1 : 0;
            default -> throw new IllegalArgumentException(t + " is not an integer type");
        };
    }

    static long checkUint64(long v) {
        if (v < 0 || v > EXACT_LIMIT) {
            throw new ArrayException("uint64 value " + Long.toUnsignedString(v) + " is outside [0, 2^53],"
                    + " the range rules hold exactly");
        }
        return v;
    }

    /** The smallest value of an integer type (0 for unsigned and bool). */
    static long min(DataType t) {
        return switch (t) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    /** The largest value of an integer type (int64's for uint64: {@link NdArray} then rejects what passes 2^53). */
    static long max(DataType t) {
        return switch (t) {
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 0xff;
            case INT16 -> Short.MAX_VALUE;
            case UINT16 -> 0xffff;
            case INT32 -> Integer.MAX_VALUE;
            case UINT32 -> 0xffffffffL;
            case INT64 -> Long.MAX_VALUE;
            case UINT64 -> Long.MAX_VALUE;
            case BOOL -> 1;
            default -> throw new IllegalArgumentException(t + " is not an integer type");
        };
    }

    /**
     * {@code x} converted to {@code t}, as {@code cast(x, t)} does: to a float type, rounded to
     * nearest even; to an integer type, rounded half to even and saturated to the type's range, as
     * ONNX QuantizeLinear saturates (ONNX Cast would wrap; NaN becomes 0); integer to narrower
     * integer saturates too; to bool, non-zero (NaN included) is true.
     */
    public static NdArray cast(NdArray x, DataType t) {
        requireSupported(t);
        int n = x.size();
        if (isFloat(t)) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                // int64 straight to float32 rounds once; through a double it could round twice.
                out[i] = x.dtype() == DataType.INT64 && t == DataType.FLOAT ? (float) x.getLong(i)
                        : roundToFloat(t, x.getDouble(i));
            }
            return NdArray.trusted(t, x.shapeRef(), out, null);
        }
        long[] out = new long[n];
        boolean fromExact = isExactType(x.dtype());
        for (int i = 0; i < n; i++) {
            if (t == DataType.BOOL) {
                out[i] = x.getDouble(i) != 0 ? 1 : 0; // NaN != 0 too
            } else if (fromExact) {
                out[i] = Math.max(min(t), Math.min(max(t), x.getLong(i)));
            } else {
                double v = x.getDouble(i);
                // (long) saturates at the int64 limits and maps NaN to 0; then clamp to t.
                out[i] = Double.isNaN(v) ? 0 : Math.max(min(t), Math.min(max(t), (long) Math.rint(v)));
            }
        }
        return NdArray.ofLongs(t, x.shapeRef(), out);
    }

    static void requireSupported(DataType t) {
        if (!isSupported(t)) {
            throw new ArrayException("rules cannot compute with " + t + " values");
        }
    }
}
