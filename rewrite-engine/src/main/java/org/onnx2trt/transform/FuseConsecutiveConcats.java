package org.onnx2trt.transform;

import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.shape.ShapeInference;
import org.onnx2trt.shape.TensorFacts;

/**
 * Concat(a, Concat(b, c, axis k), d, axis k) -> Concat(a, b, c, d, axis k)   (onnxoptimizer's
 * fuse_consecutive_concats), when the inner Concat's output is read only there.
 *
 * <p>Why Java and not a rule: the inner Concat can sit at any place among the outer one's inputs,
 * and the replacement splices a list of values into that place. The rule language matches a
 * variadic input only as the last argument and a rewrite names single values, so it cannot say
 * this. The algebra is plain concatenation: joining along the same axis is associative. The axes
 * compare after normalisation, which needs the rank when one of them is negative; without it the
 * pair is left as it is.
 */
public final class FuseConsecutiveConcats {
    private FuseConsecutiveConcats() {}

    /** Splices every single-use inner Concat into its outer one in the main graph; returns how many. */
    public static int run(Model model) {
        Graph g = model.graph();
        ShapeInference.Result[] facts = new ShapeInference.Result[1]; // inferred when a negative axis needs a rank
        int spliced = 0;
        for (Node outer : g.nodeList()) {
            if (!outer.isAttached() || !isConcat(outer)) {
                continue;
            }
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int i = 0; i < outer.inputCount(); i++) {
                    Value in = outer.input(i);
                    Node inner = in == null ? null : in.producer();
                    if (inner != null && isConcat(inner) && in.hasSingleUse() && sameAxis(outer, inner, model, facts)) {
                        List<Value> inputs = new ArrayList<>(outer.inputs().subList(0, i));
                        inputs.addAll(inner.inputs());
                        inputs.addAll(outer.inputs().subList(i + 1, outer.inputCount()));
                        outer.truncateInputs(0);
                        inputs.forEach(outer::addInput);
                        g.remove(inner);
                        spliced++;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return spliced;
    }

    private static boolean isConcat(Node n) {
        return n.isStandardDomain() && n.opType().equals("Concat") && n.attribute("axis") != null
                && n.inputs().stream().noneMatch(v -> v == null);
    }

    private static boolean sameAxis(Node outer, Node inner, Model model, ShapeInference.Result[] facts) {
        long a = outer.attribute("axis").asInt();
        long b = inner.attribute("axis").asInt();
        if (a == b) {
            return true;
        }
        if ((a < 0) == (b < 0)) {
            return false;
        }
        if (facts[0] == null) {
            facts[0] = ShapeInference.infer(model);
        }
        TensorFacts f = facts[0].of(outer.output(0));
        if (!f.hasRank()) {
            return false;
        }
        int rank = f.rank();
        return (a < 0 ? a + rank : a) == (b < 0 ? b + rank : b);
    }
}
