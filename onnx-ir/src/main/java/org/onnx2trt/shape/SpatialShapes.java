package org.onnx2trt.shape;

import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.ir.Types.Dim;
import org.onnx2trt.tensor.DataType;

/** Inference for ops over the spatial dims of an [N, C, D1, ...] tensor: conv, pooling, resizing. */
final class SpatialShapes {
    private SpatialShapes() {}

    static List<TensorFacts> infer(NodeFacts n) {
        switch (n.op()) {
            case "Conv":
                return OpShapes.one(conv(n, false));
            case "ConvTranspose":
                return OpShapes.one(conv(n, true));
            case "MaxPool":
                TensorFacts pooled = pool(n);
                return List.of(pooled, TensorFacts.of(DataType.INT64, pooled.shape()));
            case "AveragePool", "LpPool":
                return OpShapes.one(pool(n));
            case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool":
                return OpShapes.one(global(n));
            case "Resize", "Upsample":
                return OpShapes.one(resize(n));
            case "DepthToSpace", "SpaceToDepth":
                return OpShapes.one(depthSpace(n));
            case "RoiAlign":
                return OpShapes.one(roiAlign(n));
            default:
                return null;
        }
    }

    private static TensorFacts conv(NodeFacts n, boolean transposed) {
        TensorFacts x = n.in(0);
        List<Dim> w = n.shape(1);
        int spatial = x.hasRank() ? x.rank() - 2 : w != null ? w.size() - 2 : -1;
        if (spatial < 0) {
            return TensorFacts.of(x.dtype(), null);
        }
        OpShapes.check(!x.hasRank() || x.rank() >= 3, n.op() + " input has rank " + x.rank());
        long group = n.intAttr("group", 1);
        List<Dim> out = new ArrayList<>();
        out.add(x.hasRank() ? x.dim(0) : Dim.UNKNOWN);
        if (w == null) {
            out.add(Dim.UNKNOWN);
        } else if (transposed) {
            out.add(DimMath.times(w.get(1), Dim.of(group)));
        } else {
            out.add(w.get(0));
        }
        long[] kernel = n.intsAttr("kernel_shape");
        long[] strides = orOnes(n.intsAttr("strides"), spatial);
        long[] dilations = orOnes(n.intsAttr("dilations"), spatial);
        long[] pads = orZeros(n.intsAttr("pads"), 2 * spatial);
        String autoPad = n.stringAttr("auto_pad", "NOTSET");
        long[] outputShape = transposed ? n.intsAttr("output_shape") : null;
        long[] outputPadding = transposed ? orZeros(n.intsAttr("output_padding"), spatial) : null;
        for (int i = 0; i < spatial; i++) {
            Dim in = x.hasRank() ? x.dim(i + 2) : Dim.UNKNOWN;
            Dim k = kernel != null ? Dim.of(kernel[i]) : w != null ? w.get(i + 2) : Dim.UNKNOWN;
            if (transposed && outputShape != null) {
                out.add(Dim.of(outputShape[outputShape.length - spatial + i]));
            } else if (!in.isKnown() || !k.isKnown()) {
                boolean same = !transposed && k.isKnown() && strides[i] == 1 && (autoPad.startsWith("SAME")
                        || !autoPad.equals("VALID") && pads[i] + pads[i + spatial] == (k.value() - 1) * dilations[i]);
                out.add(same ? in : Dim.UNKNOWN); // a stride-1 window padded to keep the size keeps the symbol
            } else if (transposed) {
                long size = strides[i] * (in.value() - 1) + outputPadding[i] + (k.value() - 1) * dilations[i] + 1;
                out.add(Dim.of(autoPad.startsWith("SAME") ? in.value() * strides[i] : size - pads[i] - pads[i + spatial]));
            } else {
                out.add(Dim.of(slidingWindow(in.value(), k.value(), strides[i], dilations[i], pads[i], pads[i + spatial],
                        autoPad, false)));
            }
        }
        return TensorFacts.of(x.dtype(), out);
    }

    private static TensorFacts pool(NodeFacts n) {
        TensorFacts x = n.in(0);
        if (!x.hasRank()) {
            return TensorFacts.of(x.dtype(), null);
        }
        int spatial = x.rank() - 2;
        long[] kernel = n.intsAttr("kernel_shape");
        OpShapes.check(kernel != null && kernel.length == spatial, n.op() + " needs kernel_shape of " + spatial + " dims");
        long[] strides = orOnes(n.intsAttr("strides"), spatial);
        long[] dilations = orOnes(n.intsAttr("dilations"), spatial);
        long[] pads = orZeros(n.intsAttr("pads"), 2 * spatial);
        String autoPad = n.stringAttr("auto_pad", "NOTSET");
        boolean ceil = n.intAttr("ceil_mode", 0) == 1;
        List<Dim> out = new ArrayList<>(x.shape().subList(0, 2));
        for (int i = 0; i < spatial; i++) {
            Dim in = x.dim(i + 2);
            boolean same = strides[i] == 1 && (autoPad.startsWith("SAME")
                    || !autoPad.equals("VALID") && pads[i] + pads[i + spatial] == (kernel[i] - 1) * dilations[i]);
            out.add(!in.isKnown() ? (same ? in : Dim.UNKNOWN) : Dim.of(slidingWindow(in.value(), kernel[i], strides[i], dilations[i],
                    pads[i], pads[i + spatial], autoPad, ceil)));
        }
        return TensorFacts.of(x.dtype(), out);
    }

    /** The output length of a window sliding over {@code in} elements. */
    static long slidingWindow(long in, long kernel, long stride, long dilation, long padBegin, long padEnd,
                              String autoPad, boolean ceil) {
        long extent = (kernel - 1) * dilation + 1;
        switch (autoPad) {
            case "SAME_UPPER", "SAME_LOWER":
                return Math.floorDiv(in + stride - 1, stride);
            case "VALID":
                return Math.floorDiv(in - extent, stride) + 1;
            default:
                long span = in + padBegin + padEnd - extent;
                long windows = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
                if (ceil && (windows - 1) * stride >= in + padBegin) {
                    windows--; // the last window would start inside the end padding
                }
                return windows;
        }
    }

    private static TensorFacts global(NodeFacts n) {
        TensorFacts x = n.in(0);
        if (!x.hasRank()) {
            return TensorFacts.of(x.dtype(), null);
        }
        List<Dim> out = new ArrayList<>(x.shape().subList(0, Math.min(2, x.rank())));
        while (out.size() < x.rank()) {
            out.add(Dim.of(1));
        }
        return TensorFacts.of(x.dtype(), out);
    }

    /** Resize (opset 10+: scales or sizes as inputs) and Upsample (scales as input or attribute). */
    private static TensorFacts resize(NodeFacts n) {
        TensorFacts x = n.in(0);
        if (!x.hasRank()) {
            return TensorFacts.of(x.dtype(), null);
        }
        int rank = x.rank();
        boolean upsample = n.op().equals("Upsample");
        int scalesInput = upsample ? 1 : n.opset() >= 11 ? 2 : 1;
        long[] sizes = !upsample && n.opset() >= 11 ? n.ints(3) : null;
        if (sizes != null && sizes.length > 0) {
            if (!n.stringAttr("keep_aspect_ratio_policy", "stretch").equals("stretch")) {
                return TensorFacts.of(x.dtype(), OpShapes.unknownDims(rank)); // sizes are bounds, not the output
            }
            long[] axes = n.intsAttr("axes");
            List<Dim> out = new ArrayList<>(x.shape());
            for (int i = 0; i < sizes.length; i++) {
                out.set(axes == null ? i : DimMath.axis(axes[i], rank, "Resize axis"), Dim.of(sizes[i]));
            }
            return TensorFacts.of(x.dtype(), out);
        }
        double[] scales = n.doubles(scalesInput);
        if (scales == null && upsample && n.attr("scales") != null) {
            scales = n.attr("scales").asFloats().stream().mapToDouble(Float::doubleValue).toArray();
        }
        if (scales == null || scales.length == 0) {
            return TensorFacts.of(x.dtype(), OpShapes.unknownDims(rank));
        }
        long[] axes = n.intsAttr("axes");
        List<Dim> out = new ArrayList<>(x.shape());
        for (int i = 0; i < scales.length; i++) {
            int axis = axes == null ? i : DimMath.axis(axes[i], rank, "Resize axis");
            Dim d = x.dim(axis);
            // onnxruntime multiplies in float and truncates: (int64)(float scale * dim)
            out.set(axis, scales[i] == 1.0 ? d : d.isKnown() ? Dim.of((long) ((float) scales[i] * (float) d.value())) : Dim.UNKNOWN);
        }
        return TensorFacts.of(x.dtype(), out);
    }

    private static TensorFacts depthSpace(NodeFacts n) {
        TensorFacts x = n.in(0);
        if (!x.hasRank()) {
            return TensorFacts.of(x.dtype(), null);
        }
        OpShapes.check(x.rank() == 4, n.op() + " needs a 4-D input");
        long b = n.intAttr("blocksize", 1);
        boolean toSpace = n.op().equals("DepthToSpace");
        Dim c = x.dim(1);
        Dim h = x.dim(2);
        Dim w = x.dim(3);
        if (toSpace) {
            return TensorFacts.of(x.dtype(), List.of(x.dim(0), c.isKnown() ? Dim.of(c.value() / (b * b)) : Dim.UNKNOWN,
                    DimMath.times(h, Dim.of(b)), DimMath.times(w, Dim.of(b))));
        }
        return TensorFacts.of(x.dtype(), List.of(x.dim(0), DimMath.times(c, Dim.of(b * b)),
                h.isKnown() ? Dim.of(h.value() / b) : Dim.UNKNOWN, w.isKnown() ? Dim.of(w.value() / b) : Dim.UNKNOWN));
    }

    private static TensorFacts roiAlign(NodeFacts n) {
        List<Dim> x = n.shape(0);
        List<Dim> rois = n.shape(1);
        return TensorFacts.of(n.dtype(0), List.of(rois == null ? Dim.UNKNOWN : rois.get(0),
                x == null ? Dim.UNKNOWN : x.get(1), Dim.of(n.intAttr("output_height", 1)),
                Dim.of(n.intAttr("output_width", 1))));
    }

    static long[] orOnes(long[] v, int n) {
        if (v != null) {
            return v;
        }
        long[] ones = new long[n];
        java.util.Arrays.fill(ones, 1);
        return ones;
    }

    static long[] orZeros(long[] v, int n) {
        return v != null ? v : new long[n];
    }
}
