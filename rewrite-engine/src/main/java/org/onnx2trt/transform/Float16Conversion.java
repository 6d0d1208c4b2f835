package org.onnx2trt.transform;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Use;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.shape.ShapeInference;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.HalfFloat;
import org.onnx2trt.tensor.Tensor;

/**
 * Float16 as a graph rewrite (TensorRT 11 builds strongly typed networks: the precision is the
 * graph's). Nodes of the ops known to compute in float16 ({@link #FLOAT16_OPS}) run on float16: their
 * float32 weights become float16 initializers and Casts go where a float16 value meets a float32
 * reader. Ops that lose too much in float16 stay float32 by a list the caller can change
 * ({@link #DEFAULT_KEEP_FLOAT32}: reductions, Softmax, normalizations, Exp, Log, Pow), and so does any
 * op this class does not know. The interface stays float32 unless asked: Casts after the inputs
 * and before the outputs, which keep their names.
 *
 * <p>The rewrite is approximate by nature (float16 has 11 bits of mantissa and a range of ±65504);
 * the caller measures what it cost against the float32 model.
 */
public final class Float16Conversion {
    /** Numerically sensitive ops kept in float32 unless the caller says otherwise. */
    public static final Set<String> DEFAULT_KEEP_FLOAT32 = Set.of("ReduceMean", "ReduceSum", "ReduceSumSquare", "ReduceL1",
            "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceProd", "Softmax", "LogSoftmax", "LayerNormalization",
            "InstanceNormalization", "GroupNormalization", "LpNormalization", "MeanVarianceNormalization", "Exp", "Log",
            "Pow");

    /**
     * Ops whose every float input and output may be float16 (the ONNX type constraints allow it, and
     * onnxruntime's CPU provider runs them so). Any other op keeps float32.
     */
    public static final Set<String> FLOAT16_OPS = Set.of("Conv", "ConvTranspose", "MatMul", "Gemm", "Add", "Sub", "Mul",
            "Div", "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softplus",
            "Softsign", "Gelu", "Erf", "Sqrt", "Reciprocal", "Abs", "Neg", "Floor", "Ceil", "Round", "Sign", "Clip", "Max",
            "Min", "Sum", "Mean", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "BatchNormalization",
            "Concat", "Split", "Slice", "Gather", "GatherElements", "Reshape", "Flatten", "Transpose", "Squeeze",
            "Unsqueeze", "Expand", "Tile", "Pad", "Identity", "Dropout", "DepthToSpace", "SpaceToDepth", "Where",
            "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "ReduceMax", "ReduceMin", "ArgMax", "ArgMin", "Shape",
            "Size");

    /** What the conversion did. */
    public record Result(int float16Nodes, Map<String, Integer> keptFloat32, int casts, int initializersConverted) {}

    /** The model cannot be converted; the message says why. */
    public static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message);
        }
    }

    private static final int FLOAT = DataType.FLOAT.code();
    private static final int FLOAT16 = DataType.FLOAT16.code();

    private Float16Conversion() {}

    /**
     * Converts {@code model} in place.
     *
     * @param keepFloat32 op types that stay float32 (besides those not known to run in float16)
     * @param keepIoTypes the graph inputs and outputs stay float32 (Casts at the interface)
     */
    public static Result convert(Model model, Set<String> keepFloat32, boolean keepIoTypes) {
        Graph g = model.graph();
        for (Node n : g.nodeList()) {
            if (!n.subgraphs().isEmpty()) {
                throw new Unsupported("node `" + n.name() + "` (" + n.opType() + ") has subgraphs; models with If, Loop or"
                        + " Scan are not converted to float16");
            }
        }
        ShapeInference.annotate(model);
        Set<Node> half = new LinkedHashSet<>();
        Map<String, Integer> kept = new TreeMap<>();
        for (Node n : g.nodeList()) {
            boolean touchesFloat = n.inputs().stream().anyMatch(Float16Conversion::isFloat32)
                    || n.outputs().stream().anyMatch(Float16Conversion::isFloat32);
            if (!touchesFloat) {
                continue;
            }
            boolean known = n.inputs().stream().allMatch(v -> v == null || v.type() != null)
                    && n.outputs().stream().allMatch(v -> v.type() != null);
            if (n.isStandardDomain() && FLOAT16_OPS.contains(n.opType()) && !keepFloat32.contains(n.opType()) && known) {
                half.add(n);
            } else {
                kept.merge(n.opType(), 1, Integer::sum);
            }
        }
        Map<Value, Integer> newType = new HashMap<>();
        for (Node n : half) {
            for (Value out : n.outputs()) {
                if (isFloat32(out)) {
                    newType.put(out, FLOAT16);
                }
            }
        }
        if (!keepIoTypes) {
            for (Port p : g.inputs()) {
                if (isFloat32(p.value()) && !p.value().isInitializer()) {
                    newType.put(p.value(), FLOAT16);
                }
            }
        }
        int initializers = convertInitializers(g, half);
        newType.forEach((v, elem) -> setElemType(g, v, elem));
        // Casts where a value's type is not the one its reader computes in.
        Map<String, Value> casts = new HashMap<>();
        int castCount = 0;
        for (Node n : g.nodeList()) {
            if (n.opType().equals("Cast") && casts.containsValue(n.output(0))) {
                continue;
            }
            for (int i = 0; i < n.inputCount(); i++) {
                Value v = n.input(i);
                if (v == null || !isFloatNow(v, newType)) {
                    continue;
                }
                int have = newType.getOrDefault(v, Types.elemType(v.type()));
                int want = half.contains(n) ? FLOAT16 : FLOAT;
                if (have != want) {
                    String key = v.name() + "->" + want;
                    Value c = casts.get(key);
                    if (c == null) {
                        c = cast(g, v, want, n);
                        casts.put(key, c);
                        castCount++;
                    }
                    n.setInput(i, c);
                }
            }
        }
        // The interface: outputs keep their names and (unless asked) float32.
        int wantOut = keepIoTypes ? FLOAT : FLOAT16;
        for (Port p : List.copyOf(g.outputs())) {
            Value v = p.value();
            if (!isFloatNow(v, newType)) {
                continue;
            }
            int have = newType.getOrDefault(v, Types.elemType(v.type()));
            if (have != wantOut) {
                castOutput(g, v, wantOut);
                castCount++;
            }
        }
        return new Result(half.size(), kept, castCount, initializers);
    }

    /**
     * Float16 copies of the float32 initializers that float16 nodes read; a float32 reader keeps the
     * original, which goes when none is left.
     */
    private static int convertInitializers(Graph g, Set<Node> half) {
        int converted = 0;
        for (Value w : g.initializers()) {
            if (!isFloat32(w) || w.isGraphInput() || w.isGraphOutput()) {
                continue;
            }
            List<Use> halfUses = w.uses().stream().filter(u -> half.contains(u.user())).toList();
            if (halfUses.isEmpty()) {
                continue;
            }
            Value w16 = g.addInitializer(HalfFloat.toFloat16(w.initializer(), g.freshName(w.name() + "_fp16")));
            for (Use u : halfUses) {
                u.user().setInput(u.index(), w16);
            }
            if (w.uses().isEmpty()) {
                g.removeInitializer(w);
            }
            converted++;
        }
        return converted;
    }

    /** {@code Cast(v, to)} placed before {@code firstReader}. */
    private static Value cast(Graph g, Value v, int to, Node firstReader) {
        String base = v.name() + (to == FLOAT16 ? "_fp16" : "_fp32");
        Node c = g.createNode("", "Cast", g.freshNodeName(base), List.of(v), List.of(g.freshName(base)));
        c.setAttribute(Attribute.ofInt("to", to));
        g.insertBefore(firstReader, c);
        if (v.type() != null) {
            c.output(0).setValueInfo(ValueInfoProto.newBuilder().setName(c.output(0).name())
                    .setType(withElemType(v.type(), to)).build());
        }
        return c.output(0);
    }

    /** Puts {@code Cast(v, to)} in front of graph output {@code v}, which keeps its name; node readers keep reading v. */
    private static void castOutput(Graph g, Value v, int to) {
        String name = v.name();
        TypeProto type = v.type();
        List<Use> readers = List.copyOf(v.uses());
        v.rename(g.freshName(name + (to == FLOAT ? "_fp16" : "_fp32")));
        Node c = g.createNode("", "Cast", g.freshNodeName(name + "_cast"), List.of(v), List.of(name));
        c.setAttribute(Attribute.ofInt("to", to));
        g.append(c);
        g.replaceAllUsesWith(v, c.output(0));
        c.setInput(0, v);
        for (Use u : readers) {
            u.user().setInput(u.index(), v);
        }
        v.setValueInfo(ValueInfoProto.newBuilder().setName(v.name()).setType(type).build());
        setElemType(g, c.output(0), to);
    }

    /** Declares {@code v} of element type {@code elem}: its interface entries, or its value_info. */
    private static void setElemType(Graph g, Value v, int elem) {
        boolean port = false;
        for (Port p : g.inputs()) {
            if (p.value() == v && p.declaration().hasType()) {
                p.setDeclaration(p.declaration().toBuilder().setType(withElemType(p.declaration().getType(), elem)).build());
                port = true;
            }
        }
        for (Port p : g.outputs()) {
            if (p.value() == v && p.declaration().hasType()) {
                p.setDeclaration(p.declaration().toBuilder().setType(withElemType(p.declaration().getType(), elem)).build());
                port = true;
            }
        }
        if (!port && v.type() != null) {
            v.setValueInfo(ValueInfoProto.newBuilder().setName(v.name()).setType(withElemType(v.type(), elem)).build());
        }
    }

    private static boolean isFloat32(Value v) {
        return v != null && v.type() != null && Types.elemType(v.type()) == FLOAT;
    }

    private static boolean isFloatNow(Value v, Map<Value, Integer> newType) {
        return newType.containsKey(v) || isFloat32(v) || v.type() != null && Types.elemType(v.type()) == FLOAT16;
    }

    private static TypeProto withElemType(TypeProto t, int elem) {
        return t.toBuilder().setTensorType(t.getTensorType().toBuilder().setElemType(elem)).build();
    }
}
