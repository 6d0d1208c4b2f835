package org.onnx2trt.transform;

import java.util.List;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.tensor.Tensor;

/**
 * Turns {@code Constant} nodes into initializers of the same name, so that rules see their data as
 * constants (paddle2onnx and some torch exports carry every weight as a Constant node). The value is
 * the same tensor either way; only where it is written changes.
 *
 * <p>Left as nodes: sparse and string constants, tensors whose data lives in a side file, and
 * constants that are graph outputs (an initializer cannot be produced by the graph it is listed in).
 */
public final class ConstantNodes {
    private ConstantNodes() {}

    /** Converts the Constant nodes of {@code graph} and of its subgraphs; returns how many. */
    public static int toInitializers(Graph graph) {
        int converted = 0;
        for (Node n : graph.nodeList()) {
            for (Graph sub : n.subgraphs()) {
                converted += toInitializers(sub);
            }
            Value out = n.outputCount() == 1 ? n.output(0) : null;
            if (!n.isStandardDomain() || !n.opType().equals("Constant") || out == null || out.isGraphOutput()
                    || !out.subgraphOutputReaders().isEmpty()) {
                continue;
            }
            String name = out.name();
            Tensor tensor = tensorOf(n, graph.freshName(name));
            if (tensor == null) {
                continue;
            }
            Value init = graph.addInitializer(tensor);
            graph.replaceAllUsesWith(out, init);
            graph.remove(n);
            init.rename(name);
            converted++;
        }
        return converted;
    }

    /** The node's value as a tensor named {@code name}, or null when it is not a dense numeric one. */
    private static Tensor tensorOf(Node constant, String name) {
        if (constant.attributes().size() != 1) {
            return null;
        }
        Attribute a = constant.attributes().values().iterator().next();
        return switch (a.name()) {
            case "value" -> {
                TensorProto p = a.asTensor();
                boolean external = p.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
                yield external || p.getDataType() == TensorProto.DataType.STRING_VALUE
                        ? null : Tensor.fromProto(p.toBuilder().setName(name).build());
            }
            case "value_float" -> Tensor.ofFloats(name, new long[0], a.asFloat());
            case "value_floats" -> Tensor.ofFloats(name, new long[] {a.asFloats().size()}, toFloats(a.asFloats()));
            case "value_int" -> Tensor.ofLongs(name, new long[0], a.asInt());
            case "value_ints" -> Tensor.ofLongs(name, new long[] {a.asInts().size()},
                    a.asInts().stream().mapToLong(Long::longValue).toArray());
            default -> null;
        };
    }

    private static float[] toFloats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
