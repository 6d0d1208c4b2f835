package org.onnx2trt.quant.calib;

import java.util.Objects;

/**
 * The first calibration pass for one tensor: running min, max and max |x| over every value seen,
 * with NaN and ±Inf counted apart. The max |x| it finds fixes the range of the tensor's
 * {@link AbsHistogram} in the second pass, and is the {@code minmax} threshold.
 *
 * <p>Only finite values enter min, max and max |x|: one Inf would otherwise make the range, and so
 * the scale, infinite. Inf values still count in {@link #count()} (the histogram clips them into its
 * last bin); NaN values count only in {@link #nanCount()}. Not thread-safe.
 */
public final class RangeStats {
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private float maxAbs;
    private long count;
    private long nanCount;
    private long infCount;

    /** Adds every value of {@code values}. */
    public void add(float[] values) {
        add(values, 0, values.length);
    }

    /**
     * Adds {@code values[offset .. offset + length)}.
     *
     * @throws IndexOutOfBoundsException when the slice is not inside the array
     */
    public void add(float[] values, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, values.length);
        for (int i = offset; i < offset + length; i++) {
            float v = values[i];
            if (Float.isNaN(v)) {
                nanCount++;
                continue;
            }
            count++;
            if (Float.isInfinite(v)) {
                infCount++;
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
    }

    /** The smallest finite value, or 0 when no finite value has been seen. */
    public float min() {
        return hasFinite() ? min : 0f;
    }

    /** The largest finite value, or 0 when no finite value has been seen. */
    public float max() {
        return hasFinite() ? max : 0f;
    }

    /** The largest finite |x|; 0 when no finite value has been seen or all were zero. */
    public float maxAbs() {
        return maxAbs;
    }

    /** Values seen that are not NaN (finite and ±Inf). */
    public long count() {
        return count;
    }

    /** NaN values seen (and otherwise ignored). */
    public long nanCount() {
        return nanCount;
    }

    /** ±Inf values seen (counted in {@link #count()}, left out of min, max and max |x|). */
    public long infCount() {
        return infCount;
    }

    private boolean hasFinite() {
        return count > infCount;
    }
}
