package org.onnx2trt.quant.qat;

import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.transform.QuantizationNodes;

/**
 * One scale for all inputs of a Concat whose inputs are each dequantized from their own QDQ pair:
 * Concat(DQ(Q(x₁, s₁)), …, DQ(Q(xₙ, sₙ))) -> Concat(DQ(Q(x₁, s)), …, DQ(Q(xₙ, s))),  s = max sᵢ.
 *
 * <p>Why: TensorRT concatenates in int8 only when its inputs share a scale (the DQs then move past the
 * Concat as one); with different scales each input is requantized, or the Concat runs in float.
 * Choosing the largest scale clips nothing that was not clipped before; the inputs that had a smaller
 * scale are rounded more coarsely (an error of at most s/2 per element instead of sᵢ/2). It is
 * approximate, so the align_qdq stage that runs it measures the outputs against the model before it.
 *
 * <p>A Java pass because the rule language matches a fixed number of inputs: "every input of a Concat is
 * a QDQ pair" is not a pattern it can write.
 */
public final class ConcatScaleSharing {
    /** A Concat whose inputs now share one scale: its name, the scales before and the one after. */
    public record Change(String concat, List<Float> scalesBefore, float scale) {}

    private ConcatScaleSharing() {}

    /** Gives each qualifying Concat of {@code model} one input scale (in place); what changed. */
    public static List<Change> run(Model model) {
        Graph g = model.graph();
        List<Change> changes = new ArrayList<>();
        java.util.Set<Value> replaced = new java.util.LinkedHashSet<>();
        for (Node concat : g.nodeList()) {
            if (!concat.isStandardDomain() || !concat.opType().equals("Concat") || concat.inputs().size() < 2) {
                continue;
            }
            List<Node[]> pairs = new ArrayList<>(); // {Q, DQ} per input
            for (Value in : concat.inputs()) {
                Node[] pair = dedicatedPair(in);
                if (pair == null) {
                    pairs = null;
                    break;
                }
                pairs.add(pair);
            }
            if (pairs == null) {
                continue;
            }
            List<Float> scales = pairs.stream().map(p -> p[1].input(1).initializer().view().getFloat(0)).toList();
            float shared = scales.stream().max(Float::compare).orElseThrow();
            if (scales.stream().allMatch(s -> s == shared)) {
                continue;
            }
            Tensor old = pairs.get(0)[1].input(1).initializer();
            Value scale = g.addInitializer(Tensor.ofFloats(g.freshName(label(concat) + "_shared_scale"), old.dims(), shared));
            for (Node[] pair : pairs) {
                replaced.add(pair[0].input(1));
                replaced.add(pair[1].input(1));
                pair[0].setInput(1, scale);
                pair[1].setInput(1, scale);
            }
            changes.add(new Change(label(concat), scales, shared));
        }
        for (Value v : replaced) { // the old scales, where nothing else reads them
            if (v.isInitializer() && v.uses().isEmpty() && !v.isGraphOutput() && !v.isGraphInput()
                    && v.subgraphOutputReaders().isEmpty()) {
                g.removeInitializer(v);
            }
        }
        return changes;
    }

    /**
     * The pair {Q, DQ} that makes {@code v} when it is one the Concat may rescale: symmetric int8 with
     * one constant scale that Q and DQ share, each read only by the next (import_qdq's dedicated pairs);
     * else null.
     */
    private static Node[] dedicatedPair(Value v) {
        Node dq = v.producer();
        if (dq == null || !QuantizationNodes.isQdq(dq) || !dq.opType().equals("DequantizeLinear") || !v.hasSingleUse()
                || dq.inputs().size() < 3) {
            return null;
        }
        Node q = dq.input(0).producer();
        if (q == null || !QuantizationNodes.isQdq(q) || !q.opType().equals("QuantizeLinear") || !dq.input(0).hasSingleUse()
                || q.inputs().size() < 3) {
            return null;
        }
        Value s = dq.input(1);
        if (!s.isConstant() || s.initializer().elementCount() != 1 || s.initializer().dataType() != DataType.FLOAT) {
            return null;
        }
        Value qs = q.input(1);
        boolean sameScale = qs == s || qs.isConstant() && qs.initializer().elementCount() == 1
                && qs.initializer().view().getFloat(0) == s.initializer().view().getFloat(0);
        if (!sameScale || !QdqImport.symmetricInt8(q.input(2)) || !QdqImport.symmetricInt8(dq.input(2))) {
            return null;
        }
        return new Node[] {q, dq};
    }

    private static String label(Node n) {
        return n.name().isEmpty() ? n.output(0).name() : n.name();
    }
}
