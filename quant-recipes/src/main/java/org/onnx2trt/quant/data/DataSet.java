package org.onnx2trt.quant.data;

import java.util.Iterator;

/**
 * A calibration or evaluation set read one sample at a time: each {@link #iterator() pass} reads
 * the files again, so memory holds one sample whatever the set's size. Two passes give the same
 * samples in the same order (calibration's range pass and histogram pass see the same data).
 *
 * <p>A problem with the data (a file that cannot be read, a shape the model does not take) is a
 * {@link DataException} naming the file and the fix, thrown when the sample is reached; what can be
 * checked without reading every sample (the folder is empty, the first sample's shape) is checked
 * when the set is opened.
 */
public interface DataSet extends Iterable<Sample>, AutoCloseable {
    /** The number of samples. */
    int size();

    /** Whether every sample carries a class label. */
    boolean hasLabels();

    /** Where the data comes from, for messages and reports: the path, and the form it was read in. */
    String describe();

    /** A new pass over the samples, in a fixed order. */
    @Override
    Iterator<Sample> iterator();

    @Override
    default void close() {}

    /** A pass over {@code size} samples read one at a time by index: a set of one file per sample. */
    static Iterator<Sample> byIndex(int size, java.util.function.IntFunction<Sample> read) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Sample next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException("all " + size + " samples read");
                }
                return read.apply(next++);
            }
        };
    }

    /**
     * Ends a pass before its last sample: frees the files it holds open (a pass that runs to its end
     * frees them itself).
     */
    static void close(Iterator<Sample> pass) {
        if (pass instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new DataException("closing the data failed: " + e.getMessage());
            }
        }
    }
}
