package org.onnx2trt.verify.property;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.dsl.ast.AttrPattern;
import org.onnx2trt.dsl.ast.Check;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.dsl.ast.OpRef;
import org.onnx2trt.dsl.ast.PatternArg;
import org.onnx2trt.dsl.schema.OpSchemas;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.OpOperands;
import org.onnx2trt.ir.Value;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.match.Pattern;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.math.DTypes;

/**
 * Builds a small graph that is an instance of a rule's own pattern: the pattern's nodes from the
 * leaves up (each op through {@link OpInstances}, which knows its shapes and attributes), free
 * variables as graph inputs (data) or initializers (weights), the root's output as the graph output.
 * Every decision is drawn from {@link Choices}, edge cases included: tiny, huge, zero and negative
 * weights, weights that are graph inputs, intermediate values that are graph outputs, absent
 * optional inputs.
 */
final class InstanceGenerator {
    /** How a weight's values are drawn before edge cases are applied. */
    enum Dist {
        /** standard normal */
        NORMAL,
        /** uniform in [0.5, 2): scales, variances */
        POSITIVE,
        /** non-negative, as a variance; its edge cases include 0 and tiny values, where ε matters */
        VARIANCE,
        /** away from zero, as a divisor */
        NONZERO
    }

    /** A generated model and what the draws were. */
    /**
     * One generated instance: the model, the draws that made it (to shrink it), and the recipe
     * parameters it is run with.
     */
    record Instance(Model model, int[] draws, Map<String, Object> parameters) {}

    private final CompiledRule rule;
    /** The pattern form this instance is built for (one of the rule's alternatives, drawn). */
    private final Pattern pattern;
    final Choices c;
    final GraphBuilder b;
    private final Map<String, Value> variables = new HashMap<>();
    private final Map<Value, long[]> shapes = new IdentityHashMap<>();
    private final Map<Value, DataType> dtypes = new IdentityHashMap<>();
    private final Map<String, Set<String>> readerOps = new HashMap<>();
    private final int opset;
    private Set<String> currentReaders = Set.of();
    private Set<String> currentDownstream = Set.of();
    /** The channels of the last [N, C, H, W] data made, 0 before any: a Conv weight made later is fitted to it. */
    long lastImageChannels;
    /** The dims of the last data input made, null before any: a Gemm weight made later is fitted to its rows. */
    long[] lastDataDims;
    /** The pattern variable each attribute of the node being generated binds, by attribute name. */
    private Map<String, String> currentAttributeVariables = Map.of();
    /** What each attribute variable of the nodes made so far holds (for {@code a == b} aims). */
    private final Map<String, Object> attributeValues = new HashMap<>();
    private final Set<String> constantChecked;
    private final Aims aims;
    /** Whether this instance aims at the checks (3 in 4 do: all aimed values at once, so that they fire together). */
    private final boolean aimed;
    /** The one constant-checked variable this instance makes a graph input (1 in 6 instances), or null. */
    private final String graphInputConstant;
    private long[] previousConv;

    private InstanceGenerator(CompiledRule rule, Choices c) {
        this.rule = rule;
        this.c = c;
        this.b = new GraphBuilder("instance");
        this.constantChecked = constantVariables(rule);
        this.aims = Aims.of(rule, c);
        this.opset = drawOpset(rule, c);
        this.aimed = c.draw(4) != 0;
        List<String> checked = constantChecked.stream().sorted().toList();
        this.graphInputConstant = !checked.isEmpty() && c.draw(6) == 0 ? checked.get(c.draw(checked.size())) : null;
        this.pattern = rule.patterns().size() == 1 ? rule.pattern() : rule.patterns().get(c.draw(rule.patterns().size()));
    }

    /**
     * The opset of one instance: the top of the rule's range (clipped to 7–18), or, every other
     * instance, its bottom where some op of the pattern takes fewer inputs there: an operand the older
     * opset carries as an attribute (Squeeze's axes before 13), so one rule is tried in both forms.
     */
    private static int drawOpset(CompiledRule rule, Choices c) {
        int low = Math.max(rule.decl().metadata().opsetFrom(), 7);
        int top = Math.max(low, Math.min(18, rule.decl().metadata().opsetTo()));
        boolean formsDiffer = false;
        for (Pattern form : rule.patterns()) {
            for (Pattern.NodePattern np : nodePatterns(form.root(), new LinkedHashSet<>())) {
                for (OpRef op : np.ops()) {
                    formsDiffer |= inputCount(op, low) != inputCount(op, top);
                }
            }
        }
        return formsDiffer && c.draw(2) == 1 ? low : top;
    }

    private static int inputCount(OpRef op, int opset) {
        return OpSchemas.builtin().find(op.domain(), op.op(), opset).map(s -> s.inputs().size()).orElse(-1);
    }

    static Instance generate(CompiledRule rule, Choices c) {
        InstanceGenerator g = new InstanceGenerator(rule, c);
        Model m = g.build();
        return new Instance(m, c.recorded(), g.parameters());
    }

    private Model build() {
        Map<String, Value> made = new HashMap<>();
        List<Pattern.NodePattern> order = postOrder(pattern.root(), new LinkedHashSet<>());
        for (Pattern.NodePattern np : order) {
            for (Pattern.InputPattern ip : np.inputs()) {
                if (ip.producer() != null) {
                    Set<String> ops = readerOps.computeIfAbsent(ip.producer().name(), k -> new HashSet<>());
                    np.ops().forEach(o -> ops.add(o.op()));
                }
            }
        }
        // The ops anywhere downstream of each node (post order reversed: readers before what they read).
        Map<String, Set<String>> downstream = new HashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            Pattern.NodePattern np = order.get(i);
            Set<String> below = downstream.computeIfAbsent(np.name(), k -> new HashSet<>());
            for (Pattern.InputPattern ip : np.inputs()) {
                if (ip.producer() != null) {
                    Set<String> above = downstream.computeIfAbsent(ip.producer().name(), k -> new HashSet<>());
                    np.ops().forEach(o -> above.add(o.op()));
                    above.addAll(below);
                }
            }
        }
        for (Pattern.NodePattern np : order) {
            currentReaders = readerOps.getOrDefault(np.name(), Set.of());
            currentDownstream = downstream.getOrDefault(np.name(), Set.of());
            String op = np.ops().get(c.draw(np.ops().size())).op();
            if (!np.ops().stream().allMatch(o -> o.domain().isEmpty())) {
                throw new UnsupportedPattern("`" + np.name() + "` is an op outside the default domain");
            }
            List<Slot> slots = new ArrayList<>();
            for (Pattern.InputPattern ip : np.inputs()) {
                if (ip.kind() == PatternArg.Kind.VARIADIC) {
                    throw new UnsupportedPattern("variadic inputs (`" + ip.variable() + "...`) are not generated yet");
                }
                Value known = ip.producer() != null ? made.get(ip.producer().name())
                        : ip.variable() != null ? variables.get(ip.variable()) : null;
                boolean optional = ip.kind() == PatternArg.Kind.OPTIONAL || ip.kind() == PatternArg.Kind.ANY;
                slots.add(new Slot(ip.variable(), optional, known));
            }
            Map<String, Object> literals = new HashMap<>();
            currentAttributeVariables = new HashMap<>();
            for (AttrPattern ap : np.attrs()) {
                if (ap.variable() != null) {
                    currentAttributeVariables.put(ap.attr(), ap.variable());
                }
                if (ap.value() != null) {
                    literals.put(ap.attr(), literal(ap.value()));
                } else if (aims.value(ap.variable()) != null && aimed && aimable(op, ap.attr(), aims.value(ap.variable()))) {
                    literals.put(ap.attr(), aims.value(ap.variable())); // what the checks ask for
                } else if (aimed && attributeValues.get(aims.equalTo(ap.variable())) != null) {
                    literals.put(ap.attr(), attributeValues.get(aims.equalTo(ap.variable()))); // a == b
                }
            }
            Value out = OpInstances.emit(this, op, np.name(), slots, literals);
            made.put(np.name(), out);
            rememberAttributes(np, op, out.producer());
            if (np != pattern.root() && c.rarely(8)) {
                b.output(out, dtypeOf(out), boxed(shapeOf(out))); // a reader outside the match
            }
        }
        Value root = made.get(pattern.root().name());
        DataType rootType = dtypeOf(root);
        // Read by a node outside the match, or a graph output itself: half and half, but an aimed
        // instance gives the checks what they ask (a graph output for onlyOutput(root), else a reader,
        // where a rule that replaces the root by a matched value cannot rename the interface).
        boolean outsideReader = aimed ? !aims.onlyOutput(pattern.root().name()) : c.draw(2) == 1;
        if (outsideReader) {
            Value reader = b.op(SIGNED.contains(rootType) ? "Neg" : "Identity", root).out(); // read by a node outside the match
            b.output(reader, rootType, boxed(shapeOf(root)));
        } else {
            b.output(root, rootType, boxed(shapeOf(root)));
        }
        return b.build(opset);
    }

    /**
     * In an aimed instance, the element type a check asks type attribute {@code attribute} of the node
     * being generated to name (through the variable the pattern binds it to):
     * the type of a bound value ({@code asDtype(t) == dtype(x)}), or one that holds every value of it
     * ({@code losslessCast}); else null.
     */
    DataType aimedDtype(String attribute) {
        String variable = currentAttributeVariables.get(attribute);
        String same = aims.sameDtypeAs(variable);
        String lossless = aims.losslessFrom(variable);
        if (!aimed || same == null && lossless == null) {
            return null;
        }
        Value source = variables.get(same != null ? same : lossless);
        if (source == null) {
            return null;
        }
        DataType from = dtypeOf(source);
        if (same != null) {
            return from;
        }
        List<DataType> holding = java.util.Arrays.stream(ShapeOpInstances.CAST_TYPES)
                .filter(t -> DTypes.holdsEveryValue(from, t)).toList();
        return holding.isEmpty() ? null : holding.get(c.draw(holding.size()));
    }

    /** Records what each attribute variable of {@code np} holds in the node made for it (given or by default). */
    private void rememberAttributes(Pattern.NodePattern np, String op, Node node) {
        for (AttrPattern ap : np.attrs()) {
            if (ap.variable() == null || node == null || !node.opType().equals(op)) {
                continue;
            }
            Attribute a = node.attribute(ap.attr());
            Object v = a == null ? OpSchemas.builtin().find(op, opset).flatMap(s -> s.attribute(ap.attr()))
                    .map(spec -> spec.defaultValue()).orElse(null)
                    : switch (a.type()) {
                        case INT -> a.asInt();
                        case INTS -> a.asInts();
                        case FLOAT -> (double) a.asFloat();
                        case STRING -> a.asString();
                        default -> null;
                    };
            if (v instanceof Float f) {
                v = f.doubleValue();
            }
            if (v != null) {
                attributeValues.put(ap.variable(), v);
            }
        }
    }

    private static final Set<DataType> SIGNED = Set.of(DataType.FLOAT, DataType.DOUBLE, DataType.INT32, DataType.INT64);

    private static Set<Pattern.NodePattern> nodePatterns(Pattern.NodePattern np, Set<Pattern.NodePattern> seen) {
        if (seen.add(np)) {
            np.inputs().stream().filter(ip -> ip.producer() != null).forEach(ip -> nodePatterns(ip.producer(), seen));
        }
        return seen;
    }

    private static List<Pattern.NodePattern> postOrder(Pattern.NodePattern np, Set<Pattern.NodePattern> seen) {
        List<Pattern.NodePattern> out = new ArrayList<>();
        if (!seen.add(np)) {
            return out;
        }
        for (Pattern.InputPattern ip : np.inputs()) {
            if (ip.producer() != null) {
                out.addAll(postOrder(ip.producer(), seen));
            }
        }
        out.add(np);
        return out;
    }

    // ---- what op generators call --------------------------------------------------------

    long[] shapeOf(Value v) {
        return shapes.get(v);
    }

    /** The element type recorded for {@code v}: float unless an op generator said otherwise. */
    DataType dtypeOf(Value v) {
        return dtypes.getOrDefault(v, DataType.FLOAT);
    }

    /**
     * Whether this instance's opset takes {@code operand} of {@code op} as an input, rather than as
     * the attribute older opsets use (see {@link OpOperands}).
     */
    boolean takesAsInput(String op, String operand) {
        return OpOperands.builtin().takesAsInput(op, opset, operand);
    }

    /**
     * In an aimed instance, the shape a {@code perChannel(v, axis: A, ...)} check asks of the
     * variable of slot {@code s}, against {@code base}: the axis's dim there, 1 elsewhere, without
     * leading ones half the time ([C] for the last axis, [C, 1, 1] for axis 1 of rank 4); else null.
     */
    long[] aimedShape(Slot s, long[] base) {
        Long axis = aimed ? aims.channelAxis(s.variable()) : null;
        if (axis == null || base.length == 0 || axis < -base.length || axis >= base.length) {
            return null;
        }
        int a = (int) (axis < 0 ? axis + base.length : axis);
        int from = c.draw(2) == 0 ? 0 : a; // full rank, or from the axis on
        long[] d = new long[base.length - from];
        java.util.Arrays.fill(d, 1);
        d[a - from] = base[a];
        return d;
    }

    /**
     * Whether an aimed value can be set as attribute {@code attr} of {@code op} at this opset: the
     * attribute exists there, and a single number goes to a list attribute only where the op's
     * generator spreads it over the list (Conv's pads: {@code allZero(pads)}).
     */
    private boolean aimable(String op, String attr, Object value) {
        var spec = OpSchemas.builtin().find(op, opset).flatMap(s -> s.attribute(attr));
        if (spec.isEmpty()) {
            return false;
        }
        boolean list = spec.get().kind().isList();
        return !list || value instanceof List || value == Aims.IDENTITY || op.equals("Conv") || op.equals("ConvTranspose");
    }

    /** The rank the rule's checks ask of the variable of slot {@code s}, in an aimed instance; else null. */
    Long aimedRank(Slot s) {
        return aimed ? aims.rank(s.variable()) : null;
    }

    /** Whether, in an aimed instance, a check ({@code size(v) <= rank(x)}) asks the variable of slot {@code s} to be no longer than a rank. */
    boolean aimedNoLongerThanRank(Slot s) {
        return aimed && aims.noLongerThanRankOf(s.variable()) != null;
    }

    /** The op an aimed instance makes the variable of slot {@code s} with ({@code producer(v) == "Conv"}), or null. */
    String aimedProducer(Slot s) {
        return aimed ? aims.producer(s.variable()) : null;
    }

    /** Whether, in an aimed instance, a check ({@code shape(w)[k] >= N}) asks for dims of at least some size. */
    boolean widthAimed() {
        return aimed && aims.width() > 0;
    }

    /**
     * A channel or matrix dim: 1 to {@code max}, or in an aimed instance whose checks ask for dims of
     * at least N ({@code shape(w)[0] >= 16}), N or 2N.
     */
    long size(int max) {
        return widthAimed() ? aims.width() * c.size(1, 2) : c.size(1, max);
    }

    /** Binds a value made for a free slot by the op's own generator (a quantized input made by a Q). */
    Value bindFree(Slot s, Value v) {
        return bind(s, v, shapeOf(v));
    }

    /** The recipe parameters an aimed instance is run with ({@code param("k")} the checks ask for); empty otherwise. */
    Map<String, Object> parameters() {
        return aimed ? aims.parameters() : Map.of();
    }

    /** Whether this instance aims at the rule's checks (3 in 4 do). */
    boolean isAimed() {
        return aimed;
    }

    /** What the rule's checks ask the variable of slot {@code s} to hold, in an aimed instance; else null (see {@link Aims}). */
    Object aimed(Slot s) {
        return aimed ? aims.value(s.variable()) : null;
    }

    /** The default-domain opset the instance is built for (see {@link #drawOpset}). */
    int opset() {
        return opset;
    }

    /**
     * The ops (all alternatives) of the pattern nodes that read the node being generated; empty for
     * the root. Generators use it to make shapes their reader accepts (a matrix for Gemm).
     */
    Set<String> readerOps() {
        return currentReaders;
    }

    /** Whether the rule's checks ask {@code constant(v)} of the variable at slot {@code s}. */
    boolean constantChecked(Slot s) {
        return s.variable() != null && constantChecked.contains(s.variable());
    }

    /** The ops of the pattern anywhere downstream of the node being generated (readers of readers too). */
    Set<String> downstreamOps() {
        return currentDownstream;
    }

    /** Records a float value's shape, and declares its type as shape inference would. */
    void recordShape(Value v, long[] dims) {
        recordShape(v, dims, DataType.FLOAT);
    }

    /** Records a value's shape and declares its type, so rules see rank, shape and dtype facts. */
    void recordShape(Value v, long[] dims, DataType dtype) {
        shapes.put(v, dims);
        dtypes.put(v, dtype);
        if (!v.isInitializer() && !v.isGraphInput()) {
            v.setValueInfo(org.onnx2trt.proto.Onnx.ValueInfoProto.newBuilder()
                    .setName(v.name()).setType(org.onnx2trt.ir.Types.tensor(dtype, dims)).build());
        }
    }

    /** The output channels, group and strides of the last conv made, or null. */
    long[] previousConv() {
        return previousConv;
    }

    void rememberConv(long[] channelsAndStrides) {
        previousConv = channelsAndStrides;
    }

    /** Whether an optional position gets an input (a known value always does). */
    boolean present(Slot s) {
        return !s.isFree() || !s.optional() || c.draw(2) == 1;
    }

    /** The data input at a free slot: a graph input of {@code dims}. */
    Value data(Slot s, long[] dims) {
        if (!s.isFree()) {
            return s.known();
        }
        Value v = b.input(b.graph().freshName("input"), DataType.FLOAT, boxed(dims));
        lastDataDims = dims;
        // An aimed instance whose root must stay a graph output (onlyOutput) gets data made by a node:
        // a rule that replaces the root by its input cannot give a graph input the output's name.
        if (aimed && "Conv".equals(aims.producer(s.variable())) && dims.length >= 3) {
            // producer(v) == "Conv": v made by a 1×1 Conv that keeps the shape (C → C channels)
            long[] wd = new long[dims.length];
            java.util.Arrays.fill(wd, 1);
            wd[0] = dims[1];
            wd[1] = dims[1];
            Value conv = b.op("Conv", v, b.initializer(Tensor.ofFloats(fresh(s) + "_conv_w", wd, values(wd, Dist.NORMAL))))
                    .out();
            recordShape(conv, dims);
            return bind(s, conv, dims);
        }
        if (aimed && "DequantizeLinear".equals(aims.producer(s.variable()))) {
            return bind(s, quantized(v, dims), dims);
        }
        boolean produced = c.draw(2) == 1 || aimed && aims.onlyOutput(pattern.root().name());
        if (produced) {
            v = b.op("Neg", v).out(); // made by a node outside the match, as most data is
            if (!c.rarely(20)) {
                recordShape(v, dims); // typed as shape inference would, now and then not (rank facts unknown)
            }
            if (c.rarely(10)) {
                b.output(v, DataType.FLOAT, boxed(dims)); // and itself a graph output
            }
        }
        return bind(s, v, dims);
    }

    /** The data input at a free slot: a graph input of {@code dims} and {@code dtype}. */
    Value data(Slot s, long[] dims, DataType dtype) {
        if (dtype == DataType.FLOAT) {
            return data(s, dims);
        }
        if (!s.isFree()) {
            return s.known();
        }
        Value v = b.input(b.graph().freshName("input"), dtype, boxed(dims));
        dtypes.put(v, dtype);
        return bind(s, v, dims);
    }

    /** As {@link #data}, with positive elements: |input| made outside the match, for Log and Sqrt. */
    Value positiveData(Slot s, long[] dims) {
        if (!s.isFree()) {
            return s.known();
        }
        Value in = b.input(b.graph().freshName("input"), DataType.FLOAT, boxed(dims));
        Value v = b.op("Abs", in).out();
        recordShape(v, dims);
        return bind(s, v, dims);
    }

    /**
     * A weight at a free slot: an initializer of {@code dims} drawn from {@code dist} (and its edge
     * cases), or now and then a graph input (which rules must not fold).
     */
    Value weight(Slot s, long[] dims, Dist dist) {
        if (!s.isFree()) {
            return s.known();
        }
        if (aims.scalar(s.variable()) && aimed) {
            dims = new long[0];
        }
        // A constant the checks require is a graph input in one instance in six (one variable at a
        // time, so that the rule's decline is seen); other weights are one time in three.
        boolean graphInput = constantChecked.contains(s.variable()) ? s.variable().equals(graphInputConstant) : c.rarely(3);
        if (graphInput) {
            return bind(s, b.input(fresh(s), DataType.FLOAT, boxed(dims)), dims);
        }
        if (aimed && "DequantizeLinear".equals(aims.producer(s.variable()))) { // producer(w) == "DequantizeLinear"
            Value w = b.initializer(Tensor.ofFloats(fresh(s), dims, values(dims, dist)));
            return bind(s, quantized(w, dims), dims);
        }
        if (aims.value(s.variable()) instanceof Number target && aimed) { // the value the checks ask for
            float[] filled = new float[Math.toIntExact(Tensor.elementCount(dims))];
            java.util.Arrays.fill(filled, target.floatValue());
            return bind(s, b.initializer(Tensor.ofFloats(fresh(s), dims, filled)), dims);
        }
        return bind(s, b.initializer(Tensor.ofFloats(fresh(s), dims, values(dims, dist))), dims);
    }

    /** {@code DQ(Q(v, s, 0), s, 0)}, s = 1/40: what {@code producer(v) == "DequantizeLinear"} asks for. */
    private Value quantized(Value v, long[] dims) {
        Value scale = b.initializer(Tensor.ofFloats(b.graph().freshName("s"), new long[0], 0.025f));
        Value zero = b.initializer(OpInstances.int8Scalar(b.graph().freshName("z"), 0));
        Value q = b.op("QuantizeLinear", v, scale, zero).out();
        recordShape(q, dims, DataType.INT8);
        Value dq = b.op("DequantizeLinear", q, scale, zero).out();
        recordShape(dq, dims);
        return dq;
    }

    /** A constant that is not a pattern variable (an attribute-like input such as Dropout's ratio). */
    Value constant(Slot s, Tensor t) {
        if (!s.isFree()) {
            return s.known();
        }
        Value v = b.initializer(renamed(t, fresh(s)));
        dtypes.put(v, t.dataType());
        return bind(s, v, t.dims());
    }

    /**
     * Like {@link #constant}, but now and then ({@code percent}%) the value is computed by a node
     * (an Identity of the constant), so that rules which need a constant must decline.
     */
    Value constantOrComputed(Slot s, Tensor t, int percent) {
        if (!s.isFree() || !c.rarely(percent)) {
            return constant(s, t);
        }
        Value init = b.initializer(renamed(t, b.graph().freshName("c")));
        Value v = b.op("Identity", init).out();
        recordShape(v, t.dims(), t.dataType());
        return bind(s, v, t.dims());
    }

    private static Tensor renamed(Tensor t, String name) {
        ByteBuffer bytes = t.bytes();
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).order(ByteOrder.LITTLE_ENDIAN).put(bytes.duplicate());
        return Tensor.of(name, t.dataType(), t.dims(), copy.flip());
    }

    float[] values(long[] dims, Dist dist) {
        int n = Math.toIntExact(Tensor.elementCount(dims));
        // 0–5: the plain distribution; 6: tiny; 7: huge; 8: zeros (a variance of 0); 9: negative.
        int edge = c.draw(10);
        Random r = new Random(c.draw(1 << 16));
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double v = switch (dist) {
                case NORMAL -> r.nextGaussian();
                case POSITIVE, NONZERO -> 0.5 + 1.5 * r.nextDouble();
                case VARIANCE -> 0.5 + 1.5 * r.nextDouble();
            };
            if (dist == Dist.NONZERO && r.nextBoolean()) {
                v = -v;
            }
            v = switch (edge) {
                case 6 -> v * 1e-5;
                case 7 -> v * 1e3;
                case 8 -> dist == Dist.NONZERO || dist == Dist.POSITIVE ? v : 0;
                case 9 -> dist == Dist.NORMAL ? -Math.abs(v) : v;
                default -> v;
            };
            out[i] = (float) v;
        }
        return out;
    }

    private Value bind(Slot s, Value v, long[] dims) {
        shapes.put(v, dims);
        if (s.variable() != null) {
            variables.put(s.variable(), v);
        }
        return v;
    }

    private String fresh(Slot s) {
        return b.graph().freshName(s.variable() != null ? s.variable() : "in");
    }

    static Object[] boxed(long[] dims) {
        Object[] out = new Object[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = dims[i];
        }
        return out;
    }

    private static Object literal(Expr e) {
        if (e instanceof Expr.Str str) {
            return str.value();
        }
        Object v = Aims.constant(e); // numbers, bools, lists of numbers
        if (v == null) {
            throw new UnsupportedPattern("attribute literal " + e + " is not generated");
        }
        return v;
    }

    /** The variables a {@code constant(...)} check names: generated as initializers most of the time. */
    private static Set<String> constantVariables(CompiledRule rule) {
        Set<String> out = new HashSet<>();
        for (Check ch : rule.decl().checks()) {
            collect(ch.condition(), out);
        }
        return out;
    }

    private static void collect(Expr e, Set<String> out) {
        if (e instanceof Expr.Call call) {
            for (Expr.Arg a : call.args()) {
                if (call.function().equals("constant") && a.value() instanceof Expr.Name n) {
                    out.add(n.name());
                }
                collect(a.value(), out);
            }
        } else if (e instanceof Expr.Binary bin) {
            collect(bin.left(), out);
            collect(bin.right(), out);
        } else if (e instanceof Expr.Unary u) {
            collect(u.operand(), out);
        }
    }
}
