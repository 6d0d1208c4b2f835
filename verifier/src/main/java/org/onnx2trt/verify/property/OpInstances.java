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
 * What the instance generator knows of each op: the shapes its inputs may have given its data
 * input, the attributes worth varying (groups, strides, dilations, pads, odd sizes, perms,
 * epsilons), and its output shape. Ops not listed here make a rule's property check report
 * "not covered" rather than guess.
 */
final class OpInstances {
    static final Set<String> UNARY = Set.of("Relu", "Sigmoid", "Tanh", "Neg", "Abs", "Identity", "Exp", "Erf",
            "Softplus", "LeakyRelu", "Elu", "HardSigmoid", "HardSwish", "Floor", "Ceil", "Round", "Sign");
    /** Ops that read an [N, C, spatial...] input. */
    private static final Set<String> POOLS_AND_CONVS = Set.of("Conv", "ConvTranspose", "AveragePool", "MaxPool",
            "GlobalAveragePool", "GlobalMaxPool");
    static final Set<String> BINARY = Set.of("Add", "Sub", "Mul", "Div", "Max", "Min", "Pow");

    private OpInstances() {}

    /** Adds one node of {@code op} for the pattern node {@code name}; returns its (first) output. */
    static Value emit(InstanceGenerator g, String op, String name, List<Slot> slots, Map<String, Object> literals) {
        if (UNARY.contains(op)) {
            return unary(g, op, name, slots, literals);
        }
        if (BINARY.contains(op)) {
            return binary(g, op, name, slots, literals);
        }
        return switch (op) {
            case "Conv" -> conv(g, name, slots, literals, false);
            case "ConvTranspose" -> conv(g, name, slots, literals, true);
            case "BatchNormalization" -> batchNorm(g, name, slots, literals);
            case "Transpose" -> transpose(g, name, slots, literals);
            case "Dropout" -> dropout(g, name, slots, literals);
            case "Gemm" -> gemm(g, name, slots, literals);
            case "QuantizeLinear" -> quantizeLinear(g, name, slots, literals);
            case "DequantizeLinear" -> dequantizeLinear(g, name, slots, literals);
            case "Clip" -> clip(g, name, slots, literals);
            case "Cast" -> ShapeOpInstances.cast(g, name, slots, literals);
            case "Reshape" -> ShapeOpInstances.reshape(g, name, slots, literals);
            case "Concat" -> ShapeOpInstances.concat(g, name, slots, literals);
            case "Resize" -> ShapeOpInstances.resize(g, name, slots, literals);
            case "Slice" -> ShapeOpInstances.slice(g, name, slots, literals);
            case "Expand" -> ShapeOpInstances.expand(g, name, slots, literals);
            case "Squeeze" -> ShapeOpInstances.squeeze(g, name, slots, literals);
            case "Unsqueeze" -> ShapeOpInstances.unsqueeze(g, name, slots, literals);
            case "ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum" -> ShapeOpInstances.reduce(g, op, name, slots, literals);
            case "MatMul" -> MatrixPoolOpInstances.matMul(g, name, slots, literals);
            // a Pad a conv or pool reads pads spatial dims (Pad-into-Conv/pool); any other, any dims (no-op Pad)
            case "Pad" -> g.readerOps().stream().anyMatch(MatrixPoolOpInstances.POOLS_AND_CONV::contains)
                    ? MatrixPoolOpInstances.pad(g, name, slots, literals) : ShapeOpInstances.pad(g, name, slots, literals);
            case "AveragePool" -> MatrixPoolOpInstances.pool(g, "AveragePool", name, slots, literals);
            case "MaxPool" -> MatrixPoolOpInstances.pool(g, "MaxPool", name, slots, literals);
            case "ArgMax" -> MatrixPoolOpInstances.argMinMax(g, "ArgMax", name, slots, literals);
            case "ArgMin" -> MatrixPoolOpInstances.argMinMax(g, "ArgMin", name, slots, literals);
            case "Softmax" -> MatrixPoolOpInstances.softmax(g, "Softmax", name, slots, literals);
            case "LogSoftmax" -> MatrixPoolOpInstances.softmax(g, "LogSoftmax", name, slots, literals);
            case "Log" -> MatrixPoolOpInstances.positiveUnary(g, "Log", name, slots, literals);
            case "Sqrt" -> MatrixPoolOpInstances.positiveUnary(g, "Sqrt", name, slots, literals);
            default -> byShapeInference(g, op, name, slots, literals);
        };
    }

    /**
     * Any other op of the schema table: float data of one drawn shape at every input (the aimed or
     * broadcastable shape for a constant the checks name; booleans for the logical ops and Where's
     * condition, in-range indices for Gather), the pattern's attribute values, and the
     * output shape from shape inference. An op inference cannot type, or onnxruntime then refuses,
     * is not covered or skipped, never guessed.
     */
    private static Value byShapeInference(InstanceGenerator g, String op, String name, List<Slot> slots,
                                          Map<String, Object> literals) {
        var schema = org.onnx2trt.dsl.schema.OpSchemas.builtin().find(op, g.opset());
        if (schema.isEmpty() || schema.get().outputs().isEmpty()) {
            throw new UnsupportedPattern("no instance generator for op `" + op + "`, and no schema of it at opset " + g.opset()
                    + " (covered by hand: Conv, ConvTranspose, BatchNormalization, Gemm, Clip, Transpose, Dropout, "
                    + MatrixPoolOpInstances.COVERED + ", Pad, Cast, Reshape, Slice, Expand, Squeeze, Unsqueeze,"
                    + " ReduceMean/Max/Min/Sum, " + String.join(", ", sorted(UNARY)) + ", " + String.join(", ", sorted(BINARY)) + ")");
        }
        arity(op, slots, schema.get().maxInputs());
        List<String> names = schema.get().inputs().stream().map(p -> p.name()).toList();
        Value x = BOOL_INPUTS.contains(op + "." + names.get(0)) && slots.get(0).isFree()
                ? g.data(slots.get(0), dataShape(g, 1, 4), DataType.BOOL) : input0(g, slots.get(0), 1, 4);
        List<Value> inputs = new ArrayList<>(List.of(x));
        for (int i = 1; i < slots.size(); i++) {
            Slot s = slots.get(i);
            String input = op + "." + names.get(Math.min(i, names.size() - 1));
            long[] aimed = g.aimedShape(s, g.shapeOf(x));
            if (INDEX_INPUTS.contains(input)) {
                inputs.add(indices(g, s, op, g.shapeOf(x), literals));
            } else if (BOOL_INPUTS.contains(input)) {
                inputs.add(g.data(s, broadcastable(g, g.shapeOf(x)), DataType.BOOL));
            } else {
                inputs.add(s.isFree() && s.variable() == null ? g.data(s, g.shapeOf(x).clone())
                        : g.weight(s, aimed != null ? aimed : broadcastable(g, g.shapeOf(x)), Dist.NORMAL));
            }
        }
        GraphBuilder.Op node = g.b.op(op, inputs.toArray(Value[]::new));
        literals.forEach((k, v) -> setAttr(node, k, v));
        Value out = finish(g, node, name, g.shapeOf(x));
        org.onnx2trt.ir.Model copy = org.onnx2trt.ir.Model.fromProto(g.b.build(g.opset()).toProto());
        org.onnx2trt.shape.ShapeInference.annotate(copy);
        Value inferred = copy.graph().lookup(out.name());
        List<org.onnx2trt.ir.Types.Dim> dims = inferred == null ? null : org.onnx2trt.ir.Types.shape(inferred.type());
        if (dims == null || dims.stream().anyMatch(d -> !d.isKnown())) {
            throw new UnsupportedPattern("no instance generator for op `" + op + "`, and shape inference cannot give its"
                    + " output shape");
        }
        DataType dtype = DataType.fromCode(org.onnx2trt.ir.Types.elemType(inferred.type())).orElse(DataType.FLOAT);
        g.recordShape(out, dims.stream().mapToLong(org.onnx2trt.ir.Types.Dim::value).toArray(), dtype);
        return out;
    }

    /** Inputs (op.input, as the schema names them) that take booleans: the logical ops' and Where's condition. */
    private static final Set<String> BOOL_INPUTS = Set.of("And.A", "And.B", "Or.A", "Or.B", "Xor.A", "Xor.B", "Not.X",
            "Where.condition");
    /** Inputs that take int64 indices into their data's axis: Gather's and GatherElements'. */
    private static final Set<String> INDEX_INPUTS = Set.of("Gather.indices", "GatherElements.indices");

    /**
     * Constant indices into {@code data} along the op's axis (its attribute, else 0), each in
     * [−d, d) for Gather (negative ones count from the end) and [0, d) for GatherElements, whose
     * indices have the data's rank with dims no larger than the data's.
     */
    private static Value indices(InstanceGenerator g, Slot s, String op, long[] data, Map<String, Object> literals) {
        if (data.length == 0) {
            throw new UnsupportedInstance(op + " of a scalar");
        }
        int axis = (int) Math.floorMod(literals.get("axis") instanceof Number a ? a.longValue() : 0L, data.length);
        long d = data[axis];
        boolean elements = op.equals("GatherElements");
        long[] dims = elements ? data.clone() : new long[] {g.c.size(1, 3)};
        if (elements) {
            dims[axis] = g.c.size(1, (int) d);
        }
        long[] values = new long[Math.toIntExact(Tensor.elementCount(dims))];
        for (int i = 0; i < values.length; i++) {
            values[i] = elements ? g.c.size(0, (int) d - 1) : g.c.size((int) -d, (int) d - 1);
        }
        return g.constant(s, Tensor.ofLongs("indices", dims, values));
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    static void arity(String op, List<Slot> slots, int max) {
        if (slots.size() > max) {
            throw new UnsupportedPattern("`" + op + "` takes at most " + max + " inputs, the pattern names " + slots.size());
        }
    }

    /** A data shape: rank in [lo, hi], dims 1–4 (5 now and then: odd sizes). */
    private static long[] dataShape(InstanceGenerator g, int lo, int hi) {
        long[] dims = new long[g.c.draw(2) == 0 ? hi : g.c.size(lo, hi)]; // rank hi (NCHW) half the time
        for (int i = 0; i < dims.length; i++) {
            dims[i] = g.c.size(1, 5);
        }
        return dims;
    }

    /** The data input at slot 0; a matrix when a Gemm or MatMul of the pattern reads the node. */
    static Value input0(InstanceGenerator g, Slot s, int lo, int hi) {
        boolean matrix = g.readerOps().contains("Gemm") || g.readerOps().contains("MatMul");
        if (s.isFree() && g.isAimed() && hi >= 4 && g.downstreamOps().stream().anyMatch(POOLS_AND_CONVS::contains)) {
            return imageInput(g, "data", s, 4); // a Conv or pool further down reads [N, C, H, W]
        }
        return s.isFree() ? g.data(s, matrix && lo <= 2 && hi >= 2 ? dataShape(g, 2, 2) : dataShape(g, lo, hi)) : s.known();
    }

    /** {@link #input0} of rank 1 to 4, refusing a known scalar (ops with an axis). */
    static Value nonScalarInput(InstanceGenerator g, String op, Slot s) {
        Value x = input0(g, s, 1, 4);
        if (g.shapeOf(x).length == 0) {
            throw new UnsupportedInstance(op + " of a scalar");
        }
        return x;
    }

    /** An [N, C, H, W] input (N ≤ 2, C ≤ {@code maxChannels}, H and W ≤ 6) at a free slot; a known one needs rank ≥ 3. */
    /**
     * QuantizeLinear(x, s, z): float data, a positive per-tensor scale of about 1/40 of the data's
     * spread (so most values land inside int8 and a few saturate), an int8 zero point near 0.
     */
    private static Value quantizeLinear(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        arity("QuantizeLinear", slots, 3);
        if (slots.get(0).isFree() && g.constantChecked(slots.get(0))) {
            return quantizedWeight(g, name, slots, literals);
        }
        boolean matrixBelow = g.downstreamOps().contains("Gemm") && !g.downstreamOps().contains("Flatten")
                && !g.downstreamOps().contains("Reshape"); // a quantized Gemm input: a matrix
        Value x = matrixBelow && slots.get(0).isFree() ? g.data(slots.get(0), dataShape(g, 2, 2)) : input0(g, slots.get(0), 1, 4);
        Value scale = g.constant(slots.size() > 1 ? slots.get(1) : new Slot(null, false, null),
                Tensor.ofFloats("s", new long[0], g.c.pick(0.02f, 0.05f, 0.1f)));
        List<Value> inputs = new ArrayList<>(List.of(x, scale));
        if (slots.size() > 2 && g.present(slots.get(2))) {
            inputs.add(g.constant(slots.get(2), int8Scalar("z", g.c.pick(0, 0, -3, 5))));
        }
        GraphBuilder.Op node = g.b.op("QuantizeLinear", inputs.toArray(Value[]::new));
        literals.forEach((k, v) -> setAttr(node, k, v));
        return finish(g, node, name, g.shapeOf(x), inputs.size() > 2 ? DataType.INT8 : DataType.UINT8);
    }

    /**
     * QuantizeLinear(W, s, z) of a constant the checks ask for (a QAT weight): W shaped as a Conv weight
     * [C_out, C_in, k, k] when a Conv reads it further down, else of rank 1 to 4; per output channel
     * (axis 0, s[c] = max|W[c]| / 127) half the time, else one scale; zero point int8 0.
     */
    private static Value quantizedWeight(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        long[] wd = g.downstreamOps().contains("Conv") ? convWeightDims(g)
                : g.downstreamOps().contains("Gemm") // [N, K] for Gemm(A, W^T): K fits the data made last
                ? new long[] {g.size(4), g.lastDataDims != null ? g.lastDataDims[g.lastDataDims.length - 1] : g.size(4)}
                : dataShape(g, 1, 4);
        Value w = g.weight(slots.get(0), wd, Dist.NORMAL);
        WeightQdq q = weightQdq(g, "QuantizeLinear", w, wd, slots, literals);
        return finish(g, q.node(), name, wd, q.zeroPoint() ? DataType.INT8 : DataType.UINT8);
    }

    /** A Conv weight [C_out, C_in, k, k] whose C_in fits the image data made last (when there is one). */
    private static long[] convWeightDims(InstanceGenerator g) {
        return new long[] {g.size(4), g.lastImageChannels > 0 ? g.lastImageChannels : g.size(4), g.c.size(1, 3), g.c.size(1, 3)};
    }

    /** A weight's QuantizeLinear or DequantizeLinear, and whether it was given a zero point (int8) or not (uint8). */
    private record WeightQdq(GraphBuilder.Op node, boolean zeroPoint) {}

    /**
     * {@code op}(data, s, z) for a weight of {@code dims}: s per slice along the axis the pattern gives (0 when it
     * gives none) half the time, else one scale; z int8 0 of s's shape, when the pattern has a zero point.
     */
    private static WeightQdq weightQdq(InstanceGenerator g, String op, Value data, long[] dims, List<Slot> slots,
                                       Map<String, Object> literals) {
        long axis = literals.get("axis") instanceof Number n ? n.longValue() : 0;
        boolean perChannel = g.c.draw(2) == 1 && axis >= 0 && axis < dims.length;
        Tensor scale = perChannel ? channelScales(g, dims, (int) axis) : Tensor.ofFloats("s", new long[0], g.c.pick(0.02f, 0.05f));
        Value s = g.constant(slots.size() > 1 ? slots.get(1) : new Slot(null, false, null), scale);
        List<Value> inputs = new ArrayList<>(List.of(data, s));
        if (slots.size() > 2 && g.present(slots.get(2))) {
            long[] zd = scale.dims();
            inputs.add(g.constant(slots.get(2), Tensor.of("z", DataType.INT8, zd,
                    java.nio.ByteBuffer.wrap(new byte[Math.toIntExact(Tensor.elementCount(zd))]))));
        }
        GraphBuilder.Op node = g.b.op(op, inputs.toArray(Value[]::new));
        literals.forEach((k, v) -> setAttr(node, k, v));
        if (perChannel) {
            node.attr("axis", axis);
        }
        return new WeightQdq(node, inputs.size() > 2);
    }

    /** One scale per slice along {@code axis} of a weight of {@code dims}: about 1/40 of a normal weight's spread, varied. */
    private static Tensor channelScales(InstanceGenerator g, long[] dims, int axis) {
        float[] s = new float[Math.toIntExact(dims[axis])];
        for (int i = 0; i < s.length; i++) {
            s[i] = g.c.pick(0.01f, 0.02f, 0.05f);
        }
        return Tensor.ofFloats("s", new long[] {s.length}, s);
    }

    /**
     * DequantizeLinear(q, s, z): int8 data made by quantizing float data (the instance's inputs stay
     * float), a positive per-tensor scale, an int8 zero point; the one scale and zero point both ways.
     */
    private static Value dequantizeLinear(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        arity("DequantizeLinear", slots, 3);
        Slot qs = slots.get(0);
        if (qs.isFree() && g.constantChecked(qs)) {
            return dequantizedWeight(g, name, slots, literals);
        }
        Value scale = g.constant(slots.size() > 1 ? slots.get(1) : new Slot(null, false, null),
                Tensor.ofFloats("s", new long[0], g.c.pick(0.02f, 0.05f, 0.1f)));
        Value zero = slots.size() > 2 && g.present(slots.get(2))
                ? g.constant(slots.get(2), int8Scalar("z", g.c.pick(0, 0, -3, 5))) : null;
        Value q;
        if (qs.isFree()) {
            Value x = input0(g, new Slot(null, false, null), 1, 4);
            q = g.b.op("QuantizeLinear", zero == null ? new Value[] {x, scale} : new Value[] {x, scale, zero}).out();
            g.recordShape(q, g.shapeOf(x), zero == null ? DataType.UINT8 : DataType.INT8);
            q = g.bindFree(qs, q);
        } else {
            q = qs.known();
        }
        GraphBuilder.Op node = g.b.op("DequantizeLinear", zero == null ? new Value[] {q, scale} : new Value[] {q, scale, zero});
        // a per-channel scale shared with the QuantizeLinear that made q runs along that node's axis
        if (q.producer() != null && "QuantizeLinear".equals(q.producer().opType()) && q.producer().hasAttribute("axis")
                && !literals.containsKey("axis")) {
            node.attr("axis", q.producer().attribute("axis").asInt());
        }
        literals.forEach((k, v) -> setAttr(node, k, v));
        return finish(g, node, name, g.shapeOf(q));
    }

    /**
     * DequantizeLinear(q, s, z) of an int8 constant the checks ask for (a weight stored quantized): q
     * shaped as a Conv weight when a Conv reads it, per output channel (axis 0) half the time.
     */
    private static Value dequantizedWeight(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        long[] wd = g.downstreamOps().contains("Conv") || g.readerOps().contains("Conv") ? convWeightDims(g) : dataShape(g, 1, 4);
        byte[] ints = new byte[Math.toIntExact(Tensor.elementCount(wd))];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = (byte) (g.c.rarely(20) ? (int) g.c.pick(-128, 127) : g.c.draw(255) - 127);
        }
        Value q = g.constant(slots.get(0), Tensor.of("q", DataType.INT8, wd, java.nio.ByteBuffer.wrap(ints)));
        return finish(g, weightQdq(g, "DequantizeLinear", q, wd, slots, literals).node(), name, wd);
    }

    static Tensor int8Scalar(String name, int value) {
        return Tensor.of(name, DataType.INT8, new long[0], java.nio.ByteBuffer.wrap(new byte[] {(byte) value}));
    }

    static Value imageInput(InstanceGenerator g, String op, Slot s, int maxChannels) {
        Value x = s.isFree() ? g.data(s, new long[] {g.c.size(1, 2), g.size(maxChannels), g.c.size(1, 6), g.c.size(1, 6)})
                : s.known();
        if (g.shapeOf(x).length == 4) {
            g.lastImageChannels = g.shapeOf(x)[1]; // a weight made later for a Conv of this data fits it
        }
        if (g.shapeOf(x).length < 3) {
            throw new UnsupportedInstance(op + " input of rank " + g.shapeOf(x).length);
        }
        return x;
    }

    static Value finish(InstanceGenerator g, GraphBuilder.Op node, String name, long[] dims) {
        return finish(g, node, name, dims, DataType.FLOAT);
    }

    /** Names the node's output and records its shape and type. */
    static Value finish(InstanceGenerator g, GraphBuilder.Op node, String name, long[] dims, DataType dtype) {
        Value out = node.name(g.b.graph().freshName(name)).out();
        g.recordShape(out, dims, dtype);
        return out;
    }

    private static Value unary(InstanceGenerator g, String op, String name, List<Slot> slots, Map<String, Object> literals) {
        arity(op, slots, 1);
        Value x = input0(g, slots.get(0), 1, 4);
        GraphBuilder.Op node = g.b.op(op, x);
        if (op.equals("LeakyRelu") && !literals.containsKey("alpha")) {
            node.attr("alpha", g.c.pick(0.01f, 0.2f, 3f));
        }
        literals.forEach((k, v) -> setAttr(node, k, v));
        return finish(g, node, name, g.shapeOf(x));
    }

    private static Value binary(InstanceGenerator g, String op, String name, List<Slot> slots, Map<String, Object> literals) {
        arity(op, slots, 2);
        Slot a = slots.get(0);
        Slot bSlot = slots.get(1);
        Dist dist = op.equals("Div") ? Dist.NONZERO : Dist.NORMAL;
        Value av;
        Value bv;
        if (a.isFree() && !bSlot.isFree()) {
            bv = bSlot.known();
            long[] aimed = g.aimedShape(a, g.shapeOf(bv));
            av = g.weight(a, aimed != null ? aimed : broadcastable(g, g.shapeOf(bv)), dist);
        } else if (g.aimedProducer(a) != null || g.aimedProducer(bSlot) != null) {
            // producer(v) == "Conv" (a residual sum): both operands data of one [N, C, H, W] shape
            av = a.isFree() ? g.data(a, new long[] {g.c.size(1, 2), g.c.size(1, 4), g.c.size(1, 5), g.c.size(1, 5)})
                    : a.known();
            bv = bSlot.isFree() ? g.data(bSlot, g.shapeOf(av).clone()) : bSlot.known();
        } else {
            av = input0(g, a, 1, 4);
            long[] aimed = g.aimedShape(bSlot, g.shapeOf(av));
            bv = g.weight(bSlot, aimed != null ? aimed : broadcastable(g, g.shapeOf(av)), dist);
        }
        if (!broadcasts(g.shapeOf(av), g.shapeOf(bv))) {
            throw new UnsupportedInstance(op + " of shapes that do not broadcast");
        }
        GraphBuilder.Op node = g.b.op(op, av, bv);
        literals.forEach((k, v) -> setAttr(node, k, v));
        return finish(g, node, name, broadcast(g.shapeOf(av), g.shapeOf(bv)));
    }

    /**
     * A shape that broadcasts against {@code base}: the same, a scalar, [1], and for rank ≥ 2 every
     * per-channel form a rule must tell apart: [C, 1, ...] (rank − 1), [1, C, 1, ...] (full rank), and
     * the 1-D vectors [C] and [last dim], which numpy aligns with the last axis, not the channels (a
     * rule that takes [C] for per-channel is wrong exactly when the last dim equals C, or C is 1).
     */
    private static long[] broadcastable(InstanceGenerator g, long[] base) {
        int kind = g.c.draw(base.length >= 2 ? 7 : 3);
        int rank = base.length;
        return switch (kind) {
            case 0 -> base.clone();
            case 1 -> new long[0];
            case 2 -> new long[] {1};
            case 3 -> {
                long[] d = ones(rank - 1);
                d[0] = base[1];
                yield d;
            }
            case 4 -> {
                long[] d = ones(rank);
                d[1] = base[1];
                yield d;
            }
            case 5 -> base[rank - 1] == base[1] || base[rank - 1] == 1 ? new long[] {base[1]} : new long[] {base[rank - 1]};
            default -> new long[] {base[rank - 1]};
        };
    }

    private static long[] ones(int n) {
        long[] d = new long[n];
        java.util.Arrays.fill(d, 1);
        return d;
    }

    /**
     * Clip(x, lo, hi): scalar bounds, inputs from opset 11 (an optional last one left out now and
     * then), attributes before; either bound may exceed the other (Clip then gives hi everywhere).
     */
    private static Value clip(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        arity("Clip", slots, 3);
        Value x = input0(g, slots.get(0), 1, 4);
        GraphBuilder.Op node;
        if (g.takesAsInput("Clip", "min")) {
            List<Value> in = new ArrayList<>(List.of(x));
            for (int i = 1; i < slots.size(); i++) {
                Slot s = slots.get(i);
                if (i == slots.size() - 1 && s.optional() && s.isFree() && g.c.rarely(4)) {
                    break; // the last bound left out: unbounded on that side
                }
                in.add(g.weight(s, new long[0], Dist.NORMAL));
            }
            node = g.b.op("Clip", in.toArray(Value[]::new));
        } else {
            float[] bounds = g.values(new long[] {2}, Dist.NORMAL);
            node = g.b.op("Clip", x).attr("min", Math.min(bounds[0], bounds[1])).attr("max", Math.max(bounds[0], bounds[1]));
        }
        literals.forEach((k, v) -> setAttr(node, k, v));
        return finish(g, node, name, g.shapeOf(x));
    }

    private static boolean broadcasts(long[] a, long[] b) {
        for (int i = 1; i <= Math.min(a.length, b.length); i++) {
            long x = a[a.length - i];
            long y = b[b.length - i];
            if (x != y && x != 1 && y != 1) {
                return false;
            }
        }
        return true;
    }

    /** numpy broadcasting of two shapes that broadcast. */
    static long[] broadcast(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /**
     * Conv: x [N, C, spatial...], W [M, C/group, k...]; ConvTranspose: W [C, M/group, k...]. Groups
     * (1 or depthwise), kernel 1–3, stride 1–2, dilation 1–2, pads 0–1 per side, chosen so that
     * every output dim is at least 1.
     */
    private static Value conv(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals,
                              boolean transposed) {
        String op = transposed ? "ConvTranspose" : "Conv";
        arity(op, slots, 3);
        // A weight the pattern made (a QAT weight behind its DequantizeLinear) fixes the channels and
        // the kernel; the input is fitted to it.
        long[] givenWeight = slots.size() > 1 && !slots.get(1).isFree() && !transposed ? g.shapeOf(slots.get(1).known()) : null;
        if (givenWeight != null && givenWeight.length != 4) {
            throw new UnsupportedInstance(op + " with a weight of rank " + givenWeight.length);
        }
        Value x = givenWeight != null && slots.get(0).isFree()
                ? g.data(slots.get(0), new long[] {g.c.size(1, 2), givenWeight[1], g.c.size(3, 6), g.c.size(3, 6)})
                : imageInput(g, op, slots.get(0), 4);
        long[] xd = g.shapeOf(x);
        int spatial = xd.length - 2;
        long channels = xd[1];
        if (givenWeight != null) {
            if (xd.length != 4 || channels != givenWeight[1]) {
                throw new UnsupportedInstance(op + ": the input's channels do not fit the given weight");
            }
            literals.putIfAbsent("group", 1L);
            literals.putIfAbsent("kernel_shape", List.of(givenWeight[2], givenWeight[3]));
        }
        // Parallel branches (RepVGG) and residual sums need convs that agree: half the time a conv
        // repeats the previous conv's output channels, groups and strides; branches summed by an Add
        // in an aimed instance always do, pad "same" (odd kernel, no dilation), and the first such
        // conv keeps C channels at stride 1, so that a residual x + Conv(x) adds up.
        long[] previous = g.previousConv();
        boolean same = g.isAimed() && g.readerOps().contains("Add");
        boolean repeat = previous != null && previous.length == 2 + spatial && (same || g.c.draw(2) == 0);
        long group = literals.containsKey("group") ? ((Number) literals.get("group")).longValue()
                : repeat && channels % previous[1] == 0 ? previous[1]
                : same || !(channels > 1 && g.c.rarely(25)) ? 1 : channels;
        if (channels % group != 0) {
            throw new UnsupportedPattern(op + " with group " + group + " on " + channels + " channels");
        }
        long outChannels = givenWeight != null ? givenWeight[0] : repeat && previous[0] % group == 0 ? previous[0]
                : (same || g.c.rarely(30)) && channels % group == 0 ? channels : group == 1 ? g.size(4) : group * g.c.size(1, 2);
        long[] kernel = new long[spatial];
        long[] strides = new long[spatial];
        long[] dilations = new long[spatial];
        long[] pads = new long[2 * spatial];
        long[] outDims = new long[xd.length];
        outDims[0] = xd[0];
        outDims[1] = outChannels;
        boolean padded = g.c.draw(2) == 1;
        for (int i = 0; i < spatial; i++) {
            kernel[i] = same ? 2 * g.c.size(0, 1) + 1 : g.c.size(1, 3);
            strides[i] = repeat ? previous[2 + i] : !same && g.c.rarely(40) ? 2 : 1;
            dilations[i] = same ? 1 : g.c.rarely(30) ? 2 : 1;
            pads[i] = same ? kernel[i] / 2 : padded ? g.c.size(0, 1) : 0;
            pads[i + spatial] = same ? kernel[i] / 2 : padded ? g.c.size(0, 1) : 0;
        }
        // Attribute values the pattern requires win over the drawn ones; sizes are fitted around them.
        applyLiterals(literals, "pads", pads, "strides", strides, "dilations", dilations, "kernel_shape", kernel);
        if (same && !literals.containsKey("pads")) { // "same" for the kernel the pattern gives (1×1: none)
            for (int i = 0; i < spatial; i++) {
                pads[i] = kernel[i] % 2 == 1 ? kernel[i] / 2 : pads[i];
                pads[i + spatial] = pads[i];
            }
        }
        for (int i = 0; i < spatial; i++) {
            long in = xd[2 + i];
            long effective = (kernel[i] - 1) * dilations[i] + 1;
            if (!transposed) {
                if (effective > in + pads[i] + pads[i + spatial] && !literals.containsKey("dilations")) {
                    dilations[i] = 1;
                    effective = kernel[i];
                }
                if (effective > in + pads[i] + pads[i + spatial]) {
                    if (literals.containsKey("kernel_shape") || literals.containsKey("dilations")) {
                        throw new UnsupportedInstance(op + ": kernel " + kernel[i] + " does not fit input size " + in);
                    }
                    kernel[i] = Math.min(kernel[i], in + pads[i] + pads[i + spatial]);
                    effective = kernel[i];
                }
                outDims[2 + i] = (in + pads[i] + pads[i + spatial] - effective) / strides[i] + 1;
            } else {
                long out = strides[i] * (in - 1) + effective - pads[i] - pads[i + spatial];
                if (out < 1) {
                    pads[i] = 0;
                    pads[i + spatial] = 0;
                    out = strides[i] * (in - 1) + effective;
                }
                outDims[2 + i] = out;
            }
        }
        long[] memory = new long[2 + spatial];
        memory[0] = outChannels;
        memory[1] = group;
        System.arraycopy(strides, 0, memory, 2, spatial);
        g.rememberConv(memory);
        long[] wd = new long[xd.length];
        wd[0] = transposed ? channels : outChannels;
        wd[1] = transposed ? outChannels / group : channels / group;
        System.arraycopy(kernel, 0, wd, 2, spatial);
        Value w = g.weight(slots.size() > 1 ? slots.get(1) : new Slot(null, false, null), wd, Dist.NORMAL);
        List<Value> inputs = new ArrayList<>(List.of(x, w));
        if (slots.size() > 2 && g.present(slots.get(2))) {
            inputs.add(g.weight(slots.get(2), new long[] {outChannels}, Dist.NORMAL));
        }
        GraphBuilder.Op node = g.b.op(op, inputs.toArray(Value[]::new));
        if (g.c.draw(2) == 1 || literals.containsKey("kernel_shape")) {
            node.attr("kernel_shape", kernel);
        }
        if (anyAbove(strides, 1) || literals.containsKey("strides")) {
            node.attr("strides", strides);
        }
        if (anyAbove(dilations, 1) || literals.containsKey("dilations")) {
            node.attr("dilations", dilations);
        }
        if (anyAbove(pads, 0) || literals.containsKey("pads")) {
            node.attr("pads", pads);
        }
        if (group != 1 || literals.containsKey("group")) {
            node.attr("group", group);
        }
        literals.forEach((k, v) -> {
            if (!Set.of("group", "pads", "strides", "dilations", "kernel_shape").contains(k)) {
                setAttr(node, k, v);
            }
        });
        return finish(g, node, name, outDims);
    }

    private static void applyLiterals(Map<String, Object> literals, Object... namesAndArrays) {
        for (int i = 0; i < namesAndArrays.length; i += 2) {
            Object v = literals.get((String) namesAndArrays[i]);
            if (v instanceof Number n) { // one value for every element (what `allZero(pads)` asks)
                java.util.Arrays.fill((long[]) namesAndArrays[i + 1], n.longValue());
            } else if (v instanceof List<?> l) {
                long[] target = (long[]) namesAndArrays[i + 1];
                if (l.size() != target.length) {
                    throw new UnsupportedPattern("literal " + namesAndArrays[i] + " " + l + " for rank " + target.length);
                }
                for (int k = 0; k < target.length; k++) {
                    target[k] = ((Number) l.get(k)).longValue();
                }
            }
        }
    }

    static boolean anyAbove(long[] v, long limit) {
        for (long x : v) {
            if (x > limit) {
                return true;
            }
        }
        return false;
    }

    /** BatchNormalization(x, γ, β, μ, σ²): [C] statistics, σ² ≥ 0 with tiny and zero cases, ε varied. */
    private static Value batchNorm(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        arity("BatchNormalization", slots, 5);
        Slot xs = slots.get(0);
        Value x = xs.isFree() ? g.data(xs, new long[] {g.c.size(1, 2), g.c.size(1, 4), g.c.size(1, 6), g.c.size(1, 6)})
                : xs.known();
        long[] xd = g.shapeOf(x);
        if (xd.length < 2) {
            throw new UnsupportedInstance("BatchNormalization input of rank " + xd.length);
        }
        long[] c = {xd[1]};
        Dist[] dists = {Dist.NORMAL, Dist.NORMAL, Dist.NORMAL, Dist.VARIANCE};
        List<Value> inputs = new ArrayList<>(List.of(x));
        for (int i = 1; i <= 4; i++) {
            inputs.add(g.weight(i < slots.size() ? slots.get(i) : new Slot(null, false, null), c, dists[i - 1]));
        }
        GraphBuilder.Op node = g.b.op("BatchNormalization", inputs.toArray(Value[]::new));
        if (!literals.containsKey("epsilon")) {
            Float eps = g.c.pick(null, 1e-5f, 1e-3f, 0.1f);
            if (eps != null) {
                node.attr("epsilon", eps);
            }
        }
        literals.forEach((k, v) -> setAttr(node, k, v));
        return finish(g, node, name, xd);
    }

    /**
     * Gemm(A, B, C?): A [M, K] (or [K, M] with transA), B [K, N] (or [N, K] with transB), C absent,
     * [N], [1, N], [M, N] or a scalar; alpha and beta 1 or not.
     */
    private static Value gemm(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        arity("Gemm", slots, 3);
        long transA = literals.containsKey("transA") ? ((Number) literals.get("transA")).longValue() : g.c.rarely(15) ? 1 : 0;
        long transB = literals.containsKey("transB") ? ((Number) literals.get("transB")).longValue() : g.c.draw(2);
        Slot as = slots.get(0);
        Slot bs = slots.size() > 1 ? slots.get(1) : new Slot(null, false, null);
        long[] known = bs.isFree() ? null : g.shapeOf(bs.known()); // B made by the pattern (a Transpose): A fits it
        if (known != null && known.length != 2) {
            throw new UnsupportedInstance("Gemm input B of rank " + known.length);
        }
        long kb = known == null ? g.size(5) : transB == 1 ? known[1] : known[0];
        Value a = as.isFree() ? g.data(as, transA == 1 ? new long[] {kb, g.c.size(1, 4)} : new long[] {g.c.size(1, 4), kb})
                : as.known();
        long[] ad = g.shapeOf(a);
        if (ad.length != 2) {
            throw new UnsupportedInstance("Gemm input of rank " + ad.length);
        }
        long m = transA == 1 ? ad[1] : ad[0];
        long k = transA == 1 ? ad[0] : ad[1];
        long n = known == null ? g.size(5) : transB == 1 ? known[0] : known[1];
        if (known != null && k != kb) {
            throw new UnsupportedInstance("Gemm of a [" + m + ", " + k + "] and a " + java.util.Arrays.toString(known) + " matrix");
        }
        Value b = g.weight(bs, transB == 1 ? new long[] {n, k} : new long[] {k, n}, Dist.NORMAL);
        List<Value> inputs = new ArrayList<>(List.of(a, b));
        if (slots.size() > 2 && g.present(slots.get(2))) {
            long[] cd = g.c.pick(new long[] {n}, new long[] {1, n}, new long[] {m, n}, new long[0]);
            inputs.add(g.weight(slots.get(2), cd, Dist.NORMAL));
        }
        GraphBuilder.Op node = g.b.op("Gemm", inputs.toArray(Value[]::new));
        if (transA == 1 || literals.containsKey("transA")) {
            node.attr("transA", transA);
        }
        if (transB == 1 || literals.containsKey("transB")) {
            node.attr("transB", transB);
        }
        for (String attr : new String[] {"alpha", "beta"}) {
            if (!literals.containsKey(attr) && g.c.rarely(30)) {
                node.attr(attr, g.c.pick(0.5f, 2f, -1f));
            }
        }
        literals.forEach((key, v) -> {
            if ((key.equals("alpha") || key.equals("beta")) && v instanceof Number f) {
                node.attr(key, f.floatValue()); // float attributes, whatever the literal's type (allClose(beta, 1))
            } else if (!key.equals("transA") && !key.equals("transB")) {
                setAttr(node, key, v);
            }
        });
        return finish(g, node, name, new long[] {m, n});
    }

    /** Transpose: a random permutation (the identity first), now and then none (reverse). */
    private static Value transpose(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        arity("Transpose", slots, 1);
        int given = literals.get("perm") instanceof List<?> l ? l.size() : 0; // a pattern's perm fixes the rank
        Value x = given > 0 ? input0(g, slots.get(0), given, given) : input0(g, slots.get(0), 1, 4);
        long[] xd = g.shapeOf(x);
        long[] perm = new long[xd.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        for (int i = perm.length - 1; i > 0; i--) { // Fisher–Yates; all-zero draws keep the identity
            int j = i - g.c.draw(i + 1);
            long t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        if (literals.get("perm") == Aims.IDENTITY) { // what `gather(p, p) == p` asks
            for (int i = 0; i < perm.length; i++) {
                perm[i] = i;
            }
        } else {
            applyLiterals(literals, "perm", perm);
        }
        boolean omit = !literals.containsKey("perm") && g.c.rarely(10);
        if (omit) {
            for (int i = 0; i < perm.length; i++) {
                perm[i] = perm.length - 1 - i;
            }
        }
        GraphBuilder.Op node = g.b.op("Transpose", x);
        if (!omit) {
            node.attr("perm", perm);
        }
        long[] out = new long[xd.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = xd[(int) perm[i]];
        }
        return finish(g, node, name, out);
    }

    /** Dropout(x, ratio?, training_mode?) for inference: ratio 0.5 or absent, training_mode false or absent. */
    private static Value dropout(InstanceGenerator g, String name, List<Slot> slots, Map<String, Object> literals) {
        arity("Dropout", slots, 3);
        Value x = input0(g, slots.get(0), 1, 4);
        List<Value> inputs = new ArrayList<>(List.of(x));
        if (slots.size() > 1 && g.present(slots.get(1))) {
            inputs.add(g.constant(slots.get(1), Tensor.ofFloats("ratio", new long[0], 0.5f)));
            if (slots.size() > 2 && g.present(slots.get(2))) {
                Tensor f = Tensor.zeros("training_mode", DataType.BOOL);
                inputs.add(g.constant(slots.get(2), f));
            }
        }
        GraphBuilder.Op node = g.b.op("Dropout", inputs.toArray(Value[]::new));
        literals.forEach((k, v) -> setAttr(node, k, v));
        return finish(g, node, name, g.shapeOf(x));
    }

    static void setAttr(GraphBuilder.Op node, String key, Object v) {
        if (v instanceof Long l) {
            node.attr(key, (long) l);
        } else if (v instanceof Double d) {
            node.attr(key, (float) (double) d);
        } else if (v instanceof String s) {
            node.attr(key, s);
        } else if (v instanceof List<?> l) {
            node.attr(key, l.stream().mapToLong(o -> ((Number) o).longValue()).toArray());
        }
    }
}
