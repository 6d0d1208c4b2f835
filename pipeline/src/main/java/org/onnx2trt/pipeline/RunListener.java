package org.onnx2trt.pipeline;

/**
 * Hears a run as it goes: the command line prints each stage's figures as the stage ends (a long
 * bisection then has its table above it); a Java caller can ignore both.
 */
public interface RunListener {
    /** Ignores everything. */
    RunListener NONE = new RunListener() {};

    /** A line of progress ("bisecting 12 applications"), without the trailing newline. */
    default void note(String line) {}

    /** A stage ended; a verify stage reports before any bisection. */
    default void stageDone(StageReport report) {}

    /** Where passes over calibration or evaluation data report their progress. */
    default org.onnx2trt.quant.data.Progress progress() {
        return org.onnx2trt.quant.data.Progress.NONE;
    }
}
