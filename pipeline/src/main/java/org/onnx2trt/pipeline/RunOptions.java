package org.onnx2trt.pipeline;

import java.util.Map;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.verify.Tolerance;

/**
 * What a caller adds to a recipe for one run.
 *
 * @param inputLabel how messages name the input model (its path, for the command line)
 * @param samples the verify stages' samples
 * @param perOutput tolerances by output name; other outputs use the verify stage's own
 * @param pinnedShapes input shapes to pin, by input name (the written model takes only those)
 * @param explain a node (name, or its first output's name) whose rule decisions the report keeps; null for none
 * @param calibration the data calibrate stages run (and evaluate stages, without {@code evaluation}); null when
 *     the command gives none
 * @param evaluation held-out data evaluate stages run; null to use the calibration data
 * @param importedTable a table calibrate stages use instead of measuring (a user's TensorRT calibration cache,
 *     read by {@code org.onnx2trt.quant.calib.CalibrationCache}); null to measure on {@code calibration}
 */
public record RunOptions(String inputLabel, SampleSource samples, Map<String, Tolerance> perOutput,
                         Map<String, long[]> pinnedShapes, String explain, DataSource calibration,
                         DataSource evaluation, org.onnx2trt.quant.calib.CalibrationTable importedTable) {
    public RunOptions {
        perOutput = Map.copyOf(perOutput);
        pinnedShapes = Map.copyOf(pinnedShapes);
    }

    /** Options without calibration data (a recipe with a calibrate stage then fails, asking for it). */
    public RunOptions(String inputLabel, SampleSource samples, Map<String, Tolerance> perOutput,
                      Map<String, long[]> pinnedShapes, String explain) {
        this(inputLabel, samples, perOutput, pinnedShapes, explain, null, null, null);
    }

    public RunOptions(String inputLabel, SampleSource samples, Map<String, Tolerance> perOutput,
                      Map<String, long[]> pinnedShapes, String explain, DataSource calibration, DataSource evaluation) {
        this(inputLabel, samples, perOutput, pinnedShapes, explain, calibration, evaluation, null);
    }

    /** These options with calibration data: what calibrate and evaluate stages read. */
    public RunOptions withCalibration(DataSource data) {
        return new RunOptions(inputLabel, samples, perOutput, pinnedShapes, explain, data, evaluation, importedTable);
    }

    /** These options with held-out data for evaluate stages (else they run on the calibration data). */
    public RunOptions withEvaluation(DataSource data) {
        return new RunOptions(inputLabel, samples, perOutput, pinnedShapes, explain, calibration, data, importedTable);
    }

    /** Opens the calibration (and evaluation) data for the model as a stage sees it. */
    @FunctionalInterface
    public interface DataSource {
        org.onnx2trt.quant.data.DataSet open(org.onnx2trt.ir.Model model);
    }

    /** Seeded random samples, no pinned shapes, the recipe's tolerances: what a Java caller usually wants. */
    public static RunOptions defaults(String inputLabel) {
        return new RunOptions(inputLabel, (model, count, seed) -> Samples.random(model, seed, count, InputShapes.DEFAULT),
                Map.of(), Map.of(), null);
    }
}
