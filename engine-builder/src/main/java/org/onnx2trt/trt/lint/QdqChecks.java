package org.onnx2trt.trt.lint;

import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;

/**
 * QuantizeLinear/DequantizeLinear as TensorRT reads them (explicit quantization): symmetric (zero
 * point 0), int8, int4 or fp8 (never uint8), positive constant scales of a static shape, one scale per
 * tensor or per channel along the axis (for weights; activations per tensor), and no int32 bias
 * DequantizeLinear (TensorRT keeps the bias float).
 */
final class QdqChecks {
    private static final String REQUANTIZE = "quantize the float model for TensorRT: ./onnx2trt quantize IN -o OUT --calib DATA"
            + " (symmetric int8, zero point 0)";

    private QdqChecks() {}

    static void check(LintContext c) {
        for (Node n : c.model.graph().nodeList()) {
            boolean q = n.opType().equals("QuantizeLinear");
            boolean dq = n.opType().equals("DequantizeLinear");
            if (!n.isStandardDomain() || !q && !dq) {
                continue;
            }
            Value x = n.input(0);
            Value scale = n.inputCount() > 1 ? n.input(1) : null;
            Value zero = n.inputCount() > 2 ? n.input(2) : null;
            DataType quantized = dq ? type(x) : zero != null ? type(zero) : DataType.UINT8;
            if (quantized == DataType.UINT8) {
                c.error("qdq-uint8", n, (q ? "quantizes to" : "dequantizes") + " uint8; TensorRT quantizes to int8, int4 or fp8"
                        + " only (a uint8 model is onnxruntime's CPU form)", REQUANTIZE + ", not --target ort-cpu");
            } else if (quantized == DataType.INT32) {
                c.error("qdq-int32-bias", n, "dequantizes int32 (a quantized bias, onnxruntime's form); TensorRT keeps the"
                        + " bias in float and rejects this", REQUANTIZE);
            }
            Tensor z = LintContext.constant(zero);
            if (z != null && z.dataType() != DataType.FLOAT8E4M3FN && !allZero(z)) {
                c.error("qdq-zero-point", n, "zero point is not 0: TensorRT supports symmetric quantization only", REQUANTIZE);
            }
            if (scale == null) {
                continue;
            }
            Tensor s = LintContext.constant(scale);
            if (s == null) {
                c.warning("qdq-scale-computed", n, "the scale is computed at run time; TensorRT needs its shape static and"
                        + " cannot fold the pair into a layer's int8 kernel as readily", "make the scale an initializer");
                continue;
            }
            if (!allPositive(s)) {
                c.error("qdq-scale", n, "a scale is zero or negative; TensorRT requires every scale > 0", REQUANTIZE);
            }
            long count = s.elementCount();
            if (count > 1) {
                if (s.dims().length != 1) {
                    if (x == null || x.type() == null || s.dims().length != Types.shape(x.type()).size()) {
                        c.error("qdq-scale-shape", n, "a scale of shape " + java.util.Arrays.toString(s.dims()) + ": TensorRT"
                                + " reads a scalar, a 1-D per-channel scale, or a blocked scale of the input's rank", REQUANTIZE);
                    }
                } else {
                    long axis = LintContext.integer(n, "axis", 1);
                    var dims = x != null && x.type() != null ? Types.shape(x.type()) : null;
                    if (dims != null && !dims.isEmpty()) {
                        int a = (int) Math.floorMod(axis, dims.size());
                        if (dims.get(a).isKnown() && dims.get(a).value() != count) {
                            c.error("qdq-axis", n, count + " scales along axis " + axis + ", which has " + dims.get(a).value()
                                    + " elements", "set axis to the channel axis (Conv weights 0, ConvTranspose 1, MatMul 1)");
                        }
                    }
                    if (q && x != null && !x.isInitializer()) {
                        c.warning("qdq-per-channel-activation", n, "per-channel quantization of an activation; TensorRT"
                                + " quantizes activations per tensor", "one scale for the activation");
                    }
                }
            }
        }
    }

    private static DataType type(Value v) {
        if (v == null || v.type() == null) {
            return null;
        }
        return DataType.fromCode(Types.elemType(v.type())).orElse(null);
    }

    private static boolean allZero(Tensor t) {
        TensorView v = t.view();
        for (int i = 0; i < v.size(); i++) {
            if (v.getDouble(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean allPositive(Tensor t) {
        TensorView v = t.view();
        for (int i = 0; i < v.size(); i++) {
            if (!(v.getDouble(i) > 0)) {
                return false;
            }
        }
        return true;
    }
}
