package org.onnx2trt.pipeline;

import java.util.List;
import java.util.Map;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.quant.eval.Evaluation;
import org.onnx2trt.quant.eval.FloatFallback;
import org.onnx2trt.transform.Simplify;
import org.onnx2trt.verify.Equivalence;

/** What one stage of a recipe did: a renderer prints it, a caller reads its figures. */
public sealed interface StageReport {
    /** A simplify stage: what each pass did, and the size guard it folded under. */
    record Simplified(Simplify.Report passes, long maxFoldedSize) implements StageReport {}

    /**
     * A rules stage.
     *
     * @param rules how many rules the stage ran
     * @param applied applications in all rounds
     * @param rounds rounds of rules and re-simplification (1 when the rules ran alone)
     * @param ms wall time
     */
    record RulesApplied(int rules, int applied, int rounds, double ms) implements StageReport {}

    /**
     * A verify stage: the rewritten model against the input, before any bisection.
     *
     * @param asked the samples the stage asked for
     * @param symbolicSizes the sizes of the extra sample with every symbolic dim at a size of its
     *     own, or null when there was none
     * @param equivalence the figures, output by output, and the noise floor allowed for
     * @param noiseFloor whether the stage was to measure a noise floor (off when the recipe sets a tolerance)
     */
    record Verified(int asked, Map<String, Long> symbolicSizes, Equivalence.Report equivalence, boolean noiseFloor)
            implements StageReport {
        public boolean passed() {
            return equivalence.passed();
        }
    }

    /** A calibrate stage: the table it measured, and how long the passes took. */
    record Calibrated(CalibrationTable table, double seconds) implements StageReport {}

    /**
     * A quantize stage.
     *
     * @param target  where the model will run
     * @param applied rules applied (each places the pairs of one op)
     * @param pairs   QuantizeLinear/DequantizeLinear pairs placed
     * @param declined the reasons ops were left in float, with the nodes (labels) each kept float
     * @param ortKernels for target ort-cpu, the op types onnxruntime's CPU provider runs the model as after its
     *                   fusions (QLinearConv, QGemm, ...), with their counts; empty for other targets
     */
    record Quantized(String target, int applied, int pairs, Map<String, List<String>> declined, Map<String, Integer> ortKernels)
            implements StageReport {}

    /**
     * An evaluate stage: the figures (of the model after any fallback), the bounds they were held
     * to, and the fallback's ranking and choices (null when it did not run).
     */
    record Evaluated(Evaluation.Result result, double minSnrDb, double maxDrop, String failure,
                     FloatFallback.Result fallback) implements StageReport {
        public boolean passed() {
            return failure == null;
        }
    }

    /**
     * An fp16 stage: what the conversion did and what it cost against the float32 model.
     *
     * @param conversion nodes in float16, ops kept float32 (with counts), Casts added, weights converted
     * @param outputs    per output, the float16 model against the float32 one (SNR, max error)
     * @param minSnrDb   the bound the outputs were held to
     */
    record Float16(org.onnx2trt.transform.Float16Conversion.Result conversion, List<org.onnx2trt.verify.OutputComparison> outputs,
                   double minSnrDb) implements StageReport {}

    /**
     * An import_qdq stage: what the model's QDQ pairs quantize, and the activation ranges they stand for.
     *
     * @param opsetFrom the model's opset before the stage (13 or more when nothing was upgraded)
     */
    record QdqImported(org.onnx2trt.quant.qat.QdqImport.Result result, CalibrationTable ranges, long opsetFrom)
            implements StageReport {}

    /**
     * A bias_correct stage.
     *
     * @param analytic  rewrites of the analytic rules (one per layer corrected)
     * @param empirical the empirical pass, or null when the stage's method left it out
     */
    record BiasCorrected(int analytic, org.onnx2trt.quant.eval.BiasCorrection.Result empirical) implements StageReport {}

    /** A lint stage: what TensorRT's parser would reject (errors) or run slowly, per node. */
    record Linted(org.onnx2trt.trt.lint.TrtLint.Result result) implements StageReport {}

    /**
     * An align_qdq stage: each change it tried, measured against the model before the stage.
     *
     * @param data     what the changes were measured on
     * @param minSnrDb the bound each output was held to
     * @param maxDrop  the most points of top-1 a change could cost
     */
    record QdqAligned(String data, List<Part> parts, double minSnrDb, double maxDrop) implements StageReport {
        /**
         * One kind of change.
         *
         * @param name    {@code float_ops} or {@code concat_scales}
         * @param changes what it changed (node names, with the scales for a Concat); empty when nothing qualified
         * @param figures the outputs against the model before the stage with this change (and those kept
         *                before it); null when nothing changed
         * @param kept    whether the change stayed (its figures within the bounds)
         * @param why     the bound it broke, when it was undone
         */
        public record Part(String name, List<String> changes, Evaluation.Result figures, boolean kept, String why) {}
    }
}
