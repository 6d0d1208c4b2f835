package org.onnx2trt.tensor;

import java.nio.file.Path;

/**
 * Where a tensor's bytes live outside the model file: a side file, already resolved against the
 * model's folder and checked to stay inside it, and a byte range in it.
 *
 * @param file the side file's absolute path
 * @param location the location as written in the model (relative to the model's folder)
 * @param offset the first byte of the tensor in the file
 * @param length the number of bytes
 */
public record ExternalLocation(Path file, String location, long offset, long length) {}
