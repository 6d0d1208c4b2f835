package org.onnx2trt.verify.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.math.DTypes;

/**
 * What the instance generator knows of the ops that move, copy and retype data: Pad, Cast, Reshape,
 * Slice, Expand, Squeeze and Unsqueeze. Their constant operands (pads, shapes, bounds, axes) are
 * drawn so that about half the instances are no-ops and the rest are not, and two in a row make
 * sense together: a Cast may return to the type a Cast before it started from, a Squeeze may leave
 * dims of size 1 for the next. Operands that became inputs at some opset (Pad 11, Slice 10,
 * Squeeze and Unsqueeze 13) are attributes below it. Now and then an operand is computed by a node
 * (an Identity of the constant), so that rules needing a constant decline.
 */
final class ShapeOpInstances {
    static final long INT32_MAX = Integer.MAX_VALUE;
    /** The element types a Cast draws from: those onnxruntime's Java API reads. */
    static final DataType[] CAST_TYPES = {DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.INT8,
        DataType.UINT8, DataType.INT16, DataType.INT32, DataType.INT64, DataType.BOOL};
    private static final int COMPUTED_PERCENT = 8;

    private ShapeOpInstances() {}

    /** Pad: pads all zero half the time, else 0–1 per side; mode constant, edge, or reflect when nothing is added. */
    static Value pad(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity("Pad", slots, 4);
        Value x = input(g, slots.get(0), 1, 4);
        long[] xd = g.shapeOf(x);
        int r = xd.length;
        long[] pads = new long[2 * r];
        boolean zero = g.c.draw(2) == 0 || slots.size() > 1 && g.aimed(slots.get(1)) instanceof Number n && n.longValue() == 0;
        for (int i = 0; i < pads.length && !zero; i++) {
            pads[i] = g.c.size(0, 1);
        }
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            out[i] = xd[i] + pads[i] + pads[i + r];
        }
        String mode = zero ? g.c.pick("constant", "reflect", "edge") : g.c.pick("constant", "edge");
        GraphBuilder.Op node;
        if (g.takesAsInput("Pad", "pads")) {
            List<Value> inputs = new ArrayList<>(List.of(x,
                    g.constantOrComputed(slot(slots, 1), Tensor.ofLongs("pads", new long[] {pads.length}, pads), COMPUTED_PERCENT)));
            if (slots.size() > 2 && g.dtypeOf(x) == DataType.FLOAT && g.present(slots.get(2))) {
                inputs.add(g.constant(slots.get(2), Tensor.ofFloats("value", new long[0], g.c.pick(0f, 1.5f))));
            }
            node = g.b.op("Pad", inputs.toArray(Value[]::new));
        } else {
            node = g.b.op("Pad", x).attr("pads", pads);
            if (g.c.draw(2) == 1) {
                node.attr("value", 1.5f);
            }
        }
        if (!mode.equals("constant") || g.c.draw(2) == 1) {
            node.attr("mode", mode);
        }
        literals.forEach((key, v) -> OpInstances.setAttr(node, key, v));
        return OpInstances.finish(g, node, name, out, g.dtypeOf(x));
    }

    /**
     * Cast: the input float32 half the time, else another type; the target its own type (a no-op),
     * the type a Cast before it started from (a round trip), a type that holds every value, or any.
     */
    static Value cast(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity("Cast", slots, 1);
        Slot xs = slots.get(0);
        Value x = xs.isFree() ? g.data(xs, dataShape(g, 1, 4), g.c.draw(2) == 0 ? DataType.FLOAT : g.c.pick(CAST_TYPES))
                : xs.known();
        DataType from = g.dtypeOf(x);
        Node producer = x.producer();
        DataType before = producer != null && producer.opType().equals("Cast") ? g.dtypeOf(producer.input(0)) : from;
        DataType to = switch (g.c.draw(4)) {
            case 0 -> from;
            case 1 -> before;
            case 2 -> widening(g, from);
            default -> g.c.pick(CAST_TYPES);
        };
        DataType aimedTo = g.aimedDtype("to"); // asDtype(to) == dtype(x), losslessCast(...): what the checks ask
        if (literals.get("to") instanceof Long code) {
            to = DataType.fromCode(Math.toIntExact(code)).orElseThrow();
        } else if (aimedTo != null) {
            to = aimedTo;
        }
        GraphBuilder.Op node = g.b.op("Cast", x).attr("to", (long) to.code());
        return OpInstances.finish(g, node, name, g.shapeOf(x), to);
    }

    /** A type other than {@code from} holding every value of it, or {@code from} when there is none. */
    private static DataType widening(InstanceGenerator g, DataType from) {
        List<DataType> wider = new ArrayList<>();
        for (DataType t : CAST_TYPES) {
            if (t != from && DTypes.holdsEveryValue(from, t)) {
                wider.add(t);
            }
        }
        return wider.isEmpty() ? from : wider.get(g.c.draw(wider.size()));
    }

    /**
     * Reshape: to the same shape (written out, or with copied 0 and inferred -1 entries), flattened,
     * or to the reversed dims; allowzero = 1 now and then from opset 14 (without 0 entries then).
     */
    static Value reshape(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity("Reshape", slots, 2);
        Value x = input(g, slots.get(0), 1, 4);
        long[] xd = g.shapeOf(x);
        int r = xd.length;
        long n = Tensor.elementCount(xd);
        boolean allowZero = literals.get("allowzero") instanceof Number given ? given.longValue() == 1
                : g.opset() >= 14 && g.c.rarely(20);
        long[] out;
        long[] target;
        switch (g.c.draw(4)) {
            case 0 -> {
                out = xd.clone();
                target = xd.clone();
            }
            case 1 -> {
                out = xd.clone();
                target = xd.clone();
                for (int i = 0; i < r && !allowZero; i++) {
                    if (g.c.draw(2) == 1) {
                        target[i] = 0;
                    }
                }
                if (r > 0 && g.c.draw(2) == 1) {
                    target[g.c.draw(r)] = -1;
                }
            }
            case 2 -> {
                out = r > 1 && g.c.draw(2) == 1 ? new long[] {xd[0], n / xd[0]} : new long[] {n};
                target = out.clone();
                if (g.c.draw(2) == 1) {
                    target[target.length - 1] = -1;
                }
            }
            default -> {
                out = new long[r];
                for (int i = 0; i < r; i++) {
                    out[i] = xd[r - 1 - i];
                }
                target = out.clone();
            }
        }
        Value s = g.constantOrComputed(slot(slots, 1), Tensor.ofLongs("shape", new long[] {target.length}, target),
                COMPUTED_PERCENT);
        GraphBuilder.Op node = g.b.op("Reshape", x, s);
        if (allowZero) {
            node.attr("allowzero", 1L);
        }
        literals.forEach((key, v) -> OpInstances.setAttr(node, key, v));
        return OpInstances.finish(g, node, name, out, g.dtypeOf(x));
    }

    /**
     * Slice over some axes (all of them half the time, in any order, negative now and then): half the
     * time a no-op (start 0, step 1, end the dim, past it, INT32_MAX or INT64_MAX), else starts of 1,
     * steps of 2 or ends one short. Bounds are attributes before opset 10 (and steps 1).
     */
    static Value slice(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity("Slice", slots, 5);
        Value x = input(g, slots.get(0), 1, 4);
        long[] xd = g.shapeOf(x);
        int r = xd.length;
        boolean inputs = g.takesAsInput("Slice", "starts");
        boolean withAxes = inputs ? slots.size() > 3 && g.present(slots.get(3)) : g.c.draw(2) == 1;
        boolean withSteps = inputs && withAxes && slots.size() > 4 && g.present(slots.get(4));
        int k = g.c.size(1, r);
        long[] order = permutation(g, r);
        long[] axes = new long[k];
        for (int j = 0; j < k; j++) {
            axes[j] = withAxes ? order[j] : j;
        }
        // allZero(starts) / allEqual(steps, 1) in an aimed instance: a slice that keeps everything
        boolean nop = g.c.draw(2) == 0 || g.aimed(slot(slots, 1)) instanceof Number start && start.longValue() == 0;
        long[] starts = new long[k];
        long[] ends = new long[k];
        long[] steps = new long[k];
        long[] out = xd.clone();
        for (int j = 0; j < k; j++) {
            long d = xd[(int) axes[j]];
            starts[j] = nop || d == 1 || g.c.draw(2) == 0 ? 0 : 1;
            steps[j] = nop || !withSteps || g.c.draw(3) != 0 ? 1 : 2;
            ends[j] = switch (g.c.draw(4)) {
                case 0 -> d;
                case 1 -> d + 3;
                case 2 -> INT32_MAX;
                default -> Long.MAX_VALUE;
            };
            if (!nop && d - 1 > starts[j] && g.c.draw(2) == 1) {
                ends[j] = d - 1;
            }
            long stop = Math.min(ends[j], d);
            out[(int) axes[j]] = (stop - starts[j] + steps[j] - 1) / steps[j];
            if (withAxes && g.c.draw(2) == 1) {
                axes[j] -= r;
            }
        }
        GraphBuilder.Op node;
        if (inputs) {
            List<Value> in = new ArrayList<>(List.of(x,
                    g.constantOrComputed(slot(slots, 1), Tensor.ofLongs("starts", new long[] {k}, starts), COMPUTED_PERCENT),
                    g.constantOrComputed(slot(slots, 2), Tensor.ofLongs("ends", new long[] {k}, ends), COMPUTED_PERCENT)));
            if (withAxes) {
                in.add(g.constant(slots.get(3), Tensor.ofLongs("axes", new long[] {k}, axes)));
            }
            if (withSteps) {
                in.add(g.constant(slots.get(4), Tensor.ofLongs("steps", new long[] {k}, steps)));
            }
            node = g.b.op("Slice", in.toArray(Value[]::new));
        } else {
            node = g.b.op("Slice", x).attr("starts", starts).attr("ends", ends);
            if (withAxes) {
                node.attr("axes", axes);
            }
        }
        literals.forEach((key, v) -> OpInstances.setAttr(node, key, v));
        return OpInstances.finish(g, node, name, out, g.dtypeOf(x));
    }

    /**
     * Expand of data with dims of size 1: to a shape that changes nothing (a trailing part of the
     * input's, with 1s), that widens a dim of size 1, or that adds a leading dim.
     */
    static Value expand(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity("Expand", slots, 2);
        Slot xs = slots.get(0);
        Value x = xs.isFree() ? g.data(xs, withOnes(g, 1, 4, 1)) : xs.known();
        long[] xd = g.shapeOf(x);
        int r = xd.length;
        long[] target;
        int form = g.c.draw(4);
        if (form == 2 && g.aimedNoLongerThanRank(slot(slots, 1))) {
            form = 0; // size(s) <= rank(x): no added dim
        }
        switch (form) {
            case 1 -> {
                target = xd.clone();
                int at = g.c.draw(r);
                if (target[at] == 1) {
                    target[at] = g.c.size(2, 3);
                }
            }
            case 2 -> {
                target = new long[r + 1];
                target[0] = g.c.size(1, 2);
                System.arraycopy(xd, 0, target, 1, r);
            }
            default -> {
                target = new long[g.c.size(0, r)];
                for (int i = 0; i < target.length; i++) {
                    long d = xd[r - target.length + i];
                    target[i] = g.c.draw(2) == 0 ? 1 : d;
                }
            }
        }
        long[] out = OpInstances.broadcast(xd, target);
        Value s = g.constantOrComputed(slot(slots, 1), Tensor.ofLongs("shape", new long[] {target.length}, target),
                COMPUTED_PERCENT);
        GraphBuilder.Op node = g.b.op("Expand", x, s);
        literals.forEach((key, v) -> OpInstances.setAttr(node, key, v));
        return OpInstances.finish(g, node, name, out, g.dtypeOf(x));
    }

    /**
     * Squeeze of data with at least two dims of size 1: some of them (leaving others for a next
     * Squeeze three times in four), in any order, negative now and then; axes left out now and then where
     * the pattern allows. Axes are an attribute before opset 13.
     */
    static Value squeeze(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity("Squeeze", slots, 2);
        Slot xs = slots.get(0);
        Value x = xs.isFree() ? g.data(xs, withOnes(g, 2, 5, 2)) : xs.known();
        long[] xd = g.shapeOf(x);
        int r = xd.length;
        List<Integer> ones = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (xd[i] == 1) {
                ones.add(i);
            }
        }
        if (ones.isEmpty()) {
            throw new UnsupportedInstance("Squeeze of a shape without dims of size 1");
        }
        shuffle(g, ones);
        int m = ones.size() > 1 && g.c.draw(4) != 0 ? g.c.size(1, ones.size() - 1) : ones.size();
        boolean inputs = g.takesAsInput("Squeeze", "axes");
        boolean omit = m == ones.size() && (inputs ? slots.size() < 2 || slots.get(1).optional() : true) && g.c.rarely(10);
        long[] axes = new long[m];
        boolean[] dropped = new boolean[r];
        for (int j = 0; j < m; j++) {
            axes[j] = ones.get(j);
            dropped[ones.get(j)] = true;
            if (g.c.draw(2) == 1) {
                axes[j] -= r;
            }
        }
        long[] out = new long[r - m];
        for (int i = 0, o = 0; i < r; i++) {
            if (!dropped[i]) {
                out[o++] = xd[i];
            }
        }
        GraphBuilder.Op node;
        if (inputs) {
            node = omit ? g.b.op("Squeeze", x) : g.b.op("Squeeze", x,
                    g.constantOrComputed(slot(slots, 1), Tensor.ofLongs("axes", new long[] {m}, axes), COMPUTED_PERCENT));
        } else {
            node = g.b.op("Squeeze", x);
            if (!omit) {
                node.attr("axes", axes);
            }
        }
        literals.forEach((key, v) -> OpInstances.setAttr(node, key, v));
        return OpInstances.finish(g, node, name, out, g.dtypeOf(x));
    }

    /** Unsqueeze: one or two new dims anywhere in the output, in any order, negative now and then. */
    static Value unsqueeze(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity("Unsqueeze", slots, 2);
        Value x = input(g, slots.get(0), 1, 3);
        long[] xd = g.shapeOf(x);
        int k = g.c.size(1, 2);
        int rank = xd.length + k;
        long[] order = permutation(g, rank);
        long[] axes = new long[k];
        boolean[] inserted = new boolean[rank];
        for (int j = 0; j < k; j++) {
            axes[j] = order[j];
            inserted[(int) order[j]] = true;
            if (g.opset() >= 11 && g.c.draw(2) == 1) {
                axes[j] -= rank;
            }
        }
        long[] out = new long[rank];
        for (int i = 0, from = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : xd[from++];
        }
        GraphBuilder.Op node;
        if (g.takesAsInput("Unsqueeze", "axes")) {
            node = g.b.op("Unsqueeze", x,
                    g.constantOrComputed(slot(slots, 1), Tensor.ofLongs("axes", new long[] {k}, axes), COMPUTED_PERCENT));
        } else {
            node = g.b.op("Unsqueeze", x).attr("axes", axes);
        }
        literals.forEach((key, v) -> OpInstances.setAttr(node, key, v));
        return OpInstances.finish(g, node, name, out, g.dtypeOf(x));
    }

    // ---- helpers ---------------------------------------------------------------------------

    /**
     * ReduceMean/Max/Min/Sum: one or more axes, sometimes negative, as an attribute (before opset 18,
     * ReduceSum before 13) or as a constant input (now and then computed); keepdims mostly 0, now and
     * then left to its default of 1.
     */
    static Value reduce(InstanceGenerator g, String op, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity(op, slots, 2);
        boolean axesInput = g.takesAsInput(op, "axes");
        Value x = input(g, slots.get(0), 1, 4);
        long[] xd = g.shapeOf(x);
        int r = xd.length;
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            all.add(i);
        }
        shuffle(g, all);
        long[] axes;
        boolean[] reduced = new boolean[r];
        Object wanted = literals.containsKey("axes") ? literals.get("axes") : slots.size() > 1 ? g.aimed(slots.get(1)) : null;
        if (wanted instanceof Number one) {
            wanted = List.of(one);
        }
        if (wanted instanceof List<?> given) { // the pattern's axes, or what its checks ask for
            literals = new java.util.HashMap<>(literals);
            literals.remove("axes");
            axes = given.stream().mapToLong(o -> ((Number) o).longValue()).toArray();
            for (long a : axes) {
                if (a < -r || a >= r) {
                    throw new UnsupportedInstance(op + " axis " + a + " of a rank-" + r + " input");
                }
                reduced[(int) (a < 0 ? a + r : a)] = true;
            }
        } else {
            int m = g.c.size(1, r);
            axes = new long[m];
            for (int j = 0; j < m; j++) {
                axes[j] = all.get(j);
                reduced[all.get(j)] = true;
                if (g.c.draw(3) == 0) {
                    axes[j] -= r;
                }
            }
        }
        int m = axes.length;
        boolean keep = literals.get("keepdims") instanceof Number k ? k.longValue() == 1 : g.c.rarely(25);
        GraphBuilder.Op node = axesInput
                ? g.b.op(op, x, g.constantOrComputed(slot(slots, 1), Tensor.ofLongs("axes", new long[] {m}, axes), COMPUTED_PERCENT))
                : g.b.op(op, x).attr("axes", axes);
        if (!keep || g.c.draw(2) == 1) {
            node.attr("keepdims", keep ? 1L : 0L);
        }
        literals.forEach((key, v) -> OpInstances.setAttr(node, key, v));
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (!reduced[i]) {
                out.add(xd[i]);
            } else if (keep) {
                out.add(1L);
            }
        }
        return OpInstances.finish(g, node, name, out.stream().mapToLong(Long::longValue).toArray(), g.dtypeOf(x));
    }

    private static Slot slot(List<Slot> slots, int i) {
        return i < slots.size() ? slots.get(i) : new Slot(null, false, null);
    }

    /** A data shape: rank in [lo, hi], dims 1–4. */
    private static long[] dataShape(InstanceGenerator g, int lo, int hi) {
        long[] dims = new long[g.c.size(lo, hi)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = g.c.size(1, 4);
        }
        return dims;
    }

    /** A data shape of rank in [lo, hi] where about half the dims are 1, at least {@code minOnes} of them. */
    private static long[] withOnes(InstanceGenerator g, int lo, int hi, int minOnes) {
        long[] dims = new long[g.c.size(lo, hi)];
        int ones = 0;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = g.c.draw(2) == 0 ? 1 : g.c.size(2, 4);
            ones += dims[i] == 1 ? 1 : 0;
        }
        for (int i = 0; ones < Math.min(minOnes, dims.length) && i < dims.length; i++) {
            if (dims[i] != 1) {
                dims[i] = 1;
                ones++;
            }
        }
        return dims;
    }

    /**
     * Concat of the pattern's inputs along an axis drawn among the first input's (negative now and
     * then): every other input has the first's shape but on that axis, where its size is drawn.
     */
    static Value concat(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        Value first = input(g, slots.get(0), 1, 4);
        long[] fd = g.shapeOf(first);
        if (fd.length == 0) {
            throw new UnsupportedInstance("Concat of scalars");
        }
        long axis = literals.get("axis") instanceof Number a ? a.longValue()
                : g.c.draw(fd.length) - (g.c.rarely(20) ? fd.length : 0);
        int at = (int) Math.floorMod(axis, fd.length);
        List<Value> inputs = new ArrayList<>(List.of(first));
        long[] out = fd.clone();
        for (int i = 1; i < slots.size(); i++) {
            long[] dims = fd.clone();
            dims[at] = g.c.size(1, 4);
            Value v = input(g, slots.get(i), dims);
            long[] vd = g.shapeOf(v);
            if (vd.length != fd.length) {
                throw new UnsupportedInstance("Concat of ranks " + fd.length + " and " + vd.length);
            }
            out[at] += vd[at];
            inputs.add(v);
        }
        GraphBuilder.Op node = g.b.op("Concat", inputs.toArray(Value[]::new)).attr("axis", axis);
        literals.forEach((k, v) -> {
            if (!k.equals("axis")) {
                OpInstances.setAttr(node, k, v);
            }
        });
        return OpInstances.finish(g, node, name, out);
    }

    /**
     * Resize of an [N, C, H, W] input by integer factors of 1–2 on H and W, given as scales or (a time
     * in three) as sizes; roi left out; the pattern's mode (nearest unless it says).
     */
    static Value resize(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity("Resize", slots, 4);
        Value x = OpInstances.imageInput(g, "Resize", slots.get(0), 4);
        long[] xd = g.shapeOf(x);
        long[] out = xd.clone();
        float[] scales = new float[xd.length];
        java.util.Arrays.fill(scales, 1f);
        for (int i = 2; i < xd.length; i++) {
            long f = g.c.size(1, 2);
            scales[i] = f;
            out[i] = xd[i] * f;
        }
        boolean bySizes = slots.size() > 3 && g.c.draw(3) == 0;
        Value[] inputs = new Value[bySizes ? 4 : 3];
        inputs[0] = x;
        if (bySizes) {
            inputs[3] = g.constant(slots.get(3), Tensor.ofLongs("sizes", new long[] {out.length}, out));
        } else if (slots.size() > 2) {
            inputs[2] = g.constant(slots.get(2), Tensor.ofFloats("scales", new long[] {scales.length}, scales));
        } else {
            throw new UnsupportedPattern("Resize without scales or sizes in the pattern");
        }
        GraphBuilder.Op node = g.b.op("Resize", inputs);
        if (!literals.containsKey("mode")) {
            node.attr("mode", "nearest");
        }
        literals.forEach((k, v) -> OpInstances.setAttr(node, k, v));
        return OpInstances.finish(g, node, name, out);
    }

    private static Value input(InstanceGenerator g, Slot s, long[] dims) {
        return s.isFree() ? g.data(s, dims) : s.known();
    }

    private static Value input(InstanceGenerator g, Slot s, int lo, int hi) {
        return s.isFree() ? g.data(s, dataShape(g, lo, hi)) : s.known();
    }

    /** A random permutation of 0..n-1 (the identity when every draw is 0). */
    private static long[] permutation(InstanceGenerator g, int n) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = i - g.c.draw(i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static void shuffle(InstanceGenerator g, List<Integer> items) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = i - g.c.draw(i + 1);
            Integer t = items.get(i);
            items.set(i, items.get(j));
            items.set(j, t);
        }
    }
}
