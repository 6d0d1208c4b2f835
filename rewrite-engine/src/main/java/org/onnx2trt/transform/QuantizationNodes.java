package org.onnx2trt.transform;

import java.util.Set;
import org.onnx2trt.ir.Node;

/**
 * QuantizeLinear and DequantizeLinear placed by the user or by a rule: the default stages keep them
 * as they are. Constant folding would turn a weight's Q→DQ into a float constant (the model is no
 * longer quantized: TensorRT runs that layer in float), and common-subexpression elimination would
 * merge the dedicated pair each consumer gets into one shared pair (TensorRT's fusions want one pair
 * per consumer). Folding a weight's Q into an int8 initializer is a target's deliberate rule.
 */
public final class QuantizationNodes {
    private static final Set<String> OPS = Set.of("QuantizeLinear", "DequantizeLinear");

    private QuantizationNodes() {}

    /** Whether {@code n} is a QuantizeLinear or DequantizeLinear of the default domain. */
    public static boolean isQdq(Node n) {
        return n.isStandardDomain() && OPS.contains(n.opType());
    }
}
