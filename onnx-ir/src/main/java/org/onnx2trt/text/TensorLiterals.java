package org.onnx2trt.text;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;

/**
 * The data side of the graph text: dtype names, tensors made from {@code {...}}, {@code random},
 * {@code random(lo, hi)}, {@code zeros} and {@code ones}, and the text of element values.
 *
 * <p>{@code random} draws standard normal values for float types, whole numbers uniform in [-8, 8)
 * for signed integer types ([0, 8) for unsigned ones), and a fair coin for bool; {@code random(lo, hi)}
 * draws uniformly from [lo, hi) (whole numbers for integer types). Each tensor has its own generator,
 * seeded from the parse seed and the tensor's name, so that editing one initializer does not change
 * the others, and a printed text parsed with the same seed gives back the same data.
 */
final class TensorLiterals {
    /** The most elements a text may ask to be generated: 64 MiB of float32. */
    static final long MAX_ELEMENTS = 1L << 24;

    private static final Map<String, DataType> BY_NAME = new LinkedHashMap<>();

    static {
        for (DataType t : DataType.values()) {
            if (t != DataType.UNDEFINED) {
                BY_NAME.put(name(t), t);
            }
        }
        BY_NAME.put("float32", DataType.FLOAT); // the numpy names are accepted, never printed
        BY_NAME.put("float64", DataType.DOUBLE);
    }

    private TensorLiterals() {}

    /** The text name of a dtype: ONNX's ({@code float}, {@code double}), else our display name. */
    static String name(DataType t) {
        return switch (t) {
            case FLOAT -> "float";
            case DOUBLE -> "double";
            default -> t.displayName();
        };
    }

    /** The text name of a dtype code, or null for a code no dtype has. */
    static String nameOf(int code) {
        return DataType.fromCode(code).filter(t -> t != DataType.UNDEFINED).map(TensorLiterals::name).orElse(null);
    }

    /** The dtype of a text name, or null. */
    static DataType byName(String name) {
        return BY_NAME.get(name);
    }

    /** The dtype names, for messages. */
    static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }

    static boolean isFloat(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE || t == DataType.FLOAT16 || t == DataType.BFLOAT16;
    }

    private static boolean isUnsigned(DataType t) {
        return t == DataType.UINT8 || t == DataType.UINT16 || t == DataType.UINT32 || t == DataType.UINT64;
    }

    /** Why the text cannot make data of this dtype, or null when it can. */
    static String unsupported(DataType t, boolean needsValues) {
        if (t == DataType.STRING) {
            return "string tensors cannot be written in graph text";
        }
        if (needsValues && !TensorView.supports(t)) {
            return "`" + name(t) + "` values cannot be written in graph text; use `zeros` or `random`";
        }
        return null;
    }

    // ---- making tensors ------------------------------------------------------------------

    static Tensor zeros(String name, DataType type, long[] dims) {
        return Tensor.zeros(name, type, dims);
    }

    static Tensor ones(String name, DataType type, long[] dims) {
        Tensor t = Tensor.zeros(name, type, dims);
        TensorView v = t.mutableView();
        for (int i = 0; i < v.size(); i++) {
            v.setLong(i, 1);
        }
        return t;
    }

    static Tensor normal(String name, DataType type, long[] dims, Random random) {
        if (!TensorView.supports(type)) {
            return randomBytes(name, type, dims, random);
        }
        Tensor t = Tensor.zeros(name, type, dims);
        TensorView v = t.mutableView();
        for (int i = 0; i < v.size(); i++) {
            if (isFloat(type)) {
                v.setDouble(i, random.nextGaussian());
            } else if (type == DataType.BOOL) {
                v.setBoolean(i, random.nextBoolean());
            } else {
                v.setLong(i, isUnsigned(type) ? random.nextInt(8) : random.nextInt(16) - 8);
            }
        }
        return t;
    }

    /** Values uniform in [lo, hi); the caller has checked that lo < hi, and that both are whole for integers. */
    static Tensor uniform(String name, DataType type, long[] dims, double lo, double hi, Random random) {
        Tensor t = Tensor.zeros(name, type, dims);
        TensorView v = t.mutableView();
        for (int i = 0; i < v.size(); i++) {
            if (isFloat(type)) {
                v.setDouble(i, lo + (hi - lo) * random.nextDouble());
            } else {
                v.setLong(i, (long) lo + (long) Math.floor(random.nextDouble() * (hi - lo)));
            }
        }
        return t;
    }

    private static Tensor randomBytes(String name, DataType type, long[] dims, Random random) {
        byte[] bytes = new byte[Math.toIntExact(type.byteSize(Tensor.elementCount(dims)))];
        random.nextBytes(bytes);
        return Tensor.of(name, type, dims, ByteBuffer.wrap(bytes));
    }

    /** The generator of one tensor: from the parse seed and the tensor's name. */
    static Random generator(long seed, String name) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the name, then a 64-bit finalizer mixing in the seed
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001b3L;
        }
        long z = h ^ (seed * 0x9e3779b97f4a7c15L);
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return new Random(z ^ (z >>> 33));
    }

    /**
     * Writes the literal {@code text} (an INT or FLOAT token with an optional minus, {@code inf},
     * {@code nan}, {@code true} or {@code false}) as element {@code i}; returns why it does not fit
     * the dtype, or null when written.
     */
    static String set(TensorView view, int i, String text) {
        DataType type = view.type();
        boolean special = text.endsWith("inf") || text.endsWith("nan");
        if (type == DataType.BOOL) {
            switch (text) {
                case "true", "1" -> view.setBoolean(i, true);
                case "false", "0" -> view.setBoolean(i, false);
                default -> {
                    return "`" + text + "` is not a bool; write `true` or `false`";
                }
            }
            return null;
        }
        if (text.equals("true") || text.equals("false")) {
            return "`" + text + "` is a bool, but the tensor is " + name(type);
        }
        if (isFloat(type)) {
            if (special) {
                double d = text.endsWith("nan") ? Double.NaN : text.startsWith("-") ? Double.NEGATIVE_INFINITY
                        : Double.POSITIVE_INFINITY;
                view.setDouble(i, d);
                return null;
            }
            if (type == DataType.DOUBLE) {
                double d = Double.parseDouble(text);
                if (Double.isInfinite(d)) {
                    return "`" + text + "` is out of the range of double";
                }
                view.setDouble(i, d);
            } else {
                float f = Float.parseFloat(text); // not via double: that would round twice
                if (Float.isInfinite(f)) {
                    return "`" + text + "` is out of the range of float";
                }
                view.setFloat(i, f);
                if (Float.isInfinite(view.getFloat(i))) {
                    return "`" + text + "` is out of the range of " + name(type);
                }
            }
            return null;
        }
        if (special || text.contains(".") || text.contains("e") || text.contains("E")) {
            return "`" + text + "` is not a whole number, as " + name(type) + " needs";
        }
        BigInteger n = new BigInteger(text);
        BigInteger[] range = range(type);
        if (n.compareTo(range[0]) < 0 || n.compareTo(range[1]) > 0) {
            return "`" + text + "` is out of the range of " + name(type) + " [" + range[0] + ", " + range[1] + "]";
        }
        view.setLong(i, n.longValue());
        return null;
    }

    /** The smallest and largest value of an integer dtype. */
    static BigInteger[] range(DataType type) {
        int bits = type.bits();
        if (isUnsigned(type)) {
            return new BigInteger[] {BigInteger.ZERO, BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)};
        }
        return new BigInteger[] {BigInteger.ONE.shiftLeft(bits - 1).negate(),
            BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)};
    }

    // ---- printing ------------------------------------------------------------------------

    /** Element {@code i} as the text reads it back exactly. */
    static String element(TensorView v, int i) {
        return switch (v.type()) {
            case FLOAT, FLOAT16, BFLOAT16 -> formatFloat(v.getFloat(i));
            case DOUBLE -> formatDouble(v.getDouble(i));
            case BOOL -> v.getBoolean(i) ? "true" : "false";
            case UINT64 -> Long.toUnsignedString(v.getLong(i));
            default -> Long.toString(v.getLong(i));
        };
    }

    /** A float that reads back to the same bits (NaN payloads aside); always with a `.` or exponent. */
    static String formatFloat(float f) {
        if (Float.isNaN(f)) {
            return "nan";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "inf" : "-inf";
        }
        return Float.toString(f).replace('E', 'e');
    }

    static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return Double.toString(d).replace('E', 'e');
    }

    /**
     * The data of {@code t} as text: {@code {1.0, 2.0}} for up to {@code limit} elements of a
     * dtype with values, else {@code zeros} or {@code ones} when it is all of them, else null.
     */
    static String dataText(Tensor t, int limit) {
        boolean viewable = TensorView.supports(t.dataType());
        if (viewable && t.elementCount() <= limit) {
            TensorView v = t.view();
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < v.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(element(v, i));
            }
            return sb.append('}').toString();
        }
        ByteBuffer bytes = t.bytes();
        boolean allZero = true;
        for (int i = bytes.position(); i < bytes.limit() && allZero; i++) {
            allZero = bytes.get(i) == 0;
        }
        if (allZero) {
            return "zeros";
        }
        if (viewable) {
            TensorView v = t.view();
            boolean allOne = true;
            for (int i = 0; i < v.size() && allOne; i++) {
                allOne = v.getDouble(i) == 1;
            }
            if (allOne) {
                return "ones";
            }
        }
        return null;
    }

    /** The first 16 hex digits of the SHA-256 of the element bytes. */
    static String hash(Tensor t) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(t.bytes());
            byte[] digest = sha.digest();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                sb.append(String.format("%02x", digest[i]));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
