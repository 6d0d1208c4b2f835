package org.onnx2trt.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.exec.RunException;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.TopologicalOrder;
import org.onnx2trt.ir.Use;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.Tensor;

/**
 * Replaces every value the main graph computes from constants alone by an initializer holding it.
 * Cheap ops are evaluated in Java first ({@link JavaFolding}). For the rest, the nodes whose inputs
 * are all constants (initializers that are not graph inputs, or outputs of such nodes) are cut out as one small model, run once in onnxruntime (so every op onnxruntime
 * knows folds, exactly as it would compute it), and their results that other nodes read become
 * initializers. The nodes left unread are then removed.
 *
 * <p>Not folded: QuantizeLinear and DequantizeLinear ({@link QuantizationNodes}), random ops (each
 * run would differ), ops with subgraphs, ops outside the default
 * domain, graph outputs (they keep their producers), and results of more than {@code maxElements}
 * elements (a folded Expand or Tile can be far larger than what computes it).
 */
public final class ConstantFolding {
    static final Set<String> NONDETERMINISTIC = Set.of("RandomNormal", "RandomUniform", "RandomNormalLike",
            "RandomUniformLike", "Multinomial", "Bernoulli");

    /** What one call folded. */
    public record Result(int foldedValues, int removedNodes, List<String> tooLarge) {}

    private ConstantFolding() {}

    public static Result fold(Model model, long maxElements, ModelExecutor executor) {
        Graph g = model.graph();
        Map<Value, String> inJava = JavaFolding.fold(model, maxElements);
        List<Node> order = TopologicalOrder.isSorted(g) ? g.nodeList() : TopologicalOrder.sort(g);
        Set<Value> constant = new HashSet<>();
        for (Value v : g.initializers()) {
            if (v.isConstant()) {
                constant.add(v);
            }
        }
        List<Node> foldable = new ArrayList<>();
        Set<Node> inFoldable = new HashSet<>();
        for (Node n : order) {
            if (isFoldable(n, constant)) {
                foldable.add(n);
                inFoldable.add(n);
                n.outputs().stream().filter(v -> v != null).forEach(constant::add);
            }
        }
        // The values the rest of the graph reads from the foldable part.
        Map<String, Value> needed = new LinkedHashMap<>();
        for (Node n : foldable) {
            for (Value v : n.outputs()) {
                if (v != null && !v.isGraphOutput() && v.subgraphOutputReaders().isEmpty() && readOutside(v, inFoldable)) {
                    needed.put(v.name(), v);
                }
            }
        }
        if (needed.isEmpty()) {
            return finish(g, List.of(), inJava);
        }
        Map<String, Tensor> results;
        try (ModelExecutor.Session runner = executor.open(Model.fromProto(cutOut(model, foldable, needed.keySet())))) {
            results = runner.run(Map.of());
        } catch (RunException e) {
            return finish(g, List.of(), inJava); // onnxruntime cannot compute it: leave the rest as it is
        }
        List<String> tooLarge = new ArrayList<>();
        Map<Value, String> renames = new LinkedHashMap<>(inJava);
        for (Map.Entry<String, Value> e : needed.entrySet()) {
            Tensor t = results.get(e.getKey());
            if (t == null) {
                continue;
            }
            if (t.elementCount() > maxElements) {
                tooLarge.add(e.getKey() + " (" + t.elementCount() + " elements)");
                continue;
            }
            Value init = g.addInitializer(Tensor.of(g.freshName(e.getKey()), t.dataType(), t.dims(), t.bytes()));
            g.replaceAllUsesWith(e.getValue(), init);
            renames.put(init, e.getKey());
        }
        return finish(g, tooLarge, renames);
    }

    /** Dead code out, folded values back under their names; Java-folded values count when still read. */
    private static Result finish(Graph g, List<String> tooLarge, Map<Value, String> renames) {
        int before = g.nodeCount();
        if (!renames.isEmpty()) {
            DeadCode.sweep(g);
        }
        int removed = before - g.nodeCount();
        // Java folds node by node; a value counts when something still reads it, as each runtime result does.
        int folded = (int) renames.keySet().stream().filter(v -> !v.uses().isEmpty()).count();
        renames.forEach((init, name) -> {
            if (g.lookup(name) == null) {
                init.rename(name); // the folded value keeps its name when its producer is gone
            }
        });
        return new Result(folded, removed, tooLarge);
    }

    private static boolean isFoldable(Node n, Set<Value> constant) {
        if (!n.isStandardDomain() || NONDETERMINISTIC.contains(n.opType()) || !n.subgraphs().isEmpty()
                || QuantizationNodes.isQdq(n) // a placed QDQ stays (see QuantizationNodes)
                || n.outputs().stream().allMatch(v -> v == null)) {
            return false;
        }
        for (Value in : n.inputs()) {
            if (in != null && !constant.contains(in)) {
                return false;
            }
        }
        return true;
    }

    private static boolean readOutside(Value v, Set<Node> inside) {
        for (Use u : v.uses()) {
            if (!inside.contains(u.user())) {
                return true;
            }
        }
        return false;
    }

    /** A model of just {@code nodes}, their constant inputs as initializers, {@code outputs} as outputs. */
    private static ModelProto cutOut(Model model, List<Node> nodes, Set<String> outputs) {
        ModelProto full = model.toProto();
        GraphProto graph = full.getGraph();
        Set<String> names = new LinkedHashSet<>();
        nodes.forEach(n -> n.inputs().stream().filter(v -> v != null).forEach(v -> names.add(v.name())));
        Set<String> nodeOutputs = new HashSet<>();
        nodes.forEach(n -> n.outputs().stream().filter(v -> v != null).forEach(v -> nodeOutputs.add(v.name())));
        GraphProto.Builder cut = GraphProto.newBuilder().setName("constants");
        graph.getInitializerList().stream().filter(t -> names.contains(t.getName()) && !nodeOutputs.contains(t.getName()))
                .forEach(cut::addInitializer);
        Set<Node> chosen = new HashSet<>(nodes);
        int i = 0;
        for (Node n : model.graph().nodes()) {
            if (chosen.contains(n)) {
                cut.addNode(graph.getNode(i));
            }
            i++;
        }
        outputs.forEach(o -> cut.addOutput(ValueInfoProto.newBuilder().setName(o)));
        return full.toBuilder().setGraph(cut).build();
    }
}
