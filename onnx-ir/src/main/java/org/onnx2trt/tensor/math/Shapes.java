package org.onnx2trt.tensor.math;

import java.util.Arrays;

/** Shape arithmetic shared by the array operations: broadcasting, strides, axes. */
public final class Shapes {
    public static final long[] SCALAR = new long[0];

    private Shapes() {}

    /** The numpy broadcast of two shapes: aligned from the right, each dim equal or 1. */
    public static long[] broadcast(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 1; i <= rank; i++) {
            long da = i <= a.length ? a[a.length - i] : 1;
            long db = i <= b.length ? b[b.length - i] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new ArrayException("cannot broadcast " + Arrays.toString(a) + " with " + Arrays.toString(b));
            }
            out[rank - i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Row-major strides of a shape. */
    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = stride;
            stride *= shape[d];
        }
        return s;
    }

    /**
     * For every position of {@code shape} in row-major order, {@code offset + Σ index[d] * strides[d]}.
     * With the right strides this is broadcasting (stride 0), transposing (permuted strides),
     * slicing (scaled strides and an offset) and reducing (the output's strides, 0 on reduced axes).
     */
    static int[] walk(long[] shape, long[] strides, long offset) {
        int n = NdArray.elementCount(shape);
        int rank = shape.length;
        int[] out = new int[n];
        long[] index = new long[rank];
        long at = offset;
        for (int i = 0; i < n; i++) {
            out[i] = (int) at;
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                at += strides[d];
                if (index[d] < shape[d]) {
                    break;
                }
                at -= strides[d] * index[d];
                index[d] = 0;
            }
        }
        return out;
    }

    /** For each element of {@code to}, the index of the element of {@code from} broadcast onto it; null when equal. */
    static int[] broadcastMap(long[] from, long[] to) {
        if (Arrays.equals(from, to)) {
            return null;
        }
        long[] fromStrides = strides(from);
        long[] s = new long[to.length];
        int off = to.length - from.length;
        for (int d = 0; d < from.length; d++) {
            s[d + off] = from[d] == 1 ? 0 : fromStrides[d];
        }
        return walk(to, s, 0);
    }

    /** An axis in [-rank, rank) as a non-negative one. */
    public static int axis(long axis, int rank, String what) {
        if (axis < -rank || axis >= rank) {
            throw new ArrayException(what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Distinct axes in [-rank, rank), made non-negative, in the order given. */
    static int[] axes(long[] axes, int rank, String what) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(axes[i], rank, what);
            if (seen[out[i]]) {
                throw new ArrayException(what + " " + axes[i] + " is given twice in " + Arrays.toString(axes));
            }
            seen[out[i]] = true;
        }
        return out;
    }

    public static String str(long[] shape) {
        return Arrays.toString(shape);
    }
}
