package org.onnx2trt.verify.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.property.InstanceGenerator.Dist;

/**
 * What the instance generator knows of MatMul, Pad, the pooling ops, ArgMax/ArgMin, Softmax and
 * LogSoftmax, and Log/Sqrt (on positive data): the shapes and attributes worth varying, including
 * the ones the optimizer's rules decline on (batched and vector MatMuls, Pads of the batch or channel
 * axis, negative pads, reflect and edge modes, values other than 0, pooling that leaves its padding
 * out, axes that differ).
 */
final class MatrixPoolOpInstances {
    static final String COVERED = "MatMul, Pad, AveragePool, MaxPool, ArgMax, ArgMin, Softmax, LogSoftmax, Log, Sqrt";
    static final Set<String> POOLS_AND_CONV = Set.of("Conv", "ConvTranspose", "AveragePool", "MaxPool");

    private MatrixPoolOpInstances() {}

    /**
     * MatMul(A, B): A a matrix most of the time, now and then batched [b, M, K] or a vector [K];
     * B [K, N], now and then batched [b, K, N] or a vector [K].
     */
    static Value matMul(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity("MatMul", slots, 2);
        Slot as = slots.get(0);
        Slot bs = slots.size() > 1 ? slots.get(1) : new Slot(null, false, null);
        boolean matrices = Long.valueOf(2).equals(g.aimedRank(as)) || Long.valueOf(2).equals(g.aimedRank(bs)); // `rank(a) == 2`
        Value a = !as.isFree() ? as.known() : matrices || g.widthAimed() ? g.data(as, new long[] {g.c.size(1, 4), g.size(5)})
                : g.data(as, g.c.pick(new long[] {g.c.size(1, 4), g.c.size(1, 5)},
                new long[] {g.c.size(1, 4), g.c.size(1, 5)}, new long[] {g.c.size(1, 4), g.c.size(1, 5)},
                new long[] {g.c.size(1, 3), g.c.size(1, 4), g.c.size(1, 5)}, new long[] {g.c.size(1, 5)}));
        long[] ad = g.shapeOf(a);
        if (ad.length == 0) {
            throw new UnsupportedInstance("MatMul of a scalar");
        }
        long k = ad[ad.length - 1];
        long n = g.size(5);
        int kind = matrices || g.widthAimed() ? 0 : g.c.draw(10); // 0–7: [K, N]; 8: [K]; 9: [b, K, N]
        long[] bd = kind < 8 ? new long[] {k, n} : kind == 8 ? new long[] {k} : new long[] {g.c.size(1, 3), k, n};
        Value b = g.weight(bs, bd, Dist.NORMAL);
        bd = g.shapeOf(b);
        GraphBuilder.Op node = g.b.op("MatMul", a, b);
        literals.forEach((key, v) -> OpInstances.setAttr(node, key, v));
        return OpInstances.finish(g, node, name, matMulShape(ad, bd));
    }

    /** numpy matmul's output shape: vectors promoted and dropped again, batch dims broadcast. */
    private static long[] matMulShape(long[] a, long[] b) {
        if (b.length == 0 || a[a.length - 1] != (b.length == 1 ? b[0] : b[b.length - 2])) {
            throw new UnsupportedInstance("MatMul of shapes that do not fit");
        }
        long[] a2 = a.length == 1 ? new long[] {1, a[0]} : a;
        long[] b2 = b.length == 1 ? new long[] {b[0], 1} : b;
        int batch = Math.max(a2.length, b2.length) - 2;
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            long x = i < batch - (a2.length - 2) ? 1 : a2[i - (batch - (a2.length - 2))];
            long y = i < batch - (b2.length - 2) ? 1 : b2[i - (batch - (b2.length - 2))];
            if (x != y && x != 1 && y != 1) {
                throw new UnsupportedInstance("MatMul batch dims that do not broadcast");
            }
            out.add(Math.max(x, y));
        }
        if (a.length > 1) {
            out.add(a2[a2.length - 2]);
        }
        if (b.length > 1) {
            out.add(b2[b2.length - 1]);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Pad: pads as an input from opset 11, as an attribute before. Spatial pads 0–2 a side; now and
     * then a pad on the batch or channel axis, or a negative one (cropping); mode constant mostly,
     * reflect or edge now and then; the value absent, 0, 1.5 or −∞ (often −∞ before a MaxPool).
     * Rank 4 (or 3, 5) when a Conv or pool of the pattern reads it, else 1–4.
     */
    static Value pad(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity("Pad", slots, 4); // axes (opset 18) is never drawn: the Pad rules decline it
        boolean spatialReader = g.readerOps().stream().anyMatch(POOLS_AND_CONV::contains);
        Slot xs = slots.get(0);
        long[] drawn = spatialReader ? new long[g.c.pick(4, 4, 3, 5)] : new long[g.c.size(1, 4)];
        for (int i = 0; i < drawn.length; i++) {
            drawn[i] = i < 2 && spatialReader ? g.c.size(1, 3) : g.c.size(1, 5);
        }
        Value x = xs.isFree() ? g.data(xs, drawn) : xs.known();
        long[] xd = g.shapeOf(x);
        int r = xd.length;
        boolean poolReader = g.readerOps().contains("AveragePool") || g.readerOps().contains("MaxPool");
        String mode = literals.containsKey("mode") ? (String) literals.get("mode") : g.c.draw(10) < 8 ? "constant"
                : g.c.pick("reflect", "edge");
        long[] pads = new long[2 * r];
        for (int i = 0; i < r; i++) {
            boolean outer = spatialReader && i < 2;
            for (int side = 0; side < 2; side++) {
                // a pool's pads must stay below its kernel (1–3): small pads before a pool
                // an aimed instance before a pool pads what a pool can take: spatial axes, no cropping
                boolean poolShaped = poolReader && g.isAimed();
                long p = outer ? (!poolShaped && g.c.rarely(4) ? 1 : 0) : g.c.size(0, poolReader ? 1 : 2);
                if (!poolShaped && g.c.rarely(3) && xd[i] > 1 && !mode.equals("reflect")) { // reflect needs 2 or more left
                    p = -1; // crops
                }
                if (mode.equals("reflect")) {
                    p = Math.min(p, xd[i] - 1); // reflect needs a pad smaller than the dim
                }
                pads[side * r + i] = p;
            }
            if (xd[i] + pads[i] + pads[r + i] < 1) {
                pads[r + i] = 0;
            }
        }
        boolean maxPool = g.readerOps().contains("MaxPool");
        float ninf = Float.NEGATIVE_INFINITY;
        Float value = maxPool ? g.c.pick(ninf, ninf, ninf, ninf, ninf, null, 0f, 1.5f)
                : g.c.pick(null, null, 0f, 0f, 0f, 1.5f, Float.NEGATIVE_INFINITY);
        if (slots.size() > 2 && g.aimed(slots.get(2)) instanceof Number aimedValue) { // what the checks ask for
            value = aimedValue.floatValue();
        }
        GraphBuilder.Op node;
        if (g.takesAsInput("Pad", "pads")) {
            List<Value> inputs = new ArrayList<>(List.of(x));
            Slot ps = slots.size() > 1 ? slots.get(1) : new Slot(null, false, null);
            inputs.add(g.constant(ps, Tensor.ofLongs("pads", new long[] {pads.length}, pads)));
            Slot vs = slots.size() > 2 ? slots.get(2) : new Slot(null, true, null);
            boolean given = value != null && (value == ninf ? !vs.optional() || !g.c.rarely(10) : g.present(vs));
            if (given) { // −∞ is what a MaxPool needs spelled out: mostly given
                inputs.add(g.c.rarely(10) ? g.weight(vs, new long[0], Dist.NORMAL)
                        : g.constant(vs, Tensor.ofFloats("value", new long[0], value)));
            }
            node = g.b.op("Pad", inputs.toArray(Value[]::new));
        } else {
            node = g.b.op("Pad", x).attr("pads", pads);
            if (value != null) {
                node.attr("value", (float) value);
            }
        }
        if (!mode.equals("constant") || g.c.draw(2) == 1) {
            node.attr("mode", mode);
        }
        literals.forEach((k, v) -> {
            if (!k.equals("mode")) {
                OpInstances.setAttr(node, k, v);
            }
        });
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            out[i] = xd[i] + pads[i] + pads[r + i];
        }
        return OpInstances.finish(g, node, name, out);
    }

    /**
     * AveragePool, MaxPool: kernel 1–3, strides 1–2, pads smaller than the kernel (or none), now and
     * then auto_pad SAME_UPPER, ceil_mode where it does not add a window that starts in the padding;
     * AveragePool's count_include_pad 0 or 1, MaxPool's dilations 1–2.
     */
    static Value pool(InstanceGenerator g, String op, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity(op, slots, 1);
        Value x = OpInstances.imageInput(g, op, slots.get(0), 3);
        long[] xd = g.shapeOf(x);
        int spatial = xd.length - 2;
        boolean maxPool = op.equals("MaxPool");
        // An aimed pool reading a Pad leaves its kernel room for the Pad's pads (0–1 a side): kernel 2
        // or 3, no pads of its own.
        boolean afterPad = g.isAimed() && x.producer() != null && x.producer().opType().equals("Pad");
        boolean same = !afterPad && g.c.rarely(10);
        boolean padded = !same && !afterPad && g.c.draw(2) == 1;
        boolean ceil = g.opset() >= 10 && g.c.rarely(15);
        long[] kernel = new long[spatial];
        long[] strides = new long[spatial];
        long[] dilations = new long[spatial];
        long[] pads = new long[2 * spatial];
        long[] out = new long[xd.length];
        out[0] = xd[0];
        out[1] = xd[1];
        for (int i = 0; i < spatial; i++) {
            long in = xd[2 + i];
            kernel[i] = Math.min(afterPad ? g.c.pick(2L, 3L) : g.c.pick(2L, 3L, 1L), in);
            strides[i] = g.c.rarely(40) ? 2 : 1;
            dilations[i] = maxPool && g.opset() >= 10 && g.c.rarely(15) && 2 * (kernel[i] - 1) + 1 <= in ? 2 : 1;
            pads[i] = padded ? g.c.size(0, (int) kernel[i] - 1) : 0;
            pads[spatial + i] = padded ? g.c.size(0, (int) kernel[i] - 1) : 0;
        }
        for (int i = 0; i < spatial; i++) {
            long in = xd[2 + i];
            long effective = (kernel[i] - 1) * dilations[i] + 1;
            long span = in + pads[i] + pads[spatial + i] - effective;
            if (same) {
                out[2 + i] = (in + strides[i] - 1) / strides[i];
            } else {
                long floor = span / strides[i] + 1;
                long ceiled = (span + strides[i] - 1) / strides[i] + 1;
                // a last window that would start in the end padding is counted differently by versions
                if (ceil && ceiled != floor && (ceiled - 1) * strides[i] >= in + pads[i]) {
                    ceil = false;
                }
                out[2 + i] = floor;
            }
        }
        if (ceil) {
            for (int i = 0; i < spatial; i++) {
                long span = xd[2 + i] + pads[i] + pads[spatial + i] - ((kernel[i] - 1) * dilations[i] + 1);
                out[2 + i] = (span + strides[i] - 1) / strides[i] + 1;
            }
        }
        GraphBuilder.Op node = g.b.op(op, x).attr("kernel_shape", kernel);
        if (OpInstances.anyAbove(strides, 1)) {
            node.attr("strides", strides);
        }
        if (OpInstances.anyAbove(dilations, 1)) {
            node.attr("dilations", dilations);
        }
        if (same) {
            node.attr("auto_pad", "SAME_UPPER");
        } else if (OpInstances.anyAbove(pads, 0) || g.c.rarely(20)) {
            node.attr("pads", pads);
        }
        if (ceil) {
            node.attr("ceil_mode", 1L);
        }
        if (!maxPool) {
            long count = g.c.pick(1L, 1L, 0L);
            if (count == 1 || g.c.draw(2) == 1) {
                node.attr("count_include_pad", count);
            }
        }
        literals.forEach((k, v) -> OpInstances.setAttr(node, k, v));
        return OpInstances.finish(g, node, name, out);
    }

    /** ArgMax, ArgMin: axis absent (0), last, or any in [−r, r); keepdims 0 or 1; select_last_index now and then. */
    static Value argMinMax(InstanceGenerator g, String op, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity(op, slots, 1);
        Value x = OpInstances.nonScalarInput(g, op, slots.get(0));
        long[] xd = g.shapeOf(x);
        int r = xd.length;
        Long axis = literals.containsKey("axis") ? (Long) literals.get("axis")
                : g.c.pick(null, -1L, (long) r - 1, (long) g.c.size(-r, r - 1));
        long keepdims = literals.containsKey("keepdims") ? (Long) literals.get("keepdims") : g.c.pick(1L, 0L);
        GraphBuilder.Op node = g.b.op(op, x);
        if (axis != null) {
            node.attr("axis", (long) axis);
        }
        if (keepdims == 0 || g.c.draw(2) == 1) {
            node.attr("keepdims", keepdims);
        }
        if (g.opset() >= 12 && !literals.containsKey("select_last_index") && g.c.rarely(20)) {
            node.attr("select_last_index", 1L);
        }
        literals.forEach((k, v) -> OpInstances.setAttr(node, k, v));
        int at = (int) Math.floorMod(axis == null ? 0 : axis, r);
        long[] out = new long[keepdims == 1 ? r : r - 1];
        for (int i = 0, o = 0; i < r; i++) {
            if (i == at) {
                if (keepdims == 1) {
                    out[o++] = 1;
                }
            } else {
                out[o++] = xd[i];
            }
        }
        return OpInstances.finish(g, node, name, out, DataType.INT64);
    }

    /** Softmax, LogSoftmax: axis absent (the opset's default) or any in [−r, r). */
    static Value softmax(InstanceGenerator g, String op, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity(op, slots, 1);
        Value x = OpInstances.nonScalarInput(g, op, slots.get(0));
        long[] xd = g.shapeOf(x);
        int r = xd.length;
        GraphBuilder.Op node = g.b.op(op, x);
        if (!literals.containsKey("axis") && g.c.draw(2) == 1) {
            node.attr("axis", (long) g.c.size(-r, r - 1));
        }
        literals.forEach((k, v) -> OpInstances.setAttr(node, k, v));
        return OpInstances.finish(g, node, name, xd);
    }

    /** Log, Sqrt: on positive data (|input|, made outside the match), where they are defined and increasing. */
    static Value positiveUnary(InstanceGenerator g, String op, String name, List<Slot> slots, Map<String, Object> literals) {
        OpInstances.arity(op, slots, 1);
        Slot xs = slots.get(0);
        boolean matrix = g.readerOps().contains("Gemm") || g.readerOps().contains("MatMul");
        long[] dims = new long[matrix ? 2 : g.c.size(1, 4)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = g.c.size(1, 5);
        }
        Value x = xs.isFree() ? g.positiveData(xs, dims) : xs.known();
        GraphBuilder.Op node = g.b.op(op, x);
        literals.forEach((k, v) -> OpInstances.setAttr(node, k, v));
        return OpInstances.finish(g, node, name, g.shapeOf(x));
    }
}
