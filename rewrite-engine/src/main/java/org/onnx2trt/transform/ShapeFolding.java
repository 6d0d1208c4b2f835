package org.onnx2trt.transform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.exec.RunException;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * Makes shape computations constants. Pinned input shapes ({@code --input-shape}) are written into
 * the model's input declarations first. Then {@link KnownShapeFolding} replaces every shape vector
 * that inference knows (all of a static tensor's Shape, the static dims picked out of a symbolic
 * one, and what is computed from them) without running anything. A {@code Shape} node inference could
 * not settle is left to onnxruntime, when every input has a fixed shape: the model runs with every
 * value as an output, and each such {@code Shape(x)} becomes an initializer of x's dims.
 * {@link ConstantFolding} then folds what is left of the Shape → Gather → Concat → Reshape chains.
 *
 * <p>A shape must follow from the input shapes alone. A Shape whose input has a data-dependent op
 * upstream (NonZero, Compress, Unique, NonMaxSuppression, TopK, control flow) is left alone, and so
 * is any whose result differs between two runs on different random data.
 */
public final class ShapeFolding {
    static final Set<String> DATA_DEPENDENT = Set.of("NonZero", "Compress", "Unique", "NonMaxSuppression", "TopK", "If",
            "Loop", "Scan");

    /**
     * What was done: inputs pinned, shape values made constants (or merged with an equal earlier one)
     * from inference, Shape nodes made
     * constants by running the model, and why some Shape nodes were left when so.
     */
    public record Result(List<String> pinnedInputs, int inferredFolded, int removedNodes, int shapesFolded, String notDone) {}

    private ShapeFolding() {}

    public static Result fold(Model model, Map<String, long[]> pinned, ModelExecutor executor) {
        Graph g = model.graph();
        List<String> pinnedNames = new ArrayList<>();
        for (Port p : new ArrayList<>(g.inputs())) {
            long[] dims = pinned.get(p.name());
            if (dims != null && !p.value().isInitializer()) {
                pin(p, dims);
                pinnedNames.add(p.name());
            }
        }
        KnownShapeFolding.Result known = KnownShapeFolding.run(model);
        int inferred = known.folded() + known.merged() + known.reshapeTargets();
        int removed = inferred > 0 ? DeadCode.sweep(g).nodes() : 0; // only Shape nodes still read are left to run
        List<Node> shapes = g.nodeList().stream().filter(n -> n.opType().equals("Shape") && n.isStandardDomain()
                && !n.output(0).uses().isEmpty()).toList();
        if (shapes.isEmpty()) {
            return new Result(pinnedNames, inferred, removed, 0, null);
        }
        for (Value in : g.runtimeInputs()) {
            List<Types.Dim> dims = Types.shape(in.type());
            if (dims == null || dims.stream().anyMatch(d -> !d.isKnown())) {
                return new Result(pinnedNames, inferred, removed, 0, "input `" + in.name() + "` has a symbolic shape ("
                        + Types.describe(in.type()) + "); pin it with --input-shape " + in.name() + ":D0,D1,...");
            }
        }
        List<String> wanted = shapes.stream().map(n -> n.input(0)).filter(v -> v != null && !dataDependent(v))
                .map(Value::name).distinct().toList();
        Map<String, Tensor> first;
        Map<String, Tensor> second;
        try (ModelExecutor.Session r = executor.open(model, wanted.stream().filter(n -> g.lookup(n).producer() != null).toList())) {
            first = r.run(RandomInputs.forModel(model, 11, InputShapes.DEFAULT));
            second = r.run(RandomInputs.forModel(model, 12, InputShapes.DEFAULT));
        } catch (RunException e) {
            return new Result(pinnedNames, inferred, removed, 0, "onnxruntime cannot run the model to learn its shapes: " + e.getMessage());
        }
        int folded = 0;
        for (Node n : shapes) {
            Value x = n.input(0);
            long[] dims = x == null ? null : dimsOf(x, first);
            long[] again = x == null ? null : dimsOf(x, second);
            if (dims == null || !java.util.Arrays.equals(dims, again) || !wanted.contains(x.name())) {
                continue;
            }
            long[] slice = slice(dims, n);
            Value out = n.output(0);
            Value c = g.addInitializer(Tensor.ofLongs(g.freshName(out.name()), new long[] {slice.length}, slice));
            g.replaceAllUsesWith(out, c);
            folded++;
        }
        return new Result(pinnedNames, inferred, removed, folded, null);
    }

    private static long[] dimsOf(Value x, Map<String, Tensor> run) {
        if (x.isInitializer()) {
            return x.initializer().dims();
        }
        if (x.isGraphInput()) {
            List<Types.Dim> d = Types.shape(x.type());
            return d.stream().mapToLong(Types.Dim::value).toArray();
        }
        Tensor t = run.get(x.name());
        return t == null ? null : t.dims();
    }

    /** Shape's optional start and end attributes (opset 15). */
    private static long[] slice(long[] dims, Node shape) {
        int rank = dims.length;
        Attribute s = shape.attribute("start");
        Attribute e = shape.attribute("end");
        long start = s == null ? 0 : s.asInt();
        long end = e == null ? rank : e.asInt();
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
        return java.util.Arrays.copyOfRange(dims, (int) start, (int) Math.max(start, end));
    }

    /** Whether an op whose output shape depends on data (not only on shapes) is upstream of {@code v}. */
    private static boolean dataDependent(Value v) {
        Deque<Value> todo = new ArrayDeque<>(List.of(v));
        Set<Value> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Value cur = todo.pop();
            Node p = cur.producer();
            if (p == null || !seen.add(cur)) {
                continue;
            }
            if (DATA_DEPENDENT.contains(p.opType()) || !p.isStandardDomain()) {
                return true;
            }
            p.inputs().stream().filter(i -> i != null).forEach(todo::push);
        }
        return false;
    }

    private static void pin(Port p, long[] dims) {
        int elem = Types.elemType(p.value().type());
        TypeProto t = Types.tensor(DataType.fromCode(elem).orElse(DataType.FLOAT), dims);
        p.setDeclaration(ValueInfoProto.newBuilder(p.declaration()).setType(t).build());
    }
}
