package org.onnx2trt.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.onnx2trt.proto.Onnx.AttributeProto.AttributeType;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * Checks a graph and its subgraphs for what makes an ONNX model invalid: values defined twice,
 * reads of names nothing defines, dependency cycles, tensors whose data does not fit their type and
 * shape, and initializers whose declared type disagrees with their data. Nodes out of topological
 * order are a warning (legal to read, but TensorRT's parser wants sorted nodes).
 */
public final class GraphValidator {
    private final List<Problem> problems = new ArrayList<>();

    private GraphValidator() {}

    /** All problems of {@code model}'s graphs; empty when valid. */
    public static List<Problem> validate(Model model) {
        return validate(model.graph());
    }

    /** All problems of {@code graph} and its subgraphs; empty when valid. */
    public static List<Problem> validate(Graph graph) {
        GraphValidator v = new GraphValidator();
        v.check(graph, graph.name() == null || graph.name().isEmpty() ? "main" : graph.name());
        return v.problems;
    }

    /** Only the errors of {@link #validate(Model)}. */
    public static List<Problem> errors(Model model) {
        return validate(model).stream().filter(Problem::isError).toList();
    }

    private void check(Graph g, String path) {
        checkDefinitions(g, path);
        checkReads(g, path);
        checkOrder(g, path);
        checkInitializers(g, path);
        checkDeclaredShapes(g, path);
        for (Node n : g.nodes()) {
            if (n.opType().isEmpty()) {
                error(path, n, "node " + n.describe() + " has no op_type");
            }
            for (Attribute a : n.attributes().values()) {
                checkTensorAttribute(path, n, a);
                List<Graph> subgraphs = a.graphs();
                for (int i = 0; i < subgraphs.size(); i++) {
                    String label = n.name().isEmpty() ? n.opType() : n.name();
                    check(subgraphs.get(i), path + "/" + label + "." + a.name() + (subgraphs.size() > 1 ? "[" + i + "]" : ""));
                }
            }
        }
    }

    private void checkDefinitions(Graph g, String path) {
        for (Value dup : g.duplicateDefinitions()) {
            Value first = g.values().get(dup.name());
            error(path, dup.producer(), "`" + dup.name() + "` is defined twice: by " + definition(first)
                    + " and by " + definition(dup) + "; rename one of them");
        }
    }

    private static String definition(Value v) {
        if (v.producer() != null) {
            return "node " + v.producer().describe();
        }
        if (v.isInitializer()) {
            return v.isGraphInput() ? "a graph input with an initializer" : "an initializer";
        }
        if (v.sparseInitializer() != null) {
            return "a sparse initializer";
        }
        return v.isGraphInput() ? "a graph input" : "nothing";
    }

    private void checkReads(Graph g, String path) {
        for (Node n : g.nodes()) {
            for (Value in : n.inputs()) {
                if (in != null && !in.isDefined()) {
                    error(path, n, "node " + n.describe() + " reads `" + in.name()
                            + "`, which no node, graph input or initializer defines");
                }
            }
        }
        for (Port p : g.outputs()) {
            if (!p.value().isDefined()) {
                error(path, null, "graph output `" + p.name() + "` is not computed by any node"
                        + " and is neither a graph input nor an initializer");
            }
        }
    }

    private void checkOrder(Graph g, String path) {
        if (TopologicalOrder.isSorted(g)) {
            return;
        }
        try {
            TopologicalOrder.sort(g);
            warning(path, null, "nodes are not in topological order (TensorRT's parser needs them sorted;"
                    + " `onnx2trt convert --sort` sorts them)");
        } catch (CycleException e) {
            error(path, e.cycle().get(0), e.getMessage() + "; a graph must be acyclic");
        }
    }

    /**
     * The shapes graph inputs and outputs declare: a dim is a size (0 or more) or a name; the sizes'
     * product must fit a 64-bit count (a model claiming more elements than that describes no tensor).
     */
    private void checkDeclaredShapes(Graph g, String path) {
        java.util.List<Port> ports = new java.util.ArrayList<>(g.inputs());
        ports.addAll(g.outputs());
        for (Port p : ports) {
            ValueInfoProto decl = p.declaration();
            if (decl == null || !decl.hasType() || !decl.getType().hasTensorType()) {
                continue;
            }
            List<Types.Dim> shape = Types.shape(decl.getType());
            if (shape == null) {
                continue;
            }
            String port = (g.inputs().contains(p) ? "input" : "output") + " `" + p.name() + "`";
            long[] known = shape.stream().filter(Types.Dim::isKnown).mapToLong(Types.Dim::value).toArray();
            long negative = Arrays.stream(known).filter(d -> d < 0).findFirst().orElse(0);
            if (negative < 0) {
                error(path, null, port + " declares the dim " + negative + " in " + Types.describe(decl.getType())
                        + "; a dim is a size (0 or more) or a name for a symbolic one (an exporter that writes -1 for an"
                        + " unknown dim: give it a name, such as batch)");
            } else if (Tensor.elementCountWithin(known, Long.MAX_VALUE) < 0) {
                error(path, null, port + " declares " + Types.describe(decl.getType()) + ": more elements than a 64-bit count holds");
            }
        }
    }

    private void checkInitializers(Graph g, String path) {
        for (Value v : g.initializers()) {
            Tensor t = v.initializer();
            String problem = tensorProblem(t);
            if (problem != null) {
                error(path, null, "initializer `" + v.name() + "` " + problem);
            }
            checkDeclared(path, v, t, "graph input", v.isGraphInput() ? g.portOf(v).declaration() : null);
            checkDeclared(path, v, t, "value_info", v.valueInfo());
        }
    }

    private void checkTensorAttribute(String path, Node n, Attribute a) {
        if (a.type() != AttributeType.TENSOR || !a.proto().hasT() || a.proto().getT().hasDataLocation()) {
            return;
        }
        var proto = a.proto().getT();
        Tensor t = Tensor.fromProto(proto);
        String problem = tensorProblem(t);
        if (problem != null) {
            error(path, n, "attribute `" + a.name() + "` of node " + n.describe() + ": tensor " + problem);
        }
    }

    private static String tensorProblem(Tensor t) {
        if (t.dataType() == DataType.UNDEFINED) {
            return "has data type " + DataType.nameOf(t.dataTypeCode()) + ", which ONNX does not define";
        }
        for (long d : t.dims()) {
            if (d < 0) {
                return "has a negative dimension " + Arrays.toString(t.dims());
            }
        }
        if (Tensor.elementCountWithin(t.dims(), Long.MAX_VALUE / 16) < 0) { // a byte count of any element type must fit
            return "has dims " + Arrays.toString(t.dims()) + ": more elements than a 64-bit byte count holds";
        }
        return t.dataProblem();
    }

    /** An initializer's data must agree with a type declared for the same name. */
    private void checkDeclared(String path, Value v, Tensor t, String where, ValueInfoProto decl) {
        if (decl == null || !decl.hasType() || !decl.getType().hasTensorType()) {
            return;
        }
        TypeProto type = decl.getType();
        int declared = Types.elemType(type);
        if (declared != 0 && declared != t.dataTypeCode()) {
            error(path, null, "initializer `" + v.name() + "` holds " + DataType.nameOf(t.dataTypeCode())
                    + " data, but its " + where + " declares " + DataType.nameOf(declared));
            return;
        }
        List<Types.Dim> shape = Types.shape(type);
        if (shape == null) {
            return;
        }
        long[] dims = t.dims();
        boolean mismatch = shape.size() != dims.length;
        for (int i = 0; !mismatch && i < dims.length; i++) {
            mismatch = shape.get(i).isKnown() && shape.get(i).value() != dims[i];
        }
        if (mismatch) {
            error(path, null, "initializer `" + v.name() + "` has shape " + Arrays.toString(dims)
                    + ", but its " + where + " declares " + Types.describe(type));
        }
    }

    private void error(String path, Node node, String message) {
        problems.add(new Problem(Problem.Severity.ERROR, path, node, message));
    }

    private void warning(String path, Node node, String message) {
        problems.add(new Problem(Problem.Severity.WARNING, path, node, message));
    }
}
