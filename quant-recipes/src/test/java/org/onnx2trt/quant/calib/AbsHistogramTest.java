package org.onnx2trt.quant.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Binning of |x|, the edges, overflow, NaN, the zero range, slices and restored counts. */
class AbsHistogramTest {

    @Test
    void binsAbsoluteValuesLowerEdgeInclusiveAndTheRangeIntoTheLastBin() {
        AbsHistogram h = new AbsHistogram(8f, 8);
        h.add(new float[] {0f, 0.999f, 1f, -1.5f, 7.999f, 8f, -8f});
        assertArrayEquals(new long[] {2, 2, 0, 0, 0, 0, 0, 3}, h.counts());
        assertEquals(7, h.total());
        assertEquals(0, h.overflow());
        assertEquals(8f, h.max());
    }

    @Test
    void valuesAboveTheRangeAndInfinitiesGoToTheLastBinAsOverflow() {
        AbsHistogram h = new AbsHistogram(8f, 8);
        h.add(new float[] {9f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1f});
        assertArrayEquals(new long[] {0, 1, 0, 0, 0, 0, 0, 3}, h.counts());
        assertEquals(3, h.overflow());
        assertEquals(4, h.total());
        assertEquals(9f, h.max(), "max is the largest finite |x|");
    }

    @Test
    void nanIsCountedApartAndLeftOut() {
        AbsHistogram h = new AbsHistogram(8f, 8);
        h.add(new float[] {Float.NaN, 1f, Float.NaN});
        assertEquals(2, h.nanCount());
        assertEquals(1, h.total());
        assertArrayEquals(new long[] {0, 1, 0, 0, 0, 0, 0, 0}, h.counts());
    }

    @Test
    void zeroRangeSendsZerosToBinZero() {
        AbsHistogram h = new AbsHistogram(0f, 4);
        h.add(new float[] {0f, -0f, 0f});
        assertArrayEquals(new long[] {3, 0, 0, 0}, h.counts());
        assertEquals(0f, h.max());
        assertEquals(0, h.overflow());
    }

    @Test
    void addsOnlyTheSlice() {
        AbsHistogram h = new AbsHistogram(4f, 4);
        h.add(new float[] {3.5f, 0.5f, 1.5f, 3.5f}, 1, 2);
        assertArrayEquals(new long[] {1, 1, 0, 0}, h.counts());
        assertThrows(IndexOutOfBoundsException.class, () -> h.add(new float[2], 1, 2));
    }

    @Test
    void restoredCountsTakeMaxFromTheLastNonEmptyBin() {
        AbsHistogram h = AbsHistogram.of(8f, new long[] {1, 0, 2, 0});
        assertEquals(3, h.total());
        assertEquals(6f, h.max());
        assertEquals(2, h.countAbove(0));
        assertEquals(0, h.countAbove(2));
    }

    @Test
    void countsAreACopy() {
        AbsHistogram h = AbsHistogram.of(1f, new long[] {1, 2});
        h.counts()[0] = 99;
        assertArrayEquals(new long[] {1, 2}, h.counts());
    }

    @Test
    void theLastUpperEdgeIsExactlyTheRange() {
        AbsHistogram h = new AbsHistogram(0.1f);
        assertEquals(AbsHistogram.DEFAULT_BINS, h.bins());
        assertEquals(0.1f, h.upperEdge(h.bins() - 1));
    }

    @Test
    void totalAgreesWithTheFirstPassCount() {
        Random random = new Random(7);
        float[] x = new float[10_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 997 == 0 ? Float.NaN : i % 1009 == 0 ? Float.POSITIVE_INFINITY : (float) random.nextGaussian();
        }
        RangeStats stats = new RangeStats();
        stats.add(x);
        AbsHistogram h = new AbsHistogram(stats.maxAbs());
        h.add(x);
        assertEquals(stats.count(), h.total());
        assertEquals(stats.nanCount(), h.nanCount());
        assertEquals(stats.infCount(), h.overflow(), "with the first pass's range only the infinities overflow");
        assertEquals(stats.maxAbs(), h.max());
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> new AbsHistogram(-1f));
        assertThrows(IllegalArgumentException.class, () -> new AbsHistogram(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new AbsHistogram(Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new AbsHistogram(1f, 0));
        assertThrows(IllegalArgumentException.class, () -> AbsHistogram.of(1f, new long[] {1, -1}));
    }
}
