package org.onnx2trt.io;

import java.nio.file.Path;

/**
 * What {@link ModelWriter} wrote.
 *
 * @param modelFile the .onnx file
 * @param modelBytes its size
 * @param dataFile the side file, or null when every tensor is inline
 * @param dataBytes the side file's size (0 without one)
 * @param inlineTensors tensors written inline
 * @param externalTensors tensors written to the side file
 */
public record WriteResult(Path modelFile, long modelBytes, Path dataFile, long dataBytes,
                          int inlineTensors, int externalTensors) {}
