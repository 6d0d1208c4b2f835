package org.onnx2trt.ir;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.SparseTensorProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.Tensor;

/**
 * Builds the IR of a {@code GraphProto}, subgraphs included.
 *
 * <p>Import never fails on a malformed graph: duplicate definitions, reads of undefined names and
 * cycles are kept as they are, for {@link GraphValidator} to report with node names. Names resolve
 * after all definitions of a graph are known, so nodes out of topological order import correctly.
 */
final class GraphImporter {
    private final Function<TensorProto, Tensor> tensors;

    GraphImporter(Function<TensorProto, Tensor> tensors) {
        this.tensors = tensors;
    }

    Graph importGraph(GraphProto proto, Graph parent, Node owner) {
        Graph g = Graph.forImport(proto, parent, owner);
        for (ValueInfoProto in : proto.getInputList()) {
            Value existing = g.values().get(in.getName());
            Value v = existing != null && !existing.isGraphInput() ? existing : g.newValue(in.getName());
            g.addInputPort(v, in);
        }
        for (TensorProto t : proto.getInitializerList()) {
            Value v = g.valueFor(t.getName());
            if (v.isInitializer() || (v.isDefined() && !v.isGraphInput())) {
                v = g.newValue(t.getName()); // a second definition, for the validator to report
            }
            g.attachInitializer(v, tensors.apply(t));
        }
        for (SparseTensorProto s : proto.getSparseInitializerList()) {
            String name = s.getValues().getName();
            Value existing = g.values().get(name);
            Value v = existing != null && existing.isGraphInput() && !existing.isInitializer()
                    && existing.sparseInitializer() == null ? existing : g.newValue(name);
            g.attachSparseInitializer(v, s);
        }

        // Define every node output first, then resolve inputs: the file order need not be topological.
        List<Node> nodes = new ArrayList<>(proto.getNodeCount());
        for (NodeProto np : proto.getNodeList()) {
            Node n = g.importNode(np);
            for (String out : np.getOutputList()) {
                if (out.isEmpty()) {
                    n.addOutputInternal(null);
                } else {
                    Value v = g.newValue(out);
                    v.setProducer(n, n.outputCount());
                    n.addOutputInternal(v);
                }
            }
            nodes.add(n);
        }
        for (Node n : nodes) {
            for (String in : n.original().getInputList()) {
                n.addInput(in.isEmpty() ? null : resolve(g, in));
            }
        }
        // Subgraphs last: they may read any value of this graph. Other attributes stay in the proto
        // until someone asks (Node.attributeMap).
        for (Node n : nodes) {
            if (n.original().getAttributeList().stream().noneMatch(Attribute::hasGraphs)) {
                continue;
            }
            for (AttributeProto a : n.original().getAttributeList()) {
                List<Graph> subgraphs = new ArrayList<>();
                if (Attribute.hasGraphs(a)) {
                    for (GraphProto sub : Attribute.graphProtos(a)) {
                        subgraphs.add(importGraph(sub, g, n));
                    }
                }
                n.setAttribute(Attribute.read(a, subgraphs));
            }
        }

        for (ValueInfoProto out : proto.getOutputList()) {
            g.addOutputPort(resolve(g, out.getName()), out);
        }
        Map<Value, Boolean> declared = new IdentityHashMap<>();
        for (ValueInfoProto info : proto.getValueInfoList()) {
            Value v = g.values().get(info.getName());
            if (v == null) {
                v = g.newValue(info.getName()); // declares a name nothing defines; kept for the round trip
            } else if (declared.containsKey(v)) {
                v = g.unscopedValue(info.getName()); // a second entry for the same name
            }
            declared.put(v, true);
            v.setValueInfoInternal(info);
            g.appendValueInfoEntry(v);
        }
        return g;
    }

    /** The value a name refers to from graph {@code g}; an undefined placeholder if none. */
    private static Value resolve(Graph g, String name) {
        Value v = g.lookup(name);
        return v != null ? v : g.newValue(name);
    }
}
