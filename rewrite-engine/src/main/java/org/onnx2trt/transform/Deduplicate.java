package org.onnx2trt.transform;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.Tensor;

/**
 * Two merges that change no value: initializers with the same type, shape and bytes become one
 * (onnxoptimizer's {@code eliminate_duplicate_initializer}), and nodes with the same op, attributes
 * and inputs become one (common subexpression elimination). Both work on the main graph; random
 * ops are never merged (two draws are two values), nor nodes with subgraphs, nor QuantizeLinear and
 * DequantizeLinear (each consumer keeps its own pair: {@link QuantizationNodes}).
 */
public final class Deduplicate {
    /** What one call merged. */
    public record Merged(int initializers, int nodes) {}

    private Deduplicate() {}

    public static Merged run(Graph g) {
        return new Merged(initializers(g), commonSubexpressions(g));
    }

    /**
     * Merges equal initializers (same dtype, dims and bytes) into the first of them; returns how many
     * were dropped. Bitwise equal constants: the graph computes exactly what it did.
     */
    public static int initializers(Graph g) {
        Map<Key, Value> seen = new HashMap<>();
        int merged = 0;
        for (Value v : g.initializers()) {
            Tensor t = v.initializer();
            if (!v.isConstant() || v.isGraphOutput() || !t.dataType().isFixedSize() || t.isExternal()) {
                continue;
            }
            Key k = new Key(t.dataTypeCode(), t.dims(), t.bytes());
            Value first = seen.putIfAbsent(k, v);
            if (first != null) {
                g.replaceAllUsesWith(v, first);
                g.removeInitializer(v);
                merged++;
            }
        }
        return merged;
    }

    /** Merges nodes that compute the same thing from the same inputs; returns how many were removed. */
    static int commonSubexpressions(Graph g) {
        Map<String, Node> seen = new HashMap<>();
        List<Node> removed = new ArrayList<>();
        for (Node n : g.nodeList()) {
            if (!n.subgraphs().isEmpty() || QuantizationNodes.isQdq(n) || n.opType().startsWith("Random") || n.opType().equals("Multinomial")
                    || n.opType().equals("Bernoulli") || n.outputs().stream().anyMatch(o -> o == null || o.isGraphOutput())) {
                continue;
            }
            String key = signature(n);
            Node first = seen.putIfAbsent(key, n);
            if (first != null && first.outputCount() == n.outputCount()) {
                for (int i = 0; i < n.outputCount(); i++) {
                    g.replaceAllUsesWith(n.output(i), first.output(i));
                }
                removed.add(n);
            }
        }
        removed.forEach(g::remove);
        return removed.size();
    }

    private static String signature(Node n) {
        StringBuilder sb = new StringBuilder(n.domain()).append("::").append(n.opType()).append('(');
        for (Value in : n.inputs()) {
            sb.append(in == null ? "" : System.identityHashCode(in) + ":" + in.name()).append(',');
        }
        sb.append(")/").append(n.outputCount()).append('{');
        n.attributes().values().stream().sorted((a, b) -> a.name().compareTo(b.name()))
                .forEach(a -> sb.append(a.name()).append('=').append(attributeText(a)).append(';'));
        return sb.append('}').toString();
    }

    /** The attribute's exact serialized bytes (not a hash: a collision would merge different nodes). */
    private static String attributeText(Attribute a) {
        return new String(a.proto().toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private record Key(int type, long[] dims, ByteBuffer bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && type == k.type && Arrays.equals(dims, k.dims) && bytes.equals(k.bytes);
        }

        /**
         * Type, shape, size and at most {@link #HASHED_BYTES} leading bytes: equal tensors hash equal,
         * and hashing the whole of every weight (each simplify round) costs more than the rare
         * {@code equals} between same-shape tensors whose first bytes agree.
         */
        @Override
        public int hashCode() {
            ByteBuffer head = bytes.duplicate();
            head.limit(head.position() + Math.min(head.remaining(), HASHED_BYTES));
            return Objects.hash(type, Arrays.hashCode(dims), bytes.remaining(), head.hashCode());
        }

        private static final int HASHED_BYTES = 64;
    }
}
