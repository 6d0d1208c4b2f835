package org.onnx2trt.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Percentile on 8 bins of width 1, derived by hand from the cumulative counts. */
class PercentileThresholdTest {
    // total 100; cumulative 50, 80, 90, 95, 98, 99, 99, 100
    private static final AbsHistogram HIST = AbsHistogram.of(8f, new long[] {50, 30, 10, 5, 3, 1, 0, 1});

    @Test
    void takesTheUpperEdgeOfTheBinWhereTheCumulativeCountReachesP() {
        // 99% of 100 = 99, first reached in bin 5 → upper edge 6; only bin 7's 1 value lies above.
        // (onnxruntime would return bin 5's lower edge, 5.)
        Choice c = PercentileThreshold.choose(HIST, 99.0);
        assertEquals(6f, c.amax());
        assertEquals(0.01, c.clippedFraction(), 1e-15);
        assertEquals("percentile", c.method());
    }

    @Test
    void reachingCountsAsExactlyEqual() {
        // 90% = 90 is reached exactly at bin 2 → 3; bins 3.. hold 10 values.
        Choice c = PercentileThreshold.choose(HIST, 90.0);
        assertEquals(3f, c.amax());
        assertEquals(0.10, c.clippedFraction(), 1e-15);
    }

    @Test
    void aPercentileAboveAllButTheLastValueKeepsEverything() {
        // ⌈99.99% of 100⌉ = 100: the last bin → 8, nothing clipped.
        Choice c = PercentileThreshold.choose(HIST, 99.99);
        assertEquals(8f, c.amax());
        assertEquals(0.0, c.clippedFraction());
    }

    @Test
    void theThresholdNeverExceedsTheLargestValue() {
        AbsHistogram h = new AbsHistogram(8f, 8);
        h.add(new float[] {0.5f, 0.5f, 7.2f});
        // 100% needs bin 7 (upper edge 8), lowered to max |x| = 7.2.
        assertEquals(7.2f, PercentileThreshold.choose(h, 100.0).amax());
    }

    @Test
    void countsTheNeededValuesExactly() {
        // 99.9% of 41000 is exactly 40959 = bin 0's count → 1. In double 41000·99.9/100 is
        // 40959.00000000001, and its ceiling would move the threshold to bin 3.
        AbsHistogram h = AbsHistogram.of(4f, new long[] {40959, 0, 0, 41});
        Choice c = PercentileThreshold.choose(h, 99.9);
        assertEquals(1f, c.amax());
        assertEquals(41.0 / 41000, c.clippedFraction(), 1e-15);
    }

    @Test
    void rejectsAPercentileOutsideZeroToHundred() {
        assertThrows(IllegalArgumentException.class, () -> PercentileThreshold.choose(HIST, 0.0));
        assertThrows(IllegalArgumentException.class, () -> PercentileThreshold.choose(HIST, 100.5));
        assertThrows(IllegalArgumentException.class, () -> PercentileThreshold.choose(HIST, Double.NaN));
    }
}
