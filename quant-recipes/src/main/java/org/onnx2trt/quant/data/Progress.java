package org.onnx2trt.quant.data;

/**
 * Hears a pass over a data set as it goes: the command line draws a progress bar; a Java caller can
 * ignore it ({@link #NONE}).
 */
public interface Progress {
    Progress NONE = new Progress() {};

    /** A pass begins: {@code title} ("calibrate: ranges"), over {@code total} samples. */
    default void begin(String title, int total) {}

    /** A pass over {@code total} steps of another kind ({@code unit}: "layer groups"). */
    default void begin(String title, int total, String unit) {
        begin(title, total);
    }

    /** {@code done} samples of the pass are through. */
    default void advance(int done) {}

    /** The pass ended. */
    default void end() {}
}
