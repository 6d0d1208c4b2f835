package org.onnx2trt.shape;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.TopologicalOrder;
import org.onnx2trt.ir.Types.Dim;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.Tensor;

/**
 * Shape and type inference over a model's main graph, in node order: each value gets its element
 * type, rank and dims, with symbolic dims (a {@code batch} input dim) kept as the symbol wherever the
 * op lets it through, and small integer vectors get their elements tracked (see {@link ShapeData}).
 *
 * <p>What a model already declares in {@code value_info} is merged in: a dim inference leaves open
 * is taken from the declaration, and where both give a number and they differ, inference wins and
 * the difference is reported (a stale declaration would make onnxruntime reject the model).
 * Subgraphs of If/Loop/Scan are not entered; their outputs stay unknown.
 */
public final class ShapeInference {
    /** What inference found: facts per value, declarations contradicted, ops it has no rule for. */
    public record Result(Map<Value, TensorFacts> facts, List<String> conflicts, Set<String> unknownOps, int annotated) {
        /** What is known of a value ({@link TensorFacts#UNKNOWN} when nothing). */
        public TensorFacts of(Value v) {
            return facts.getOrDefault(v, TensorFacts.UNKNOWN);
        }
    }

    private ShapeInference() {}

    /** Infers facts for every value of the main graph without changing the model. */
    public static Result infer(Model model) {
        Graph g = model.graph();
        int opset = (int) model.opsetVersion("");
        Map<Value, TensorFacts> facts = new IdentityHashMap<>();
        for (Port p : g.inputs()) {
            facts.put(p.value(), TensorFacts.of(p.value().type()));
        }
        for (Value v : g.initializers()) {
            facts.put(v, ofInitializer(v));
        }
        List<String> conflicts = new ArrayList<>();
        Set<String> unknownOps = new TreeSet<>();
        List<Node> order = TopologicalOrder.isSorted(g) ? g.nodeList() : TopologicalOrder.sort(g);
        for (Node n : order) {
            List<TensorFacts> out = null;
            if (n.isStandardDomain()) {
                try {
                    out = OpShapes.infer(new NodeFacts(n, facts, opset));
                } catch (InferenceException | IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException
                         | NullPointerException e) { // a malformed node: reported, its outputs stay unknown
                    conflicts.add("node `" + n.name() + "` (" + n.opType() + "): " + e.getMessage());
                }
                if (out == null && !conflictAbout(n, conflicts)) {
                    unknownOps.add(n.opType());
                }
            } else {
                unknownOps.add(n.qualifiedOpType());
            }
            for (int i = 0; i < n.outputCount(); i++) {
                Value v = n.output(i);
                if (v == null) {
                    continue;
                }
                TensorFacts inferred = out != null && i < out.size() ? out.get(i) : TensorFacts.UNKNOWN;
                facts.put(v, merge(inferred, TensorFacts.of(v.type()), n, conflicts));
            }
        }
        return new Result(facts, conflicts, unknownOps, 0);
    }

    /** Infers, then declares every computed value's type in value_info (graph outputs keep theirs). */
    public static Result annotate(Model model) {
        Result r = infer(model);
        int written = 0;
        for (Node n : model.graph().nodes()) {
            for (Value v : n.outputs()) {
                if (v == null || v.isGraphOutput()) {
                    continue;
                }
                TensorFacts f = r.of(v);
                TypeProto t = f.dtype() == null ? null : f.toType();
                if (t != null && !t.equals(v.type())) {
                    v.setValueInfo(ValueInfoProto.newBuilder().setName(v.name()).setType(t).build());
                    written++;
                }
            }
        }
        return new Result(r.facts(), r.conflicts(), r.unknownOps(), written);
    }

    private static boolean conflictAbout(Node n, List<String> conflicts) {
        return !conflicts.isEmpty() && conflicts.get(conflicts.size() - 1).startsWith("node `" + n.name() + "` ");
    }

    private static TensorFacts ofInitializer(Value v) {
        Tensor t = v.initializer();
        TensorFacts f = TensorFacts.of(v.type());
        if (v.isConstant() && ShapeData.isTrackedInt(t.dataType()) && t.rank() <= 1
                && t.elementCount() <= TensorFacts.MAX_CONTENTS) {
            return f.withContents(DimMath.known(t.view().toLongArray()));
        }
        return f;
    }

    /** Inferred facts completed by a declaration; known dims that disagree are reported. */
    static TensorFacts merge(TensorFacts inferred, TensorFacts declared, Node n, List<String> conflicts) {
        if (declared.dtype() == null && declared.shape() == null) {
            return inferred;
        }
        var dtype = inferred.dtype() != null ? inferred.dtype() : declared.dtype();
        List<Dim> shape = inferred.shape();
        if (shape == null) {
            shape = declared.shape();
        } else if (declared.shape() != null) {
            if (declared.rank() != shape.size()) {
                conflicts.add("node `" + n.name() + "` (" + n.opType() + "): inferred " + inferred
                        + " but the model declares " + declared);
            } else {
                List<Dim> merged = new ArrayList<>(shape.size());
                for (int i = 0; i < shape.size(); i++) {
                    Dim a = shape.get(i);
                    Dim b = declared.shape().get(i);
                    if (a.isKnown() && b.isKnown() && !a.value().equals(b.value())) {
                        conflicts.add("node `" + n.name() + "` (" + n.opType() + "): inferred " + inferred
                                + " but the model declares " + declared);
                        merged = shape;
                        break;
                    }
                    merged.add(a.isKnown() ? a : b.isKnown() ? b : a.symbol() != null ? a : b);
                }
                shape = merged;
            }
        }
        return new TensorFacts(dtype, shape, inferred.contents());
    }
}
