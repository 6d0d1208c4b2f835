/**
 * Calibration statistics and the four ways to turn them into an INT8 clipping threshold.
 *
 * <p>TensorRT INT8 is symmetric with zero point 0:
 * {@code q(x) = s · clamp(rint(x / s), −127, 127)}, {@code s = amax / 127}. Per tensor, a calibrator
 * chooses {@code amax}, the threshold on |x| above which values are clipped. Larger amax clips less
 * but rounds coarser; the methods differ in how they trade the two.
 *
 * <p>Two passes over the calibration set: {@link org.onnx2trt.quant.calib.RangeStats} finds the
 * largest |x| (pass 1), which fixes the range of the {@link org.onnx2trt.quant.calib.AbsHistogram}
 * of |x| filled in pass 2. {@link org.onnx2trt.quant.calib.CalibrationMethod} names the methods and
 * dispatches to {@link org.onnx2trt.quant.calib.MinMaxThreshold},
 * {@link org.onnx2trt.quant.calib.PercentileThreshold},
 * {@link org.onnx2trt.quant.calib.EntropyThreshold} and {@link org.onnx2trt.quant.calib.MseThreshold},
 * each returning a {@link org.onnx2trt.quant.calib.Choice}.
 *
 * <p>Everything here is plain arithmetic on float arrays: no ONNX, no model runs.
 */
package org.onnx2trt.quant.calib;
