package org.onnx2trt.quant.place;

import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.rewrite.CompiledRule;

/**
 * The analytic bias correction of a quantized model: the rules of {@code bias_correction.rw} (tag
 * bias_correction), with the calibration table's per-channel means as facts ({@code calib(x).mean}).
 */
public final class AnalyticBiasCorrection {
    /** The shipped rule file. */
    public static final String FILE = "bias_correction.rw";

    private static final ShippedRuleFile RULES = new ShippedRuleFile(FILE, "bias correction (analytic)");

    private AnalyticBiasCorrection() {}

    /** Corrects the biases of {@code model}'s quantized Convs and Gemms (changed in place); the rewrites made and the trace. */
    public static QdqPlacement.Result run(Model model, CalibrationTable table, Map<String, Object> parameters) {
        return RULES.run(model, table, parameters);
    }

    /** The rules, compiled once. */
    public static List<CompiledRule> rules() {
        return RULES.rules();
    }
}
