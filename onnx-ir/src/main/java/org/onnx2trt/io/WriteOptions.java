package org.onnx2trt.io;

/**
 * How {@link ModelWriter} lays out a model.
 *
 * @param layout where tensor data goes
 * @param sizeThreshold with {@link DataLayout#EXTERNAL}: tensors of fewer bytes stay inline
 * @param dataFileName the side file's name (in the model's folder); null: the model's file name + {@code .data}
 */
public record WriteOptions(DataLayout layout, long sizeThreshold, String dataFileName) {
    /** Tensors below 1 KiB stay inline by default, as onnx's own converter does. */
    public static final long DEFAULT_SIZE_THRESHOLD = 1024;

    public static WriteOptions keep() {
        return new WriteOptions(DataLayout.KEEP, DEFAULT_SIZE_THRESHOLD, null);
    }

    public static WriteOptions inline() {
        return new WriteOptions(DataLayout.INLINE, DEFAULT_SIZE_THRESHOLD, null);
    }

    public static WriteOptions external(long sizeThreshold) {
        return new WriteOptions(DataLayout.EXTERNAL, sizeThreshold, null);
    }
}
