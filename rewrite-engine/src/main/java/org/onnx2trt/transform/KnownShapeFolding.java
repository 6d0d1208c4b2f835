package org.onnx2trt.transform;

import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Types.Dim;
import org.onnx2trt.ir.Value;
import org.onnx2trt.shape.ShapeInference;
import org.onnx2trt.shape.TensorFacts;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * Replaces every computed integer vector whose elements inference knows as numbers by an
 * initializer: {@code Shape(x)} of an x whose dims are all static, a {@code Gather} of the channel
 * dim of a [batch, 3, 224, 224] tensor, the Concat that builds a Reshape's target from such pieces.
 * Nothing runs: the values come from {@link ShapeInference}. The producers left unread are then dead
 * code; symbolic dims stay computed at run time.
 *
 * <p>Two computed vectors whose elements are the same numbers and symbols hold the same values at
 * run time (a symbol is a dim of an input declaration, one size for the whole model), so the later
 * one is replaced by the earlier: {@code y.shape[0]} deep in the network becomes the {@code x.shape[0]}
 * read at the input, and the Shape of y goes. An earlier value in node order cannot depend on the
 * later one's readers, so no cycle can form.
 *
 * <p>A Reshape whose target is computed, but known up to dims the Reshape can copy or infer, gets a
 * constant target: an element that is the symbol of the input's dim at the same position becomes 0
 * (copy that dim), and one element nothing says becomes −1 (inferred from the element count). So
 * {@code x.view(x.shape[0], 8, -1)}-style chains fold while the batch stays dynamic, as onnxruntime's
 * reshape fusion does. One case differs: −1 cannot be inferred when another element is 0, so a
 * batch of 0 (an empty tensor), which the computed target reshaped, makes the constant one fail.
 */
public final class KnownShapeFolding {
    /**
     * Values made constants, values merged with an earlier one that holds the same symbolic shape
     * elements, the names of the first few folded (for the report).
     */
    public record Result(int folded, int merged, int reshapeTargets, List<String> examples, ShapeInference.Result inference) {}

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
        int merged = 0;
        java.util.Map<String, Value> bySymbols = new java.util.HashMap<>();
        List<Node> order = org.onnx2trt.ir.TopologicalOrder.isSorted(g) ? g.nodeList() : org.onnx2trt.ir.TopologicalOrder.sort(g);
        for (Node n : order) {
            if (!n.isStandardDomain() || n.opType().equals("Constant") || !n.subgraphs().isEmpty()) {
                continue;
            }
            for (Value v : n.outputs()) {
                TensorFacts f = v == null ? null : facts.of(v);
                if (isSymbolic(f) && !v.isGraphOutput() && v.subgraphOutputReaders().isEmpty()) {
                    String key = f.dtype() + " " + f.shape() + " " + f.contents();
                    Value first = bySymbols.putIfAbsent(key, v);
                    if (first != null && !v.uses().isEmpty()) {
                        g.replaceAllUsesWith(v, first);
                        merged++;
                    }
                    continue;
                }
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
        int targets = 0;
        for (Node n : g.nodeList()) {
            if (n.isStandardDomain() && n.opType().equals("Reshape") && n.inputCount() == 2 && n.input(1) != null
                    && !n.input(1).isConstant() && model.opsetVersion("") >= 5 && !allowsZero(n)) {
                long[] target = constantTarget(facts.of(n.input(0)), facts.of(n.input(1)));
                if (target != null) {
                    n.setInput(1, g.addInitializer(Tensor.ofLongs(g.freshName(n.input(1).name()),
                            new long[] {target.length}, target)));
                    targets++;
                }
            }
        }
        return new Result(folded, merged, targets, examples, facts);
    }

    private static boolean allowsZero(Node reshape) {
        return reshape.attribute("allowzero") != null && reshape.attribute("allowzero").asInt() != 0;
    }

    /** The target with copied dims as 0 and at most one −1; null when more than one element stays open. */
    static long[] constantTarget(TensorFacts data, TensorFacts target) {
        if (target.contents() == null || !data.hasRank()) {
            return null;
        }
        List<Dim> c = target.contents();
        long[] out = new long[c.size()];
        int open = 0;
        for (int i = 0; i < out.length; i++) {
            Dim d = c.get(i);
            if (d.isKnown()) {
                out[i] = d.value();
                open += d.value() == -1 ? 1 : 0;
            } else if (d.symbol() != null && i < data.rank() && d.symbol().equals(data.dim(i).symbol())) {
                out[i] = 0; // copy the input's dim, which is this symbol
            } else {
                out[i] = -1;
                open++;
            }
        }
        return open <= 1 ? out : null;
    }

    /** Elements all numbers or symbols, at least one a symbol, in a value of known type and shape. */
    private static boolean isSymbolic(TensorFacts f) {
        return f != null && f.dtype() != null && f.isStatic() && f.contents() != null && !f.hasKnownContents()
                && f.contents().stream().allMatch(d -> d.isKnown() || d.symbol() != null);
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
