package org.onnx2trt.shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.onnx2trt.ir.Types.Dim;
import org.onnx2trt.tensor.DataType;

/**
 * Inference for ops that move, select or join elements: Reshape, Flatten, Transpose, Squeeze,
 * Unsqueeze, Concat, Split, Slice, Gather, Expand, Tile, Pad, TopK. Where the input is a tracked
 * shape vector, its elements are carried along (see {@link ShapeData}).
 */
final class LayoutShapes {
    private LayoutShapes() {}

    static List<TensorFacts> infer(NodeFacts n) {
        switch (n.op()) {
            case "Reshape":
                return OpShapes.one(keepContents(n, reshape(n)));
            case "Flatten":
                return OpShapes.one(keepContents(n, flatten(n)));
            case "Transpose":
                return OpShapes.one(transpose(n));
            case "Squeeze":
                return OpShapes.one(keepContents(n, squeeze(n)));
            case "Unsqueeze":
                return OpShapes.one(keepContents(n, unsqueeze(n)));
            case "Concat":
                return OpShapes.one(concat(n));
            case "Split":
                return split(n);
            case "Slice":
                return OpShapes.one(slice(n));
            case "Gather":
                return OpShapes.one(gather(n));
            case "GatherElements":
                return OpShapes.one(TensorFacts.of(n.dtype(0), n.shape(1)));
            case "Expand":
                return OpShapes.one(expand(n));
            case "Tile":
                return OpShapes.one(tile(n));
            case "Pad":
                return OpShapes.one(pad(n));
            default:
                return null;
        }
    }

    /** A reshaping op keeps the elements, so a tracked vector stays tracked when it stays a vector. */
    private static TensorFacts keepContents(NodeFacts n, TensorFacts out) {
        List<Dim> c = n.contents(0);
        return c != null && out.hasRank() && out.rank() <= 1 ? out.withContents(c) : out;
    }

    private static TensorFacts reshape(NodeFacts n) {
        TensorFacts x = n.in(0);
        List<Dim> target = n.opset() >= 5 ? n.contents(1) : attrDims(n, "shape");
        if (target == null) {
            List<Dim> targetShape = n.shape(1);
            boolean rankKnown = targetShape != null && targetShape.size() == 1 && targetShape.get(0).isKnown();
            return TensorFacts.of(x.dtype(), rankKnown ? OpShapes.unknownDims(targetShape.get(0).value().intValue()) : null);
        }
        boolean allowZero = n.intAttr("allowzero", 0) == 1;
        List<Dim> out = new ArrayList<>(target.size());
        int inferred = -1;
        for (int i = 0; i < target.size(); i++) {
            Dim d = target.get(i);
            if (d.isKnown() && d.value() == 0 && !allowZero) {
                out.add(x.hasRank() && i < x.rank() ? x.dim(i) : Dim.UNKNOWN);
            } else if (d.isKnown() && d.value() == -1) {
                OpShapes.check(inferred < 0, "Reshape's shape has two -1 entries");
                inferred = i;
                out.add(Dim.UNKNOWN);
            } else {
                out.add(d);
            }
        }
        if (inferred >= 0 && x.hasRank()) {
            List<Dim> others = new ArrayList<>(out);
            others.remove(inferred);
            out.set(inferred, quotient(x.shape(), others));
        }
        return TensorFacts.of(x.dtype(), out);
    }

    /**
     * The dim d with product(all) = d · product(others): numbers divide; a symbol of {@code all} that
     * {@code others} lacks is the answer when the numbers agree, and symbols on both sides cancel.
     */
    static Dim quotient(List<Dim> all, List<Dim> others) {
        long num = 1;
        long den = 1;
        List<String> symbols = new ArrayList<>();
        for (Dim d : all) {
            if (d.isKnown()) {
                num *= d.value();
            } else if (d.symbol() != null) {
                symbols.add(d.symbol());
            } else {
                return Dim.UNKNOWN;
            }
        }
        for (Dim d : others) {
            if (d.isKnown()) {
                den *= d.value();
            } else if (d.symbol() == null || !symbols.remove(d.symbol())) {
                return Dim.UNKNOWN;
            }
        }
        if (den == 0 || num % den != 0) {
            return Dim.UNKNOWN;
        }
        long ratio = num / den;
        if (symbols.isEmpty()) {
            return Dim.of(ratio);
        }
        return symbols.size() == 1 && ratio == 1 ? Dim.symbol(symbols.get(0)) : Dim.UNKNOWN;
    }

    private static List<Dim> attrDims(NodeFacts n, String name) {
        long[] v = n.intsAttr(name);
        return v == null ? null : DimMath.known(v);
    }

    private static TensorFacts flatten(NodeFacts n) {
        TensorFacts x = n.in(0);
        if (!x.hasRank()) {
            return TensorFacts.of(x.dtype(), OpShapes.unknownDims(2));
        }
        int axis = (int) n.intAttr("axis", 1);
        axis = axis < 0 ? axis + x.rank() : axis;
        OpShapes.check(axis >= 0 && axis <= x.rank(), "Flatten axis out of range");
        return TensorFacts.of(x.dtype(), List.of(DimMath.product(x.shape().subList(0, axis)),
                DimMath.product(x.shape().subList(axis, x.rank()))));
    }

    private static TensorFacts transpose(NodeFacts n) {
        TensorFacts x = n.in(0);
        if (!x.hasRank()) {
            return TensorFacts.of(x.dtype(), null);
        }
        long[] perm = n.intsAttr("perm");
        List<Dim> out = new ArrayList<>(x.rank());
        for (int i = 0; i < x.rank(); i++) {
            int from = perm == null ? x.rank() - 1 - i : DimMath.axis(perm[i], x.rank(), "Transpose perm entry");
            out.add(x.dim(from));
        }
        OpShapes.check(perm == null || perm.length == x.rank(), "Transpose perm has " + (perm == null ? 0 : perm.length)
                + " entries for rank " + x.rank());
        return TensorFacts.of(x.dtype(), out);
    }

    /** Squeeze/Unsqueeze axes, in either form: empty when absent, null when not known. */
    private static long[] axes(NodeFacts n) {
        return n.hasOperand("axes") ? n.operandInts("axes") : new long[0];
    }

    private static TensorFacts squeeze(NodeFacts n) {
        TensorFacts x = n.in(0);
        long[] axes = axes(n);
        if (!x.hasRank() || axes == null) {
            return TensorFacts.of(x.dtype(), null);
        }
        List<Dim> out = new ArrayList<>();
        if (axes.length == 0) {
            for (Dim d : x.shape()) {
                if (!d.isKnown()) {
                    return TensorFacts.of(x.dtype(), null); // whether it is 1 decides the rank
                }
                if (d.value() != 1) {
                    out.add(d);
                }
            }
            return TensorFacts.of(x.dtype(), out);
        }
        return TensorFacts.of(x.dtype(), OpShapes.reduced(x.shape(), axes, false));
    }

    private static TensorFacts unsqueeze(NodeFacts n) {
        TensorFacts x = n.in(0);
        long[] axes = axes(n);
        if (!x.hasRank() || axes == null) {
            return TensorFacts.of(x.dtype(), null);
        }
        int rank = x.rank() + axes.length;
        boolean[] added = new boolean[rank];
        for (long a : axes) {
            added[DimMath.axis(a, rank, "Unsqueeze axis")] = true;
        }
        List<Dim> out = new ArrayList<>(rank);
        int from = 0;
        for (int i = 0; i < rank; i++) {
            out.add(added[i] ? Dim.of(1) : x.dim(from++));
        }
        return TensorFacts.of(x.dtype(), out);
    }

    private static TensorFacts concat(NodeFacts n) {
        List<Dim> first = null;
        DataType dtype = null;
        for (int i = 0; i < n.inputCount(); i++) {
            if (n.has(i) && dtype == null) {
                dtype = n.dtype(i);
            }
            if (n.has(i) && n.in(i).hasRank()) {
                first = n.shape(i);
                break;
            }
        }
        if (first == null) {
            return TensorFacts.of(dtype, null);
        }
        int axis = DimMath.axis(n.intAttr("axis", 0), first.size(), "Concat axis");
        List<Dim> out = new ArrayList<>(first);
        Dim sum = Dim.of(0);
        List<Dim> contents = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            if (!n.has(i)) {
                continue;
            }
            List<Dim> s = n.shape(i);
            if (s == null) {
                sum = Dim.UNKNOWN;
                contents = null;
                continue;
            }
            OpShapes.check(s.size() == first.size(), "Concat inputs of ranks " + first.size() + " and " + s.size());
            sum = DimMath.plus(sum, s.get(axis));
            for (int d = 0; d < s.size(); d++) {
                if (d != axis && !out.get(d).isKnown() && s.get(d).isKnown()) {
                    out.set(d, s.get(d));
                }
            }
            List<Dim> c = n.contents(i);
            if (contents != null && c != null && first.size() == 1) {
                contents.addAll(c);
            } else {
                contents = null;
            }
        }
        out.set(axis, sum);
        TensorFacts f = TensorFacts.of(dtype, out);
        return contents != null && contents.size() <= TensorFacts.MAX_CONTENTS ? f.withContents(contents) : f;
    }

    private static List<TensorFacts> split(NodeFacts n) {
        TensorFacts x = n.in(0);
        int outputs = n.node().outputCount();
        List<TensorFacts> out = new ArrayList<>();
        if (!x.hasRank()) {
            for (int i = 0; i < outputs; i++) {
                out.add(TensorFacts.of(x.dtype(), null));
            }
            return out;
        }
        int axis = DimMath.axis(n.intAttr("axis", 0), x.rank(), "Split axis");
        long[] sizes = n.operandInts("split");
        Dim total = x.dim(axis);
        if (sizes == null && total.isKnown()) {
            long parts = outputs;
            long each = Math.floorDiv(total.value() + parts - 1, parts); // opset 18: the last part may be smaller
            sizes = new long[outputs];
            for (int i = 0; i < outputs; i++) {
                sizes[i] = Math.max(0, Math.min(each, total.value() - i * each));
            }
        }
        for (int i = 0; i < outputs; i++) {
            List<Dim> s = new ArrayList<>(x.shape());
            s.set(axis, sizes != null && i < sizes.length ? Dim.of(sizes[i]) : Dim.UNKNOWN);
            out.add(TensorFacts.of(x.dtype(), s));
        }
        return out;
    }

    private static TensorFacts slice(NodeFacts n) {
        TensorFacts x = n.in(0);
        if (!x.hasRank()) {
            return TensorFacts.of(x.dtype(), null);
        }
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        starts = n.operandInts("starts");
        ends = n.operandInts("ends");
        axes = n.operandInts("axes");
        steps = n.operandInts("steps");
        if (starts == null || ends == null || n.hasOperand("axes") && axes == null || n.hasOperand("steps") && steps == null) {
            return TensorFacts.of(x.dtype(), OpShapes.unknownDims(x.rank()));
        }
        List<Dim> out = new ArrayList<>(x.shape());
        List<Dim> in = n.contents(0);
        List<Dim> contents = x.rank() == 1 && in != null ? in : null;
        for (int i = 0; i < starts.length; i++) {
            int axis = DimMath.axis(axes == null ? i : axes[i], x.rank(), "Slice axis");
            long step = steps == null ? 1 : steps[i];
            OpShapes.check(step != 0, "Slice step 0");
            Dim d = x.dim(axis);
            if (step < 0 && ends[i] >= Integer.MAX_VALUE) {
                out.set(axis, Dim.UNKNOWN); // onnxruntime reads this end as "past the front", the spec clamps it
                contents = null;
                continue;
            }
            if (!d.isKnown()) {
                boolean whole = step == 1 && starts[i] == 0 && ends[i] >= Integer.MAX_VALUE;
                out.set(axis, whole ? d : Dim.UNKNOWN);
                contents = whole ? contents : null;
                continue;
            }
            long[] range = sliceRange(d.value(), starts[i], ends[i], step);
            long count = step > 0 ? Math.max(0, Math.floorDiv(range[1] - range[0] + step - 1, step))
                    : Math.max(0, Math.floorDiv(range[0] - range[1] - step - 1, -step));
            out.set(axis, Dim.of(count));
            if (contents != null) {
                List<Dim> picked = new ArrayList<>();
                for (long k = 0, at = range[0]; k < count; k++, at += step) {
                    picked.add(contents.get((int) at));
                }
                contents = picked;
            }
        }
        TensorFacts f = TensorFacts.of(x.dtype(), out);
        return contents != null ? f.withContents(contents) : f;
    }

    /** Slice's start and end for one axis of length {@code dim}, clamped as the operator specifies. */
    static long[] sliceRange(long dim, long start, long end, long step) {
        start = start < 0 ? start + dim : start;
        end = end < 0 ? end + dim : end;
        if (step > 0) {
            start = Math.max(0, Math.min(dim, start));
            end = Math.max(0, Math.min(dim, end));
        } else {
            start = Math.max(0, Math.min(dim - 1, start));
            end = Math.max(-1, Math.min(dim - 1, end));
        }
        return new long[] {start, end};
    }

    private static TensorFacts gather(NodeFacts n) {
        TensorFacts data = n.in(0);
        TensorFacts indices = n.in(1);
        if (!data.hasRank() || !indices.hasRank()) {
            return TensorFacts.of(data.dtype(), null);
        }
        int axis = DimMath.axis(n.intAttr("axis", 0), data.rank(), "Gather axis");
        List<Dim> out = new ArrayList<>(data.shape().subList(0, axis));
        out.addAll(indices.shape());
        out.addAll(data.shape().subList(axis + 1, data.rank()));
        TensorFacts f = TensorFacts.of(data.dtype(), out);
        List<Dim> in = n.contents(0);
        long[] idx = n.ints(1);
        if (in != null && data.rank() == 1 && idx != null && indices.rank() <= 1) {
            List<Dim> picked = new ArrayList<>(idx.length);
            for (long i : idx) {
                long at = i < 0 ? i + in.size() : i;
                OpShapes.check(at >= 0 && at < in.size(), "Gather index " + i + " out of range for " + in.size());
                picked.add(in.get((int) at));
            }
            return f.withContents(picked);
        }
        return f;
    }

    private static TensorFacts expand(NodeFacts n) {
        TensorFacts x = n.in(0);
        List<Dim> target = n.contents(1);
        if (target == null) {
            List<Dim> s = n.shape(1);
            return TensorFacts.of(x.dtype(), s != null && s.size() == 1 && s.get(0).isKnown() && x.hasRank()
                    ? OpShapes.unknownDims((int) Math.max(x.rank(), s.get(0).value())) : null);
        }
        return TensorFacts.of(x.dtype(), DimMath.broadcast(Arrays.asList(x.shape(), target)));
    }

    private static TensorFacts tile(NodeFacts n) {
        TensorFacts x = n.in(0);
        long[] repeats = n.ints(1);
        if (!x.hasRank()) {
            return TensorFacts.of(x.dtype(), null);
        }
        if (repeats == null) {
            return TensorFacts.of(x.dtype(), OpShapes.unknownDims(x.rank()));
        }
        OpShapes.check(repeats.length == x.rank(), "Tile repeats has " + repeats.length + " entries for rank " + x.rank());
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            out.add(DimMath.times(x.dim(i), Dim.of(repeats[i])));
        }
        return TensorFacts.of(x.dtype(), out);
    }

    private static TensorFacts pad(NodeFacts n) {
        TensorFacts x = n.in(0);
        if (!x.hasRank()) {
            return TensorFacts.of(x.dtype(), null);
        }
        long[] pads = n.operandInts("pads");
        long[] axes = n.operandInts("axes");
        if (pads == null || n.hasOperand("axes") && axes == null) {
            return TensorFacts.of(x.dtype(), OpShapes.unknownDims(x.rank()));
        }
        int count = axes == null ? x.rank() : axes.length;
        OpShapes.check(pads.length == 2 * count, "Pad has " + pads.length + " pads for " + count + " axes");
        List<Dim> out = new ArrayList<>(x.shape());
        for (int i = 0; i < count; i++) {
            int axis = axes == null ? i : DimMath.axis(axes[i], x.rank(), "Pad axis");
            out.set(axis, DimMath.plus(x.dim(axis), pads[i] + pads[i + count]));
        }
        return TensorFacts.of(x.dtype(), out);
    }

    static List<TensorFacts> topK(NodeFacts n) {
        TensorFacts x = n.in(0);
        if (!x.hasRank()) {
            return List.of(TensorFacts.of(x.dtype(), null), TensorFacts.of(DataType.INT64, null));
        }
        int axis = DimMath.axis(n.intAttr("axis", -1), x.rank(), "TopK axis");
        long[] k = n.operandInts("K");
        List<Dim> out = new ArrayList<>(x.shape());
        out.set(axis, k != null && k.length == 1 ? Dim.of(k[0]) : Dim.UNKNOWN);
        return List.of(TensorFacts.of(x.dtype(), out), TensorFacts.of(DataType.INT64, out));
    }
}
