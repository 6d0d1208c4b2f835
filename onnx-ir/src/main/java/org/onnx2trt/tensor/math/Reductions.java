package org.onnx2trt.tensor.math;

import java.util.Arrays;
import org.onnx2trt.tensor.DataType;

/**
 * ReduceMax/Min/Sum/Mean over axes. No axes (null or empty) reduces every axis; negative axes
 * count from the end; {@code keepdims} keeps reduced axes as size 1. In rules {@code keepdims} is
 * false unless given, as in numpy (ONNX's default is true): {@code reduceMax(abs(w2d), axes: [1])}
 * is the per-channel vector a QuantizeLinear scale needs.
 *
 * <p>Sums accumulate in float64 (or exactly in int64, wrapping to the dtype) and round once into the
 * dtype. Mean keeps a float dtype and gives float32 for integers and bool. Max and min keep the dtype
 * and propagate NaN. The sum of nothing is 0, the mean of nothing NaN; max or min of nothing fails.
 */
public final class Reductions {
    private Reductions() {}

    /** {@code kind} is one of {@code reduceMax}, {@code reduceMin}, {@code reduceSum}, {@code reduceMean}. */
    public static NdArray reduce(String kind, NdArray x, long[] axes, boolean keepdims) {
        long[] in = x.shapeRef();
        int rank = in.length;
        boolean[] reduced = new boolean[rank];
        if (axes == null || axes.length == 0) {
            Arrays.fill(reduced, true);
        } else {
            for (int a : Shapes.axes(axes, rank, "`" + kind + "` axis")) {
                reduced[a] = true;
            }
        }
        long[] kept = new long[rank]; // the result's shape with reduced axes as 1
        long count = 1;
        for (int d = 0; d < rank; d++) {
            kept[d] = reduced[d] ? 1 : in[d];
            count *= reduced[d] ? in[d] : 1;
        }
        long[] out = kept;
        if (!keepdims) {
            out = new long[rank];
            int j = 0;
            for (int d = 0; d < rank; d++) {
                if (!reduced[d]) {
                    out[j++] = in[d];
                }
            }
            out = Arrays.copyOf(out, j);
        }
        if (count == 0 && (kind.equals("reduceMax") || kind.equals("reduceMin"))) {
            throw new ArrayException("`" + kind + "` of an empty tensor " + Shapes.str(in));
        }
        // target[i]: where input element i lands in the result (the result's strides, 0 on reduced axes)
        long[] keptStrides = Shapes.strides(kept);
        long[] strides = new long[rank];
        for (int d = 0; d < rank; d++) {
            strides[d] = reduced[d] ? 0 : keptStrides[d];
        }
        int[] target = Shapes.walk(in, strides, 0);
        int n = NdArray.elementCount(out);
        DataType t = x.dtype();
        boolean exact = DTypes.isExactType(t);
        boolean max = kind.equals("reduceMax");
        switch (kind) {
            case "reduceMax", "reduceMin" -> {
                boolean[] seen = new boolean[n];
                if (exact) {
                    long[] acc = new long[n];
                    for (int i = 0; i < target.length; i++) {
                        long v = x.getLong(i);
                        int o = target[i];
                        acc[o] = !seen[o] ? v : max ? Math.max(acc[o], v) : Math.min(acc[o], v);
                        seen[o] = true;
                    }
                    return NdArray.ofLongs(t, out, acc);
                }
                double[] acc = new double[n];
                for (int i = 0; i < target.length; i++) {
                    double v = x.getDouble(i);
                    int o = target[i];
                    acc[o] = !seen[o] ? v : max ? Math.max(acc[o], v) : Math.min(acc[o], v);
                    seen[o] = true;
                }
                return NdArray.trusted(t, out, acc, null);
            }
            case "reduceSum" -> {
                if (t == DataType.BOOL) {
                    throw new ArrayException("`reduceSum` of a bool tensor; cast it to a number type first");
                }
                if (exact) {
                    long[] acc = new long[n];
                    for (int i = 0; i < target.length; i++) {
                        acc[target[i]] += x.getLong(i);
                    }
                    for (int o = 0; o < n; o++) {
                        acc[o] = DTypes.wrap(t, acc[o]);
                    }
                    return NdArray.ofLongs(t, out, acc);
                }
                double[] acc = sums(x, target, n);
                for (int o = 0; o < n; o++) {
                    acc[o] = DTypes.roundToFloat(t, acc[o]);
                }
                return NdArray.trusted(t, out, acc, null);
            }
            case "reduceMean" -> {
                DataType rt = DTypes.isFloat(t) ? t : DataType.FLOAT;
                double[] acc = sums(x, target, n);
                for (int o = 0; o < n; o++) {
                    acc[o] = DTypes.roundToFloat(rt, acc[o] / count);
                }
                return NdArray.trusted(rt, out, acc, null);
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    private static double[] sums(NdArray x, int[] target, int n) {
        double[] acc = new double[n];
        for (int i = 0; i < target.length; i++) {
            acc[target[i]] += x.getDouble(i);
        }
        return acc;
    }
}
