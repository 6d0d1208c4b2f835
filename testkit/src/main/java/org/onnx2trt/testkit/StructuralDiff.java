package org.onnx2trt.testkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.AttributeProto.AttributeType;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;
import org.onnx2trt.text.GraphText;

/**
 * Compares two models' graphs up to the names of values and nodes: what a golden test asks of a
 * rewrite. Equal means: the same graph inputs (by position: type, and default data), the same graph
 * outputs (by position: type and, by default, name), and nodes that correspond one to one with the
 * same op type, domain, attributes and wiring; initializers with the same dtype and shape, and for
 * small ones (see {@link Options}) the same data.
 *
 * <p>The walk starts at the graph outputs and pairs each value of the expected graph with one of
 * the actual graph: a node output with the same output of a corresponding node, whose inputs are
 * then paired in turn; an input with the input of the same position; an initializer with an
 * initializer. A value met twice must meet the same partner both times, so sharing (one node read
 * twice) is compared too. Subgraphs (If, Loop) are compared when their nodes are, with their inputs
 * and outputs by position (their output names do not matter). Nodes and initializers that no output
 * depends on are paired afterwards, in graph order. The model header (ir_version, opsets) is not
 * compared; the order of nodes and of attributes does not matter.
 */
public final class StructuralDiff {

    /**
     * What to compare besides structure.
     *
     * @param outputNames whether the main graph's outputs must have the same names (they are what
     *     callers fetch, so rewrites must keep them)
     * @param dataElementLimit initializers and tensor attributes of at most this many elements have
     *     their data compared; 0 compares no data
     * @param tolerance data elements match when {@code |e - a| <= tolerance * (1 + |e|)}; NaN matches NaN
     */
    public record Options(boolean outputNames, long dataElementLimit, double tolerance) {
        /** Output names compared; data of tensors the text writes as values (up to 16 elements) within 1e-5. */
        public static final Options DEFAULT = new Options(true, GraphText.LITERAL_LIMIT, 1e-5);

        public Options ignoringOutputNames() {
            return new Options(false, dataElementLimit, tolerance);
        }

        /** Structure only: no data compared. */
        public Options structureOnly() {
            return new Options(outputNames, 0, tolerance);
        }

        /** The data of every tensor compared, whatever its size, within {@code tolerance}. */
        public Options withAllData(double tolerance) {
            return new Options(outputNames, Long.MAX_VALUE, tolerance);
        }
    }

    /** The first difference found; thrown to end the walk. */
    private static final class Difference extends RuntimeException {
        Difference(String message) {
            super(message, null, false, false);
        }
    }

    private final Options options;
    private final Map<Value, Value> valueToActual = new IdentityHashMap<>();
    private final Map<Value, Value> valueToExpected = new IdentityHashMap<>();
    private final Map<Node, Node> nodeToActual = new IdentityHashMap<>();
    private final Map<Node, Node> nodeToExpected = new IdentityHashMap<>();
    private final Map<Graph, Graph> graphToActual = new IdentityHashMap<>();
    /** Paired graphs in the order met, with the prefix that places messages in them. */
    private final List<Graph> graphs = new ArrayList<>();
    private final Map<Graph, String> graphPrefix = new IdentityHashMap<>();
    private final Deque<Runnable> work = new ArrayDeque<>();

    private StructuralDiff(Options options) {
        this.options = options;
    }

    /** Null when the graphs are equal under {@link Options#DEFAULT}, else the first difference. */
    public static String compare(Model expected, Model actual) {
        return compare(expected, actual, Options.DEFAULT);
    }

    /** Null when the graphs are equal under {@code options}, else a readable first difference. */
    public static String compare(Model expected, Model actual, Options options) {
        StructuralDiff diff = new StructuralDiff(options);
        try {
            diff.pairGraphs(expected.graph(), actual.graph(), "");
            diff.run();
            return null;
        } catch (Difference d) {
            return d.getMessage();
        }
    }

    private void run() {
        while (true) {
            drain();
            boolean paired = false;
            for (int i = 0; i < graphs.size(); i++) { // grows while it runs: pairing nodes pairs subgraphs
                paired |= pairUnreached(graphs.get(i));
            }
            if (!paired) {
                return;
            }
        }
    }

    private void drain() {
        while (!work.isEmpty()) {
            work.pop().run();
        }
    }

    // ---- graphs --------------------------------------------------------------------------

    private void pairGraphs(Graph e, Graph a, String prefix) {
        graphToActual.put(e, a);
        graphs.add(e);
        graphPrefix.put(e, prefix);
        boolean main = e.parent() == null;

        List<Port> ein = e.inputs();
        List<Port> ain = a.inputs();
        if (ein.size() != ain.size()) {
            throw new Difference(prefix + "expected " + count(ein.size(), "graph input") + names(ein)
                    + ", actual " + ain.size() + names(ain));
        }
        for (int i = 0; i < ein.size(); i++) {
            Value ve = ein.get(i).value();
            Value va = ain.get(i).value();
            String where = prefix + "graph input " + i + " " + pairName(ve, va);
            compareTypes(where, declared(ein.get(i)), declared(ain.get(i)));
            if (ve.isInitializer() != va.isInitializer()) {
                throw new Difference(where + ": expected " + (ve.isInitializer() ? "a" : "no") + " default value"
                        + " (initializer), actual " + (va.isInitializer() ? "one" : "none"));
            }
            if (ve.isInitializer()) {
                compareTensors(where, ve.initializer(), va.initializer());
            }
            record(ve, va);
        }

        List<Port> eout = e.outputs();
        List<Port> aout = a.outputs();
        if (eout.size() != aout.size()) {
            throw new Difference(prefix + "expected " + count(eout.size(), "graph output") + names(eout)
                    + ", actual " + aout.size() + names(aout));
        }
        for (int i = eout.size() - 1; i >= 0; i--) { // pushed last first, so that output 0 is walked first
            Port pe = eout.get(i);
            Port pa = aout.get(i);
            String where = prefix + "graph output " + i + " " + pairName(pe.value(), pa.value());
            if (main && options.outputNames() && !pe.name().equals(pa.name())) {
                throw new Difference(prefix + "graph output " + i + ": expected name `" + pe.name() + "`, actual `"
                        + pa.name() + "`; rewrites must keep the names of graph outputs");
            }
            compareTypes(where, declared(pe), declared(pa));
            work.push(() -> pairValues(pe.value(), pa.value(), where));
        }
    }

    /** Pairs, in graph order, the nodes and initializers of a graph pair that nothing reached. */
    private boolean pairUnreached(Graph e) {
        Graph a = graphToActual.get(e);
        String prefix = graphPrefix.get(e);
        List<Node> en = e.nodeList().stream().filter(n -> !nodeToActual.containsKey(n)).toList();
        List<Node> an = a.nodeList().stream().filter(n -> !nodeToExpected.containsKey(n)).toList();
        if (en.size() != an.size()) {
            throw new Difference(prefix + "expected " + count(en.size(), "node") + " that no graph output depends on"
                    + nodeList(en) + ", actual " + an.size() + nodeList(an));
        }
        for (int i = 0; i < en.size(); i++) {
            pairNodes(en.get(i), an.get(i), prefix + "a node no graph output depends on");
        }
        List<Value> ei = e.initializers().stream().filter(v -> !valueToActual.containsKey(v)).toList();
        List<Value> ai = a.initializers().stream().filter(v -> !valueToExpected.containsKey(v)).toList();
        if (ei.size() != ai.size()) {
            throw new Difference(prefix + "expected " + count(ei.size(), "unused initializer") + valueNames(ei)
                    + ", actual " + ai.size() + valueNames(ai));
        }
        for (int i = 0; i < ei.size(); i++) {
            pairValues(ei.get(i), ai.get(i), prefix + "an unused initializer");
        }
        return !en.isEmpty() || !ei.isEmpty();
    }

    // ---- values --------------------------------------------------------------------------

    private void pairValues(Value e, Value a, String where) {
        if (e == null || a == null) {
            if (e != a) {
                throw new Difference(where + ": expected " + describe(e) + ", actual " + describe(a));
            }
            return;
        }
        Value partner = valueToActual.get(e);
        if (partner == a) {
            return;
        }
        if (e.isGraphInput() || a.isGraphInput()) { // paired by position up front: the kinds or positions differ
            throw new Difference(where + ": expected " + describe(e) + ", actual " + describe(a));
        }
        if (partner != null) {
            throw new Difference(where + ": expected " + describe(e) + ", actual " + describe(a) + "; expected `"
                    + e.name() + "` corresponds to actual `" + partner.name() + "` elsewhere");
        }
        Value other = valueToExpected.get(a);
        if (other != null) {
            throw new Difference(where + ": expected " + describe(e) + ", actual " + describe(a) + "; actual `"
                    + a.name() + "` corresponds to expected `" + other.name() + "` elsewhere");
        }
        if (graphToActual.get(e.graph()) != a.graph() || kind(e) != kind(a)
                || (e.producer() != null && e.producerIndex() != a.producerIndex())) {
            throw new Difference(where + ": expected " + describe(e) + ", actual " + describe(a));
        }
        record(e, a);
        if (e.isInitializer()) {
            compareTensors(where + ", initializer " + pairName(e, a), e.initializer(), a.initializer());
        }
        if (e.producer() != null) {
            pairNodes(e.producer(), a.producer(), where);
        }
    }

    private void record(Value e, Value a) {
        valueToActual.put(e, a);
        valueToExpected.put(a, e);
    }

    private enum Kind { GRAPH_INPUT, INITIALIZER, SPARSE_INITIALIZER, NODE_OUTPUT, UNDEFINED }

    private static Kind kind(Value v) {
        if (v.isGraphInput()) {
            return Kind.GRAPH_INPUT; // inputs are paired by position up front; meeting one unpaired is a difference
        }
        if (v.isInitializer()) {
            return Kind.INITIALIZER;
        }
        if (v.sparseInitializer() != null) {
            return Kind.SPARSE_INITIALIZER;
        }
        return v.producer() != null ? Kind.NODE_OUTPUT : Kind.UNDEFINED;
    }

    /** A value as messages name it: {@code `c` (output 0 of Conv)}, {@code graph input 1 `w`}. */
    private static String describe(Value v) {
        if (v == null) {
            return "no value (an omitted optional input)";
        }
        if (v.isGraphInput()) {
            int index = 0;
            for (Port p : v.graph().inputs()) {
                if (p.value() == v) {
                    break;
                }
                index++;
            }
            return "graph input " + index + " `" + v.name() + "`";
        }
        if (v.isInitializer()) {
            return "initializer `" + v.name() + "` " + tensorType(v.initializer());
        }
        if (v.sparseInitializer() != null) {
            return "sparse initializer `" + v.name() + "`";
        }
        if (v.producer() != null) {
            return "`" + v.name() + "` (output " + v.producerIndex() + " of " + v.producer().qualifiedOpType() + ")";
        }
        return "`" + v.name() + "`, which nothing defines";
    }

    // ---- nodes ---------------------------------------------------------------------------

    private void pairNodes(Node e, Node a, String where) {
        Node partner = nodeToActual.get(e);
        if (partner == a) {
            return;
        }
        if (partner != null || nodeToExpected.containsKey(a)) {
            throw new Difference(where + ": expected " + label(e) + " and actual " + label(a)
                    + " do not correspond: " + (partner != null ? "expected " + label(e) + " corresponds to actual "
                    + label(partner) : "actual " + label(a) + " corresponds to expected " + label(nodeToExpected.get(a))));
        }
        if (!e.qualifiedOpType().equals(a.qualifiedOpType())) {
            throw new Difference(where + ": expected " + label(e) + ", actual " + label(a));
        }
        nodeToActual.put(e, a);
        nodeToExpected.put(a, e);
        String at = graphPrefix.get(e.graph()) + pairLabel(e, a);

        if (e.outputCount() != a.outputCount()) {
            throw new Difference(at + ": expected " + count(e.outputCount(), "output") + ", actual " + a.outputCount());
        }
        for (int i = 0; i < e.outputCount(); i++) {
            Value oe = e.output(i);
            Value oa = a.output(i);
            if ((oe == null) != (oa == null)) {
                throw new Difference(at + ": output " + i + ": expected " + (oe == null ? "none (omitted)" : "`" + oe.name() + "`")
                        + ", actual " + (oa == null ? "none (omitted)" : "`" + oa.name() + "`"));
            }
        }
        compareAttributes(e, a, at);
        if (e.inputCount() != a.inputCount()) {
            throw new Difference(at + ": expected " + count(e.inputCount(), "input") + ", actual " + a.inputCount());
        }
        for (int i = e.inputCount() - 1; i >= 0; i--) {
            int index = i;
            String inputWhere = graphPrefix.get(e.graph()) + "input " + i + " of " + pairLabel(e, a);
            work.push(() -> pairValues(e.input(index), a.input(index), inputWhere));
        }
    }

    private void compareAttributes(Node e, Node a, String at) {
        Map<String, Attribute> ea = e.attributes();
        Map<String, Attribute> aa = a.attributes();
        for (Attribute x : ea.values()) {
            Attribute y = aa.get(x.name());
            if (y == null) {
                throw new Difference(at + ": expected attribute `" + x.name() + "` = " + valueText(x) + ", actual has none");
            }
            if (x.type() != y.type()) {
                throw new Difference(at + ": attribute `" + x.name() + "`: expected " + x.type().name().toLowerCase()
                        + " " + valueText(x) + ", actual " + y.type().name().toLowerCase() + " " + valueText(y));
            }
            if (!x.graphs().isEmpty() || !y.graphs().isEmpty()) {
                if (x.graphs().size() != y.graphs().size()) {
                    throw new Difference(at + ": attribute `" + x.name() + "`: expected " + count(x.graphs().size(), "graph")
                            + ", actual " + y.graphs().size());
                }
                for (int i = 0; i < x.graphs().size(); i++) {
                    String prefix = at + ", attribute `" + x.name() + "`" + (x.graphs().size() > 1 ? "[" + i + "]" : "") + ": ";
                    pairGraphs(x.graphs().get(i), y.graphs().get(i), prefix);
                }
                continue;
            }
            if (x.type() == AttributeType.TENSOR) {
                compareTensors(at + ": attribute `" + x.name() + "`", Tensor.fromProto(x.asTensor()),
                        Tensor.fromProto(y.asTensor()));
                continue;
            }
            if (!sameValue(x, y)) {
                throw new Difference(at + ": attribute `" + x.name() + "`: expected " + valueText(x) + ", actual " + valueText(y));
            }
        }
        for (Attribute y : aa.values()) {
            if (!ea.containsKey(y.name())) {
                throw new Difference(at + ": actual has an extra attribute `" + y.name() + "` = " + valueText(y));
            }
        }
    }

    private static boolean sameValue(Attribute x, Attribute y) {
        return switch (x.type()) {
            case INT -> x.asInt() == y.asInt();
            case FLOAT -> Float.compare(x.asFloat(), y.asFloat()) == 0 || x.asFloat() == y.asFloat();
            case STRING -> x.proto().getS().equals(y.proto().getS());
            case INTS -> x.asInts().equals(y.asInts());
            case FLOATS -> x.asFloats().equals(y.asFloats());
            case STRINGS -> x.proto().getStringsList().equals(y.proto().getStringsList());
            default -> x.proto().toBuilder().clearName().build().equals(y.proto().toBuilder().clearName().build());
        };
    }

    private static String valueText(Attribute a) {
        if (!a.graphs().isEmpty()) {
            return "a graph";
        }
        try {
            return GraphText.attributeText(a);
        } catch (IllegalArgumentException e) {
            return "(" + a.type().name().toLowerCase() + ")";
        }
    }

    /** {@code Conv computing `c`}, the node named by what it computes (node names are often absent). */
    private static String label(Node n) {
        String out = firstOutput(n);
        return n.qualifiedOpType() + (out != null ? " computing `" + out + "`" : n.name().isEmpty() ? "" : " `" + n.name() + "`");
    }

    /** The expected node's label, with the actual node's output name where it differs. */
    private static String pairLabel(Node e, Node a) {
        String oe = firstOutput(e);
        String oa = firstOutput(a);
        return label(e) + (oa != null && !oa.equals(oe) ? " (actual `" + oa + "`)" : "");
    }

    private static String firstOutput(Node n) {
        for (Value v : n.outputs()) {
            if (v != null) {
                return v.name();
            }
        }
        return null;
    }

    // ---- types and tensors ---------------------------------------------------------------

    private static TypeProto declared(Port p) {
        return p.declaration().hasType() ? p.declaration().getType() : null;
    }

    private static void compareTypes(String where, TypeProto e, TypeProto a) {
        String te = e == null ? "no type" : Types.describe(e);
        String ta = a == null ? "no type" : Types.describe(a);
        if (!te.equals(ta)) {
            throw new Difference(where + ": expected " + te + ", actual " + ta);
        }
    }

    private void compareTensors(String where, Tensor e, Tensor a) {
        if (e.dataTypeCode() != a.dataTypeCode() || !Arrays.equals(e.dims(), a.dims())) {
            throw new Difference(where + ": expected " + tensorType(e) + ", actual " + tensorType(a));
        }
        if (e.elementCount() > options.dataElementLimit() || e.elementCount() == 0) {
            return;
        }
        if (!TensorView.supports(e.dataType())) {
            if (!e.bytes().equals(a.bytes())) {
                throw new Difference(where + ": the data differs");
            }
            return;
        }
        TensorView ve = e.view();
        TensorView va = a.view();
        for (int i = 0; i < ve.size(); i++) {
            double x = ve.getDouble(i);
            double y = va.getDouble(i);
            boolean same = (Double.isNaN(x) && Double.isNaN(y)) || x == y
                    || Math.abs(x - y) <= options.tolerance() * (1 + Math.abs(x));
            if (!same) {
                throw new Difference(where + ": data differs at element " + i + ": expected "
                        + GraphText.elementText(ve, i) + ", actual " + GraphText.elementText(va, i)
                        + (ve.size() <= GraphText.LITERAL_LIMIT ? " (expected " + GraphText.dataText(e, GraphText.LITERAL_LIMIT)
                        + ", actual " + GraphText.dataText(a, GraphText.LITERAL_LIMIT) + ")" : ""));
            }
        }
    }

    private static String tensorType(Tensor t) {
        return Types.describe(Types.ofTensor(t));
    }

    // ---- words ---------------------------------------------------------------------------

    private static String pairName(Value e, Value a) {
        return "`" + e.name() + "`" + (e.name().equals(a.name()) ? "" : " (actual `" + a.name() + "`)");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String names(List<Port> ports) {
        return valueNames(ports.stream().map(Port::value).toList());
    }

    /** {@code " (`a`, `b`)"}, or nothing for no values. */
    private static String valueNames(List<Value> values) {
        List<String> names = new ArrayList<>();
        values.forEach(v -> names.add("`" + v.name() + "`"));
        return names.isEmpty() ? "" : " (" + String.join(", ", names) + ")";
    }

    private static String nodeList(List<Node> nodes) {
        if (nodes.isEmpty()) {
            return "";
        }
        List<String> labels = new ArrayList<>();
        nodes.stream().limit(3).forEach(n -> labels.add(label(n)));
        return " (" + String.join(", ", labels) + (nodes.size() > 3 ? ", ..." : "") + ")";
    }
}
