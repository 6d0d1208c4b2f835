/**
 * Quantization for TensorRT (issue 13 on): calibration as a stage over {@code ModelExecutor} runs
 * that writes a table, QDQ placement as rule sets that read it, cross-layer equalization and bias
 * correction as graph passes, and the quantization recipes. The stage loop that runs them is
 * {@code org.onnx2trt.pipeline}; this package holds what each stage does.
 */
package org.onnx2trt.quant;
