package org.onnx2trt.quant.place;

import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.rewrite.CompiledRule;

/**
 * Removes the QDQ pairs in front of ops TensorRT runs in float (Softmax, Sigmoid, Tanh, ...): the rules
 * of {@code qat_float_ops.rw} (tag qat_float), which read the pairs' inputs' ranges measured on data
 * ({@code calib(x).amax}) and remove only a pair that neither clips those data nor rounds them
 * coarsely. Approximate: the QAT model computed with that rounding (each rule states its bound).
 */
public final class FloatOpQdqRemoval {
    /** The shipped rule file. */
    public static final String FILE = "qat_float_ops.rw";

    private static final ShippedRuleFile RULES = new ShippedRuleFile(FILE, "QDQ before float ops");

    private FloatOpQdqRemoval() {}

    /** Removes the pairs the rules allow (in place); the rewrites made and the trace. */
    public static QdqPlacement.Result run(Model model, CalibrationTable measured, Map<String, Object> parameters) {
        return RULES.run(model, measured, parameters);
    }

    /** The rules, compiled once. */
    public static List<CompiledRule> rules() {
        return RULES.rules();
    }
}
