package org.onnx2trt.tensor.math;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import org.onnx2trt.tensor.DataType;

/**
 * Elementwise arithmetic with numpy broadcasting. Operands are {@link NdArray}s or plain numbers
 * ({@code Long}, {@code Double}); plain numbers are weak and take the tensor's type (see
 * {@link DTypes}). When both operands are plain numbers the result is a plain number too.
 *
 * <p>Meaning of the operators, for tensors and numbers alike:
 * <ul>
 *   <li>{@code / } on two integers truncates toward zero, as ONNX Div does; division by zero is an
 *       error. On floats it is IEEE division ({@code 1/0} is infinity).
 *   <li>{@code %} takes the sign of the divisor, as numpy's {@code %} and ONNX Mod (fmod=0) do.
 *   <li>integer tensors wrap on overflow (numpy, ONNX Runtime); plain integer numbers, which are
 *       exact in the rule language, fail instead.
 *   <li>{@code max}/{@code min} propagate NaN, as numpy's maximum/minimum do.
 *   <li>sqrt, log, ... of a value outside their domain give NaN (or ±infinity), as numpy does.
 * </ul>
 */
public final class ArrayMath {
    private ArrayMath() {}

    /** {@code a op b} for {@code op} one of {@code + - * / % max min}. */
    public static Object binary(String op, Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            return numbers(op, a, b);
        }
        DataType t = resultType(a, b);
        boolean arithmetic = !op.equals("max") && !op.equals("min");
        if (arithmetic && t == DataType.BOOL) {
            throw new ArrayException("`" + op + "` on bool tensors; cast them to a number type first");
        }
        long[] shape = Shapes.broadcast(shapeOf(a), shapeOf(b));
        Operand x = new Operand(a, shape);
        Operand y = new Operand(b, shape);
        int n = NdArray.elementCount(shape);
        if (DTypes.isExactType(t)) {
            LongBinaryOperator f = longOp(op);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = DTypes.wrap(t, f.applyAsLong(x.l(i), y.l(i)));
            }
            return NdArray.ofLongs(t, shape, out);
        }
        if (t == DataType.FLOAT || t == DataType.DOUBLE) {
            double[] fast = floatArithmetic(op, x, y, n, t == DataType.FLOAT);
            if (fast != null) {
                return NdArray.trusted(t, shape, fast, null);
            }
        }
        DoubleBinaryOperator f = doubleOp(op);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = DTypes.roundToFloat(t, f.applyAsDouble(x.d(i), y.d(i)));
        }
        return NdArray.trusted(t, shape, out, null);
    }

    /**
     * {@code + - * /} on float32 or float64 operands as plain loops over the arrays, the same values
     * as the general path; null for other ops. Weight folding runs these over every weight, often
     * once per process, before the JIT has compiled the general path.
     */
    private static double[] floatArithmetic(String op, Operand x, Operand y, int n, boolean toFloat32) {
        int kind = switch (op) {
            case "+" -> 0;
            case "-" -> 1;
            case "*" -> 2;
            case "/" -> 3;
            default -> -1;
        };
        if (kind < 0) {
            return null;
        }
        double[] a = x.expanded(n);
        double[] b = y.expanded(n);
        double[] out = new double[n];
        switch (kind) { // one plain loop each, which the JIT vectorizes
            case 0 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] + b[i];
                }
            }
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] - b[i];
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] * b[i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] / b[i];
                }
            }
        }
        if (toFloat32) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) out[i];
            }
        }
        return out;
    }

    /**
     * {@code a op b} for {@code op} one of {@code == != < <= > >=}, elementwise: a bool tensor, or a
     * Boolean when both are plain numbers. Integers compare exactly; NaN equals nothing.
     */
    public static Object compare(String op, Object a, Object b) {
        long[] shape = Shapes.broadcast(shapeOf(a), shapeOf(b));
        Operand x = new Operand(a, shape);
        Operand y = new Operand(b, shape);
        DataType type = resultType(a, b);
        boolean exact = DTypes.isExactType(type);
        int n = NdArray.elementCount(shape);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            // In the operands' common type: a plain number meets a float32 tensor as a float32, so that
            // allEqual(r, 1.4142135) holds for the float32 √2 (the literal rounds as the tensor did).
            int c = exact ? Long.compare(x.l(i), y.l(i))
                    : compareDoubles(DTypes.roundToFloat(type, x.d(i)), DTypes.roundToFloat(type, y.d(i)));
            out[i] = holds(op, c) ? 1 : 0;
        }
        if (isNumber(a) && isNumber(b)) {
            return out[0] == 1;
        }
        return NdArray.ofLongs(DataType.BOOL, shape, out);
    }

    /** -2 for "unordered" (a NaN is involved): only != holds. */
    private static int compareDoubles(double a, double b) {
        return a < b ? -1 : a > b ? 1 : a == b ? 0 : -2;
    }

    private static boolean holds(String op, int c) {
        if (c == -2) {
            return op.equals("!=");
        }
        return switch (op) {
            case "==" -> c == 0;
            case "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> throw new IllegalArgumentException(op);
        };
    }

    /**
     * {@code fn(x)} for {@code neg}, {@code abs} (the type stays) and {@code sqrt}, {@code reciprocal},
     * {@code exp}, {@code log}, {@code logit} (a float type stays; integers and bool give float32; a
     * plain number gives a Double).
     */
    public static Object unary(String fn, Object x) {
        if (x instanceof Long v && (fn.equals("neg") || fn.equals("abs"))) {
            if (v == Long.MIN_VALUE) {
                throw new ArrayException("integer overflow in `" + (fn.equals("neg") ? "-" : fn) + "`");
            }
            return fn.equals("neg") ? -v : Math.abs(v);
        }
        if (x instanceof Long || x instanceof Double) {
            return floatFunction(fn).applyAsDouble(((Number) x).doubleValue());
        }
        NdArray a = (NdArray) x;
        DataType t = a.dtype();
        int n = a.size();
        if (fn.equals("neg") || fn.equals("abs")) {
            if (t == DataType.BOOL) {
                String op = fn.equals("neg") ? "-" : fn;
                throw new ArrayException("`" + op + "` of a bool tensor; cast it to a number type first");
            }
            if (DTypes.isExactType(t)) {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    long v = a.getLong(i);
                    out[i] = DTypes.wrap(t, fn.equals("neg") ? -v : Math.abs(v));
                }
                return NdArray.ofLongs(t, a.shapeRef(), out);
            }
        }
        DataType rt = DTypes.isFloat(t) ? t : DataType.FLOAT;
        DoubleUnaryOperator f = floatFunction(fn);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = DTypes.roundToFloat(rt, f.applyAsDouble(a.getDouble(i)));
        }
        return NdArray.trusted(rt, a.shapeRef(), out, null);
    }

    private static DoubleUnaryOperator floatFunction(String fn) {
        return switch (fn) {
            case "neg" -> v -> -v;
            case "abs" -> Math::abs;
            case "sqrt" -> Math::sqrt;
            case "reciprocal" -> v -> 1 / v;
            case "exp" -> Math::exp;
            case "log" -> Math::log;
            case "logit" -> v -> Math.log(v / (1 - v));
            default -> throw new IllegalArgumentException(fn);
        };
    }

    /**
     * Elementwise choice: {@code a} where {@code cond} is true (non-zero), else {@code b}. {@code cond}
     * is a Boolean or a tensor; the three broadcast together.
     */
    public static Object where(Object cond, Object a, Object b) {
        if (cond instanceof Boolean c && isNumber(a) && isNumber(b)) {
            return c ? a : b;
        }
        Object c = cond instanceof Boolean v ? NdArray.scalar(DataType.BOOL, v ? 1 : 0) : cond;
        DataType t = isNumber(a) && isNumber(b)
                ? (a instanceof Double || b instanceof Double ? DataType.FLOAT : DataType.INT64)
                : resultType(a, b);
        long[] shape = Shapes.broadcast(shapeOf(c), Shapes.broadcast(shapeOf(a), shapeOf(b)));
        Operand p = new Operand(c, shape);
        Operand x = new Operand(a, shape);
        Operand y = new Operand(b, shape);
        int n = NdArray.elementCount(shape);
        if (DTypes.isExactType(t)) {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = DTypes.wrap(t, p.d(i) != 0 ? x.l(i) : y.l(i));
            }
            return NdArray.ofLongs(t, shape, out);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = DTypes.roundToFloat(t, p.d(i) != 0 ? x.d(i) : y.d(i));
        }
        return NdArray.trusted(t, shape, out, null);
    }

    /** The result type of an operation on two operands, plain numbers being weak. */
    static DataType resultType(Object a, Object b) {
        if (a instanceof NdArray x && b instanceof NdArray y) {
            return DTypes.promote(x.dtype(), y.dtype());
        }
        if (a instanceof NdArray x) {
            return DTypes.withNumber(x.dtype(), b instanceof Double);
        }
        if (b instanceof NdArray y) {
            return DTypes.withNumber(y.dtype(), a instanceof Double);
        }
        return a instanceof Double || b instanceof Double ? DataType.DOUBLE : DataType.INT64;
    }

    private static boolean isNumber(Object o) {
        return o instanceof Long || o instanceof Double;
    }

    private static long[] shapeOf(Object o) {
        return o instanceof NdArray a ? a.shapeRef() : Shapes.SCALAR;
    }

    /** Two plain numbers: exact for two integers (overflow fails), double otherwise. */
    private static Object numbers(String op, Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            try {
                return switch (op) {
                    case "+" -> Math.addExact(x, y);
                    case "-" -> Math.subtractExact(x, y);
                    case "*" -> Math.multiplyExact(x, y);
                    case "/" -> x == Long.MIN_VALUE && y == -1 ? Math.negateExact(x) : longOp(op).applyAsLong(x, y);
                    default -> longOp(op).applyAsLong(x, y);
                };
            } catch (ArithmeticException e) {
                throw new ArrayException("integer overflow in `" + op + "`");
            }
        }
        return doubleOp(op).applyAsDouble(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }

    private static LongBinaryOperator longOp(String op) {
        return switch (op) {
            case "+" -> Long::sum;
            case "-" -> (x, y) -> x - y;
            case "*" -> (x, y) -> x * y;
            case "/" -> (x, y) -> {
                if (y == 0) {
                    throw new ArrayException("integer division by zero");
                }
                return x / y;
            };
            case "%" -> (x, y) -> {
                if (y == 0) {
                    throw new ArrayException("integer modulo by zero");
                }
                return Math.floorMod(x, y);
            };
            case "max" -> Math::max;
            case "min" -> Math::min;
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static DoubleBinaryOperator doubleOp(String op) {
        return switch (op) {
            case "+" -> Double::sum;
            case "-" -> (x, y) -> x - y;
            case "*" -> (x, y) -> x * y;
            case "/" -> (x, y) -> x / y;
            case "%" -> (x, y) -> {
                double r = x % y;
                return r != 0 && (r < 0) != (y < 0) ? r + y : r;
            };
            case "max" -> Math::max;
            case "min" -> Math::min;
            default -> throw new IllegalArgumentException(op);
        };
    }

    /**
     * One operand seen through the broadcast to the result shape. The two broadcasts that weight
     * folding makes all the time need no index map: a per-channel operand (its dims are the
     * result's leading dims, then 1s: each element repeats over a block) and a trailing one (1s,
     * then the result's trailing dims: the whole operand repeats). Any other takes a map.
     */
    private static final class Operand {
        private final NdArray array;
        private final int[] map;     // the general broadcast; null for the forms below
        private final int repeatEach; // element i is element i / repeatEach (1: no broadcast)
        private final int period;     // or element i is element i % period (0: not this form)
        private final double dv;
        private final long lv;

        Operand(Object o, long[] shape) {
            if (o instanceof NdArray a) {
                array = a;
                dv = 0;
                lv = 0;
                long[] from = a.shapeRef();
                int n = NdArray.elementCount(shape);
                if (a.size() == n) { // same elements in the same order: only leading 1s differ, if anything
                    map = null;
                    repeatEach = 1;
                    period = 0;
                } else if (isPerChannel(from, shape)) {
                    map = null;
                    repeatEach = n / Math.max(a.size(), 1);
                    period = 0;
                } else if (isTrailing(from, shape)) {
                    map = null;
                    repeatEach = 1;
                    period = a.size();
                } else {
                    map = Shapes.broadcastMap(from, shape);
                    repeatEach = 1;
                    period = 0;
                }
            } else {
                array = null;
                map = null;
                repeatEach = 1;
                period = 0;
                dv = ((Number) o).doubleValue();
                lv = ((Number) o).longValue();
            }
        }

        /** {@code from}, aligned right on {@code to}: the leading dims of {@code to}, then only 1s. */
        private static boolean isPerChannel(long[] from, long[] to) {
            int off = to.length - from.length;
            int d = 0;
            while (d < to.length && (d < off ? 1 : from[d - off]) == to[d]) {
                d++;
            }
            for (int k = d; k < to.length; k++) {
                if ((k < off ? 1 : from[k - off]) != 1) {
                    return false;
                }
            }
            return true;
        }

        /** {@code from}, aligned right on {@code to}: only 1s, then the trailing dims of {@code to}. */
        private static boolean isTrailing(long[] from, long[] to) {
            int off = to.length - from.length;
            int d = to.length;
            while (d > 0 && (d - 1 < off ? 1 : from[d - 1 - off]) == to[d - 1]) {
                d--;
            }
            for (int k = 0; k < d; k++) {
                if ((k < off ? 1 : from[k - off]) != 1) {
                    return false;
                }
            }
            return true;
        }

        /** The {@code n} broadcast elements as one array (the array itself when no broadcast is needed). */
        double[] expanded(int n) {
            if (array != null && map == null && repeatEach == 1 && period == 0) {
                return array.valuesRef();
            }
            double[] v = new double[n];
            if (array == null) {
                Arrays.fill(v, dv);
            } else if (repeatEach > 1) {
                double[] src = array.valuesRef();
                for (int j = 0; j < src.length; j++) {
                    Arrays.fill(v, j * repeatEach, (j + 1) * repeatEach, src[j]);
                }
            } else if (period > 0) {
                double[] src = array.valuesRef();
                for (int at = 0; at < n; at += period) {
                    System.arraycopy(src, 0, v, at, period);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    v[i] = d(i);
                }
            }
            return v;
        }

        private int index(int i) {
            return map != null ? map[i] : period > 0 ? i % period : i / repeatEach;
        }

        double d(int i) {
            return array == null ? dv : array.getDouble(index(i));
        }

        long l(int i) {
            return array == null ? lv : array.getLong(index(i));
        }
    }
}
