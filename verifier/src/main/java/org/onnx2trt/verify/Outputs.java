package org.onnx2trt.verify;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.onnx2trt.tensor.Tensor;

/** Comparisons of model outputs. */
public final class Outputs {
    private Outputs() {}

    /**
     * Null when both runs gave the same outputs bit for bit (same names, types, shapes and bytes);
     * otherwise a sentence saying which output differs and how.
     */
    public static String bitDifference(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        if (!expected.keySet().equals(actual.keySet())) {
            return "outputs differ in names: " + expected.keySet() + " vs " + actual.keySet();
        }
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor a = e.getValue();
            Tensor b = actual.get(e.getKey());
            if (a.dataType() != b.dataType() || !Arrays.equals(a.dims(), b.dims())) {
                return "output `" + e.getKey() + "`: " + a + " vs " + b;
            }
            ByteBuffer x = a.bytes();
            ByteBuffer y = b.bytes();
            int at = x.mismatch(y);
            if (at >= 0) {
                return "output `" + e.getKey() + "` differs from byte " + at;
            }
        }
        return null;
    }

    /** σ(x) = 1 / (1 + e^−x) elementwise: what an output made a logit by EliminateSigmoidHead gave before. */
    public static Tensor sigmoid(Tensor logits) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate((int) logits.expectedByteLength())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        Tensor t = Tensor.of(logits.name(), logits.dataType(), logits.dims(), out);
        var src = logits.view();
        var dst = t.mutableView();
        for (int i = 0; i < src.size(); i++) {
            dst.setDouble(i, 1 / (1 + Math.exp(-src.getDouble(i))));
        }
        return t;
    }
}
