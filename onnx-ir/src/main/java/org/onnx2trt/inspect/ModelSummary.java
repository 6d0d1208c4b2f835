package org.onnx2trt.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * The facts {@code onnx2trt inspect} reports about a model.
 *
 * @param irVersion the model's IR version
 * @param producerName who exported it (e.g. {@code pytorch})
 * @param producerVersion the exporter's version
 * @param opsets imported opsets, domain ({@code ai.onnx} for the default one) to version
 * @param inputs graph inputs a caller feeds (initializers listed as inputs left out)
 * @param outputs graph outputs
 * @param nodeCount nodes of the main graph
 * @param nodeCountWithSubgraphs nodes including those in If/Loop/Scan bodies
 * @param opHistogram op type ({@code domain::Op} outside the default domain) to count, most frequent first
 * @param initializerCount initializers of all graphs
 * @param initializersListedAsInputs initializers that are also graph inputs (older exporters do this)
 * @param parameterCount elements over all initializers
 * @param weightBytes bytes of initializer data, inline and external
 * @param externalWeightBytes of which in side files
 */
public record ModelSummary(
        long irVersion,
        String producerName,
        String producerVersion,
        Map<String, Long> opsets,
        List<IoEntry> inputs,
        List<IoEntry> outputs,
        int nodeCount,
        int nodeCountWithSubgraphs,
        Map<String, Integer> opHistogram,
        int initializerCount,
        int initializersListedAsInputs,
        long parameterCount,
        long weightBytes,
        long externalWeightBytes) {

    /**
     * One graph input or output.
     *
     * @param name the value's name
     * @param dtype element type ({@code float32}), or {@code ?} when undeclared
     * @param shape dims: numbers ({@code Long}), symbolic names ({@code String}), null for unknown; the list is null when the rank is unknown
     * @param type the whole type as text, e.g. {@code float32[batch,3,224,224]}
     */
    public record IoEntry(String name, String dtype, List<Object> shape, String type) {}

    /** Collects the summary of {@code model}. */
    public static ModelSummary of(Model model) {
        Graph g = model.graph();
        List<IoEntry> inputs = new ArrayList<>();
        for (Value v : g.runtimeInputs()) {
            inputs.add(entry(v));
        }
        List<IoEntry> outputs = new ArrayList<>();
        for (Port p : g.outputs()) {
            outputs.add(entry(p.value()));
        }
        Counts counts = new Counts();
        counts.add(g);
        int listedAsInputs = (int) g.initializers().stream().filter(Value::isGraphInput).count();
        Map<String, Long> opsets = new LinkedHashMap<>();
        model.opsets().forEach((domain, version) -> opsets.put(domain.isEmpty() ? "ai.onnx" : domain, version));
        return new ModelSummary(model.irVersion(), model.producerName(), model.producerVersion(), opsets,
                inputs, outputs, g.nodeCount(), counts.nodes, sortedByCount(counts.ops), counts.initializers,
                listedAsInputs, counts.parameters, counts.bytes, counts.externalBytes);
    }

    private static IoEntry entry(Value v) {
        var type = v.type();
        List<Types.Dim> dims = Types.shape(type);
        List<Object> shape = null;
        if (dims != null) {
            shape = new ArrayList<>();
            for (Types.Dim d : dims) {
                shape.add(d.isKnown() ? d.value() : d.symbol());
            }
        }
        int elem = Types.elemType(type);
        return new IoEntry(v.name(), elem == 0 ? "?" : DataType.nameOf(elem), shape, Types.describe(type));
    }

    private static Map<String, Integer> sortedByCount(Map<String, Integer> ops) {
        Map<String, Integer> out = new LinkedHashMap<>();
        ops.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Running totals over a graph and its subgraphs. */
    private static final class Counts {
        int nodes;
        int initializers;
        long parameters;
        long bytes;
        long externalBytes;
        final Map<String, Integer> ops = new TreeMap<>();

        void add(Graph g) {
            for (Value v : g.initializers()) {
                Tensor t = v.initializer();
                initializers++;
                parameters += t.elementCount();
                long size = t.storedByteLength();
                bytes += size;
                if (t.isExternal()) {
                    externalBytes += size;
                }
            }
            for (Node n : g.nodes()) {
                nodes++;
                ops.merge(n.qualifiedOpType(), 1, Integer::sum);
                for (Graph sub : n.subgraphs()) {
                    add(sub);
                }
            }
        }
    }
}
