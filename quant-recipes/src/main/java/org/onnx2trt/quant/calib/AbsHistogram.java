package org.onnx2trt.quant.calib;

import java.util.Arrays;
import java.util.Objects;

/**
 * A histogram of |x| for one tensor: {@code bins} equal bins over {@code [0, range]}, bin k holding
 * the values with {@code k·w ≤ |x| < (k+1)·w}, {@code w = range / bins}; |x| = range goes to the last
 * bin (as numpy's histogram does). The second calibration pass fills it; the threshold methods read it.
 *
 * <p>The range is fixed up front, from the tensor's max |x| over the whole set ({@link RangeStats}),
 * so nothing should exceed it; a value that does (a different set, or ±Inf) is clamped into the last
 * bin and counted in {@link #overflow()} as well. NaN values are counted in {@link #nanCount()} and
 * left out. With range 0 (an all-zero tensor) every value within range goes to bin 0. Not thread-safe.
 */
public final class AbsHistogram {
    /** TensorRT's and onnxruntime's histogram size for entropy and percentile calibration. */
    public static final int DEFAULT_BINS = 2048;

    private final float range;
    private final long[] counts;
    private long total;
    private long overflow;
    private long nanCount;
    private float max;

    /** An empty histogram of {@link #DEFAULT_BINS} bins over {@code [0, range]}. */
    public AbsHistogram(float range) {
        this(range, DEFAULT_BINS);
    }

    /**
     * An empty histogram of {@code bins} bins over {@code [0, range]}.
     *
     * @throws IllegalArgumentException when range is negative, NaN or infinite, or bins &lt; 1
     */
    public AbsHistogram(float range, int bins) {
        if (!(range >= 0f) || Float.isInfinite(range)) {
            throw new IllegalArgumentException("histogram range must be finite and ≥ 0, got " + range);
        }
        if (bins < 1) {
            throw new IllegalArgumentException("histogram needs at least 1 bin, got " + bins);
        }
        this.range = range;
        this.counts = new long[bins];
    }

    /**
     * A histogram with the given counts (one per bin) over {@code [0, range]}, as saved or as built by
     * another tool. Its {@link #max()} is the upper edge of the last non-empty bin, the most that the
     * counts tell; overflow and NaN counts are 0.
     *
     * @throws IllegalArgumentException as the constructor, or when a count is negative
     */
    public static AbsHistogram of(float range, long[] counts) {
        AbsHistogram h = new AbsHistogram(range, counts.length);
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] < 0) {
                throw new IllegalArgumentException("bin " + k + " has a negative count " + counts[k]);
            }
            h.counts[k] = counts[k];
            h.total += counts[k];
            if (counts[k] > 0) {
                h.max = h.upperEdge(k);
            }
        }
        return h;
    }

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
        int bins = counts.length;
        double perUnit = range == 0f ? 0 : bins / (double) range; // one multiply a value, not a division
        for (int i = offset; i < offset + length; i++) {
            float a = Math.abs(values[i]);
            if (Float.isNaN(a)) {
                nanCount++;
                continue;
            }
            int bin;
            if (a > range) {
                overflow++;
                bin = bins - 1;
            } else if (range == 0f) {
                bin = 0;
            } else {
                // In double, a · (bins / range) does not round a value just below an edge into the next bin.
                bin = Math.min((int) (a * perUnit), bins - 1);
            }
            counts[bin]++;
            total++;
            if (!Float.isInfinite(a)) {
                max = Math.max(max, a);
            }
        }
    }

    /** The upper end of the binned interval, fixed at construction. */
    public float range() {
        return range;
    }

    /** The number of bins. */
    public int bins() {
        return counts.length;
    }

    /** A copy of the counts, one per bin. */
    public long[] counts() {
        return counts.clone();
    }

    /** Values counted (every non-NaN value added, overflow included). */
    public long total() {
        return total;
    }

    /** Values above the range (±Inf included), counted in the last bin. */
    public long overflow() {
        return overflow;
    }

    /** NaN values seen and left out. */
    public long nanCount() {
        return nanCount;
    }

    /** The largest finite |x| added; 0 when none. */
    public float max() {
        return max;
    }

    /** {@code (k + 1) · range / bins}: the upper edge of bin k; the last bin's is exactly the range. */
    public float upperEdge(int bin) {
        Objects.checkIndex(bin, counts.length);
        return (float) ((double) range * (bin + 1) / counts.length);
    }

    /** The count of the bins after bin k: the values a threshold at bin k's upper edge clips. */
    public long countAbove(int bin) {
        Objects.checkIndex(bin, counts.length);
        long n = 0;
        for (int k = bin + 1; k < counts.length; k++) {
            n += counts[k];
        }
        return n;
    }

    @Override
    public String toString() {
        return "AbsHistogram[range=" + range + ", bins=" + counts.length + ", total=" + total
                + ", overflow=" + overflow + ", nan=" + nanCount + ", max=" + max + "]"
                + (counts.length <= 16 ? Arrays.toString(counts) : "");
    }
}
