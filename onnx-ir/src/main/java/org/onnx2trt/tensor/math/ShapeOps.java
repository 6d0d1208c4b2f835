package org.onnx2trt.tensor.math;

import java.util.Arrays;
import java.util.List;
import org.onnx2trt.tensor.DataType;

/**
 * Operations that move elements without changing them, with the semantics of the ONNX operators of
 * the same names (Reshape, Unsqueeze, Squeeze, Transpose, Pad, Slice, Concat), plus numpy's
 * {@code broadcast_to} and the rule helper {@link #unsqueezeTo}. Axes may be negative, counting from
 * the end.
 */
public final class ShapeOps {
    private ShapeOps() {}

    /**
     * ONNX Reshape (allowzero = 0): a 0 copies the input dim at that index, one -1 takes what is
     * left. Fails when the element counts differ.
     */
    public static NdArray reshape(NdArray x, long[] shape) {
        long[] in = x.shapeRef();
        long[] out = shape.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                if (i >= in.length) {
                    throw new ArrayException("cannot reshape " + Shapes.str(in) + " to " + Shapes.str(shape)
                            + ": the 0 at index " + i + " has no input dim to copy");
                }
                out[i] = in[i];
            } else if (out[i] == -1) {
                if (inferred >= 0) {
                    throw new ArrayException("cannot reshape to " + Shapes.str(shape) + ": only one dim may be -1");
                }
                inferred = i;
                continue;
            } else if (out[i] < 0) {
                throw new ArrayException("cannot reshape to " + Shapes.str(shape) + ": dim " + out[i] + " is negative");
            }
            known *= out[i];
        }
        int n = x.size();
        if (inferred >= 0) {
            if (known == 0 || n % known != 0) {
                throw new ArrayException(cannotReshape(in, n, shape));
            }
            out[inferred] = n / known;
        }
        if (NdArray.elementCount(out) != n) {
            throw new ArrayException(cannotReshape(in, n, shape));
        }
        return x.withShape(out);
    }

    private static String cannotReshape(long[] in, int n, long[] shape) {
        return "cannot reshape " + Shapes.str(in) + " (" + n + " elements) to " + Shapes.str(shape);
    }

    /** ONNX Unsqueeze: size-1 dims inserted so that they sit at {@code axes} of the result. */
    public static NdArray unsqueeze(NdArray x, long[] axes) {
        int rank = x.rank() + axes.length;
        int[] at = Shapes.axes(axes, rank, "unsqueeze axis");
        boolean[] inserted = new boolean[rank];
        for (int a : at) {
            inserted[a] = true;
        }
        long[] out = new long[rank];
        int j = 0;
        for (int d = 0; d < rank; d++) {
            out[d] = inserted[d] ? 1 : x.shapeRef()[j++];
        }
        return x.withShape(out);
    }

    /** ONNX Squeeze: drops the size-1 dims at {@code axes}, or every size-1 dim when axes is null. */
    public static NdArray squeeze(NdArray x, long[] axes) {
        long[] in = x.shapeRef();
        boolean[] drop = new boolean[in.length];
        if (axes == null) {
            for (int d = 0; d < in.length; d++) {
                drop[d] = in[d] == 1;
            }
        } else {
            for (int a : Shapes.axes(axes, in.length, "squeeze axis")) {
                if (in[a] != 1) {
                    throw new ArrayException("cannot squeeze axis " + a + " of " + Shapes.str(in) + ": its size is " + in[a]);
                }
                drop[a] = true;
            }
        }
        long[] out = new long[in.length];
        int j = 0;
        for (int d = 0; d < in.length; d++) {
            if (!drop[d]) {
                out[j++] = in[d];
            }
        }
        return x.withShape(Arrays.copyOf(out, j));
    }

    /** ONNX Transpose: result dim i is input dim {@code perm[i]}; the dims reversed when perm is null. */
    public static NdArray transpose(NdArray x, long[] perm) {
        int rank = x.rank();
        long[] p = perm;
        if (p == null) {
            p = new long[rank];
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
        }
        if (p.length != rank) {
            throw new ArrayException("perm " + Arrays.toString(perm) + " has " + p.length + " axes; the tensor has rank " + rank);
        }
        int[] axes = Shapes.axes(p, rank, "perm axis");
        long[] inStrides = Shapes.strides(x.shapeRef());
        long[] out = new long[rank];
        long[] strides = new long[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = x.shapeRef()[axes[i]];
            strides[i] = inStrides[axes[i]];
        }
        return x.gather(out, Shapes.walk(out, strides, 0));
    }

    /**
     * ONNX Pad, constant mode: {@code pads} is {@code [x1_begin, x2_begin, ..., x1_end, x2_end, ...]};
     * negative pads crop. {@code value} must be representable in x's dtype.
     */
    public static NdArray pad(NdArray x, long[] pads, NdArray value) {
        long[] in = x.shapeRef();
        int rank = in.length;
        if (pads.length != 2 * rank) {
            throw new ArrayException("pads " + Arrays.toString(pads) + " has " + pads.length + " values; a rank-"
                    + rank + " tensor needs " + 2 * rank);
        }
        long[] out = new long[rank];
        long[] len = new long[rank];
        long srcOffset = 0;
        long dstOffset = 0;
        long[] inStrides = Shapes.strides(in);
        for (int d = 0; d < rank; d++) {
            out[d] = in[d] + pads[d] + pads[d + rank];
            if (out[d] < 0) {
                throw new ArrayException("pads " + Arrays.toString(pads) + " remove more than the " + in[d]
                        + " elements of axis " + d);
            }
        }
        long[] outStrides = Shapes.strides(out);
        for (int d = 0; d < rank; d++) {
            long srcStart = Math.max(0, -pads[d]);
            long dstStart = Math.max(0, pads[d]);
            len[d] = Math.max(0, Math.min(in[d] - srcStart, out[d] - dstStart));
            srcOffset += srcStart * inStrides[d];
            dstOffset += dstStart * outStrides[d];
        }
        int n = NdArray.elementCount(out);
        double[] v = new double[n];
        long[] l = x.dtype() == DataType.INT64 ? new long[n] : null;
        Arrays.fill(v, value.getDouble(0));
        if (l != null) {
            Arrays.fill(l, value.getLong(0));
        }
        int[] src = Shapes.walk(len, inStrides, srcOffset);
        int[] dst = Shapes.walk(len, outStrides, dstOffset);
        for (int i = 0; i < src.length; i++) {
            v[dst[i]] = x.getDouble(src[i]);
            if (l != null) {
                l[dst[i]] = x.getLong(src[i]);
            }
        }
        return NdArray.trusted(x.dtype(), out, v, l);
    }

    /**
     * ONNX Slice: for each of {@code axes} (all, in order, when null) elements from {@code starts}
     * up to but not including {@code ends}, every {@code steps}-th (1 when null; negative walks
     * backwards). Negative starts and ends count from the end; out-of-range ones are clamped.
     */
    public static NdArray slice(NdArray x, long[] starts, long[] ends, long[] axes, long[] steps) {
        long[] in = x.shapeRef();
        int rank = in.length;
        if (starts.length != ends.length) {
            throw new ArrayException("slice has " + starts.length + " starts but " + ends.length + " ends");
        }
        if (axes == null) {
            axes = new long[starts.length];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
        }
        if (steps == null) {
            steps = new long[starts.length];
            Arrays.fill(steps, 1);
        }
        if (axes.length != starts.length || steps.length != starts.length) {
            throw new ArrayException("slice has " + starts.length + " starts, " + axes.length + " axes and "
                    + steps.length + " steps; they must be as many");
        }
        int[] at = Shapes.axes(axes, rank, "slice axis");
        long[] inStrides = Shapes.strides(in);
        long[] out = in.clone();
        long[] strides = inStrides.clone();
        long offset = 0;
        for (int i = 0; i < at.length; i++) {
            int a = at[i];
            long dim = in[a];
            long step = steps[i];
            if (step == 0) {
                throw new ArrayException("slice step on axis " + a + " is 0");
            }
            long start = starts[i] < 0 ? starts[i] + dim : starts[i];
            long end = ends[i] < 0 ? ends[i] + dim : ends[i];
            long count;
            if (dim == 0) {
                count = 0;
            } else if (step > 0) {
                start = clamp(start, 0, dim);
                end = clamp(end, 0, dim);
                count = end > start ? (end - start + step - 1) / step : 0;
            } else {
                start = clamp(start, 0, dim - 1);
                end = clamp(end, -1, dim - 1);
                count = start > end ? (start - end - step - 1) / -step : 0;
            }
            out[a] = count;
            strides[a] = inStrides[a] * step;
            if (count > 0) {
                offset += start * inStrides[a];
            }
        }
        return x.gather(out, Shapes.walk(out, strides, offset));
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /**
     * ONNX Concat along {@code axis}: all dims but that one must agree. Mixed dtypes are promoted
     * (see {@link DTypes#promote}).
     */
    public static NdArray concat(List<NdArray> parts, long axis) {
        if (parts.isEmpty()) {
            throw new ArrayException("concat of nothing");
        }
        NdArray first = parts.get(0);
        int rank = first.rank();
        if (rank == 0) {
            throw new ArrayException("cannot concat 0-d tensors; unsqueeze them first");
        }
        int a = Shapes.axis(axis, rank, "concat axis");
        DataType t = first.dtype();
        long[] out = first.shape();
        out[a] = 0;
        for (NdArray p : parts) {
            long[] s = p.shapeRef();
            boolean fits = s.length == rank;
            for (int d = 0; fits && d < rank; d++) {
                fits = d == a || s[d] == out[d];
            }
            if (!fits) {
                throw new ArrayException("cannot concat " + Shapes.str(first.shapeRef()) + " with " + Shapes.str(s)
                        + " on axis " + a);
            }
            out[a] += s[a];
            t = DTypes.promote(t, p.dtype());
        }
        int n = NdArray.elementCount(out);
        double[] v = new double[n];
        long[] l = t == DataType.INT64 ? new long[n] : null;
        long[] outStrides = Shapes.strides(out);
        long at = 0;
        for (NdArray p : parts) {
            NdArray q = p.dtype() == t ? p : DTypes.cast(p, t);
            int[] dst = Shapes.walk(q.shapeRef(), outStrides, at * outStrides[a]);
            for (int i = 0; i < dst.length; i++) {
                v[dst[i]] = q.getDouble(i);
                if (l != null) {
                    l[dst[i]] = q.getLong(i);
                }
            }
            at += q.shapeRef()[a];
        }
        return NdArray.trusted(t, out, v, l);
    }

    /** numpy {@code broadcast_to}: the result has exactly {@code shape}; x must broadcast to it. */
    public static NdArray broadcastTo(NdArray x, long[] shape) {
        long[] b;
        try {
            b = Shapes.broadcast(x.shapeRef(), shape);
        } catch (ArrayException e) {
            b = null;
        }
        if (!Arrays.equals(b, shape)) {
            throw new ArrayException("cannot broadcast " + Shapes.str(x.shapeRef()) + " to " + Shapes.str(shape));
        }
        int[] map = Shapes.broadcastMap(x.shapeRef(), shape);
        return map == null ? x : x.gather(shape.clone(), map);
    }

    /** ONNX Expand: x broadcast with {@code shape} (numpy's rule, in both directions). */
    public static NdArray expand(NdArray x, long[] shape) {
        return broadcastTo(x, Shapes.broadcast(x.shapeRef(), shape));
    }

    /**
     * ONNX Gather (numpy {@code take} along {@code axis}): the shape is x's before the axis, then the
     * indices', then x's after it; negative indices count from the end.
     */
    public static NdArray take(NdArray x, NdArray indices, long axis) {
        long[] ds = x.shapeRef();
        int a = Shapes.axes(new long[] {axis}, ds.length, "gather axis")[0];
        long[] is = indices.shapeRef();
        long[] out = new long[ds.length - 1 + is.length];
        System.arraycopy(ds, 0, out, 0, a);
        System.arraycopy(is, 0, out, a, is.length);
        System.arraycopy(ds, a + 1, out, a + is.length, ds.length - a - 1);
        long outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= ds[i];
        }
        long inner = 1;
        for (int i = a + 1; i < ds.length; i++) {
            inner *= ds[i];
        }
        long len = ds[a];
        long[] idx = indices.toLongArray();
        int[] map = new int[NdArray.elementCount(out)];
        int at = 0;
        for (long o = 0; o < outer; o++) {
            for (long j : idx) {
                long row = j < 0 ? j + len : j;
                if (row < 0 || row >= len) {
                    throw new ArrayException("gather index " + j + " is out of range for a dim of " + len);
                }
                for (long e = 0; e < inner; e++) {
                    map[at++] = (int) ((o * len + row) * inner + e);
                }
            }
        }
        return x.gather(out, map);
    }

    /**
     * A 1-D tensor of length C placed on {@code axis} of a rank-{@code rank} tensor: the shape is all
     * 1s except C at axis. Scales a Conv weight per output channel: {@code w * unsqueezeTo(s, axis: 0,
     * rank: rank(w))}. A 0-d tensor gives all 1s.
     */
    public static NdArray unsqueezeTo(NdArray x, long axis, long rank) {
        if (x.rank() > 1) {
            throw new ArrayException("`unsqueezeTo` needs a 1-D tensor, got shape " + Shapes.str(x.shapeRef()));
        }
        if (rank < 1 || rank > 64) {
            throw new ArrayException("`unsqueezeTo` rank " + rank + " is not in [1, 64]");
        }
        long[] out = new long[(int) rank];
        Arrays.fill(out, 1);
        out[Shapes.axis(axis, (int) rank, "`unsqueezeTo` axis")] = x.size();
        return x.withShape(out);
    }

    /** A tensor of {@code shape} whose every element is the one element of {@code value}. */
    public static NdArray full(long[] shape, NdArray value) {
        int n = NdArray.elementCount(shape);
        double[] v = new double[n];
        Arrays.fill(v, value.getDouble(0));
        long[] l = null;
        if (value.dtype() == DataType.INT64) {
            l = new long[n];
            Arrays.fill(l, value.getLong(0));
        }
        return NdArray.trusted(value.dtype(), shape.clone(), v, l);
    }

    /** The n×n float32 identity matrix; {@code n} is a one-element list or scalar. */
    public static NdArray eye(long[] n) {
        if (n.length != 1 || n[0] < 0 || n[0] > 1 << 14) {
            throw new ArrayException("eye needs one size from 0 to 16384, got " + Arrays.toString(n));
        }
        int size = (int) n[0];
        double[] v = new double[size * size];
        for (int i = 0; i < size; i++) {
            v[i * size + i] = 1;
        }
        return NdArray.trusted(DataType.FLOAT, new long[] {size, size}, v, null);
    }
}
