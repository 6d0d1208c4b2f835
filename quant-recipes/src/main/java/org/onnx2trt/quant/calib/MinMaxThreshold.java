package org.onnx2trt.quant.calib;

/**
 * {@code amax = max |x|}: nothing is clipped, so one outlier stretches the scale for every value.
 * TensorRT's and onnxruntime's {@code minmax} calibrator in its symmetric form.
 */
public final class MinMaxThreshold {
    private MinMaxThreshold() {}

    /** The largest finite |x| of the first pass; clipped fraction 0. amax is 0 for an all-zero tensor. */
    public static Choice choose(RangeStats stats) {
        return new Choice(CalibrationMethod.MINMAX.id(), stats.maxAbs(), 0.0);
    }
}
