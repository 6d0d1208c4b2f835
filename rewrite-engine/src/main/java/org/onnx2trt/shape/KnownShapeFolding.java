package org.onnx2trt.shape;

import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Types.Dim;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * Replaces every computed integer vector whose elements inference knows as numbers by an
 * initializer: {@code Shape(x)} of an x whose dims are all static, a {@code Gather} of the channel
 * dim of a [batch, 3, 224, 224] tensor, the Concat that builds a Reshape's target from such pieces.
 * Nothing runs: the values come from {@link ShapeInference}. The producers left unread are then dead
 * code; symbolic dims stay computed at run time.
 */
public final class KnownShapeFolding {
    /** Values made constants, and the names of the first few (for the report). */
    public record Result(int folded, List<String> examples, ShapeInference.Result inference) {}

    private KnownShapeFolding() {}

    public static Result run(Model model) {
        ShapeInference.Result facts = ShapeInference.infer(model);
        Graph g = model.graph();
        int folded = 0;
        List<String> examples = new ArrayList<>();
        // A known value read only by nodes whose own outputs are known folds away with them: only the
        // last known value of a chain, where it meets run-time values, becomes an initializer.
        java.util.Set<Node> known = new java.util.HashSet<>();
        for (Node n : g.nodeList()) {
            if (n.outputCount() > 0 && n.outputs().stream().allMatch(v -> v != null && facts.of(v).hasKnownContents())) {
                known.add(n);
            }
        }
        for (Node n : g.nodeList()) {
            if (!n.isStandardDomain() || n.opType().equals("Constant") || !n.subgraphs().isEmpty()) {
                continue;
            }
            for (Value v : n.outputs()) {
                TensorFacts f = v == null ? null : facts.of(v);
                if (f == null || !f.hasKnownContents() || !f.isStatic() || v.isGraphOutput() || !v.subgraphOutputReaders().isEmpty()
                        || v.uses().stream().allMatch(u -> known.contains(u.user()))) {
                    continue;
                }
                long[] values = f.contents().stream().mapToLong(Dim::value).toArray();
                long[] dims = f.staticShape();
                if (Tensor.elementCount(dims) != values.length) {
                    continue;
                }
                Tensor t = Tensor.ofLongs(g.freshName(v.name()), dims, values);
                if (f.dtype() == DataType.INT32) {
                    t = toInt32(t, values);
                }
                g.replaceAllUsesWith(v, g.addInitializer(t));
                folded++;
                if (examples.size() < 5) {
                    examples.add(v.name() + " = " + java.util.Arrays.toString(values));
                }
            }
        }
        return new Result(folded, examples, facts);
    }

    private static Tensor toInt32(Tensor t, long[] values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putInt((int) v);
        }
        b.flip();
        return Tensor.of(t.name(), DataType.INT32, t.dims(), b);
    }
}
