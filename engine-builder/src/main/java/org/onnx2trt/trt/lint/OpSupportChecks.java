package org.onnx2trt.trt.lint;

import java.util.Optional;
import java.util.Set;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;

/**
 * What the parser reads at all: the model's opset, ops of other domains, ops it does not import,
 * element types it has no TensorRT type for.
 */
final class OpSupportChecks {
    /** Integer-arithmetic ops of onnxruntime's QOperator format: TensorRT reads explicit QDQ instead. */
    private static final Set<String> QOPERATOR = Set.of("QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger",
            "DynamicQuantizeLinear");
    /** TensorRT's own custom Q/DQ ops, which its parser imports. */
    private static final Set<String> TRT_CUSTOM = Set.of("TRT_FP8QuantizeLinear", "TRT_FP8DequantizeLinear",
            "TRT_INT4QuantizeLinear", "TRT_INT4DequantizeLinear");
    /** Element types the parser has no TensorRT type for ("Unsupported ONNX data type"). */
    private static final Set<DataType> NO_TRT_TYPE = Set.of(DataType.INT16, DataType.UINT16, DataType.UINT32,
            DataType.UINT64, DataType.STRING, DataType.COMPLEX64, DataType.COMPLEX128);

    private OpSupportChecks() {}

    static void check(LintContext c) {
        long opset = c.model.opsetVersion("");
        if (opset < c.version.minOpset() || opset > c.version.maxOpset()) {
            c.add(new Finding(Finding.Severity.ERROR, "opset", "(model)", "", "default-domain opset " + opset + "; TensorRT "
                    + c.version + "'s ONNX parser reads opsets " + c.version.minOpset() + " to " + c.version.maxOpset(),
                    opset < c.version.minOpset() ? "export again with opset 13 to 17"
                            : "export again with opset " + c.version.maxOpset() + " or lower"));
        }
        check(c, c.model.graph());
    }

    private static void check(LintContext c, Graph g) {
        for (Node n : g.nodeList()) {
            if (!n.isStandardDomain()) {
                if (!TRT_CUSTOM.contains(n.opType())) {
                    c.error("foreign-op", n, "`" + n.domain() + "::" + n.opType() + "` is not an ONNX op; TensorRT reads it"
                            + " only through a plugin registered under that name",
                            n.domain().equals("com.microsoft") ? "export the model again without onnxruntime's optimizations"
                                    + " (this op is onnxruntime's own), or build with a plugin for it" : "build with a plugin for it");
                }
            } else {
                Optional<ParserOps.Entry> entry = ParserOps.find(n.opType());
                if (entry.isEmpty() || !entry.get().supported()) {
                    String fix = QOPERATOR.contains(n.opType())
                            ? "TensorRT reads explicit QuantizeLinear/DequantizeLinear: quantize the float model with ./onnx2trt quantize"
                            : "compute it outside the engine, or build with a plugin for it";
                    c.error("unsupported-op", n, "TensorRT's ONNX parser does not import `" + n.opType() + "`"
                            + (entry.isEmpty() ? " (not in its operator table)" : ""), fix);
                }
            }
            for (Value v : n.outputs()) {
                type(c, n, v);
            }
            for (Graph sub : n.subgraphs()) {
                check(c, sub);
            }
        }
    }

    private static void type(LintContext c, Node n, Value v) {
        if (v == null || v.type() == null) {
            return;
        }
        Optional<DataType> t = DataType.fromCode(Types.elemType(v.type()));
        if (t.isEmpty()) {
            return;
        }
        if (NO_TRT_TYPE.contains(t.get())) {
            c.error("unsupported-type", n, "`" + v.name() + "` is " + t.get().displayName() + ", which TensorRT has no type for",
                    "compute in int32, int64 or float; a Cast to one of them where the value is made");
        } else if (t.get() == DataType.DOUBLE) {
            c.warning("double", n, "`" + v.name() + "` is float64: TensorRT computes it in float32, clamped to ±3.4e38",
                    "export in float32");
        }
    }
}
