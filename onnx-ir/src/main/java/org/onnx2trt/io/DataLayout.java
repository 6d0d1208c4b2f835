package org.onnx2trt.io;

/** Where a writer puts tensor data. */
public enum DataLayout {
    /** Each tensor where it was read: external tensors go to the output's data file, the rest inline. */
    KEEP,
    /** Every tensor inline in the .onnx file (fails past protobuf's 2 GiB limit). */
    INLINE,
    /** Tensors of at least the size threshold in one side file next to the model, the rest inline. */
    EXTERNAL
}
