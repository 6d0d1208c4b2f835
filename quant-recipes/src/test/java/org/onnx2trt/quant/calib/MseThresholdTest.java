package org.onnx2trt.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The squared-error search on 16 bins of width 1 (range 16), every edge T = 1 … 16 a candidate
 * (start bin 1). Derived by hand, in units of 1/127² (s = T/127, so x/s = 127·x/T levels):
 * <ul>
 *   <li>bulk of N values at the centre 1.5 = 190.5/127: its error is (190.5 − n·T)² for the nearest
 *       multiple n·T; that is 0.5² only for T dividing 190 or 191, i.e. T ∈ {1, 2, 5, 10} (T = 1
 *       clips the bulk itself), and ≥ 1.5² for every other T (T = 16: 192, so 1.5²);
 *   <li>one outlier at 15.5 = 1968.5/127: unclipped only at T = 16, error 0.5² (123·16 = 1968);
 *       clipped at T ≤ 15, error (15.5 − T)²·127².
 * </ul>
 * Best unclipped: T = 16, 2.25·N + 0.25. Best clipping: T = 10 (the least clipping among the bulk's
 * best T), 0.25·N + 5.5²·127² = 0.25·N + 487902.25; any other T loses to one of the two. T = 10 wins
 * iff 2·N > 487902, i.e. N ≥ 243952.
 */
class MseThresholdTest {

    private static AbsHistogram bulkAndOutlier(int bulkBin, long bulk) {
        long[] counts = new long[16];
        counts[bulkBin] = bulk;
        counts[15] = 1;
        return AbsHistogram.of(16f, counts);
    }

    @Test
    void clipsTheOutlierWhenTheBulkGainsMoreFromFinerSteps() {
        Choice c = MseThreshold.choose(bulkAndOutlier(1, 1_000_000), 1);
        assertEquals(10f, c.amax());
        assertEquals(1.0 / 1_000_001, c.clippedFraction(), 1e-18);
        assertEquals("mse", c.method());
    }

    @Test
    void keepsTheOutlierWhenTheBulkIsTooSmallToPayForClippingIt() {
        Choice c = MseThreshold.choose(bulkAndOutlier(1, 100_000), 1);
        assertEquals(16f, c.amax());
        assertEquals(0.0, c.clippedFraction());
    }

    @Test
    void keepsTheOutlierWhenNoThresholdRoundsTheBulkBetter() {
        // The centre 0.5 = 63.5/127 is half a level from 63 or 64 for every T ∈ {1, 2, 3, 4, 7, 8, 9, 16, …},
        // so clipping buys the bulk nothing; at T = 16 the error is (1000 + 1) · 0.5² / 127² = 1001/254².
        AbsHistogram h = bulkAndOutlier(0, 1000);
        assertEquals(16f, MseThreshold.choose(h, 1).amax());
        assertEquals(1001.0 / (254 * 254), MseThreshold.error(h.counts(), 1.0, 16.0), 1e-15);
    }

    @Test
    void startsAtBin128OrTheLastBinOfASmallerHistogram() {
        // 16 bins: the default start is bin 16, so the only candidate is the range.
        assertEquals(16f, MseThreshold.choose(bulkAndOutlier(1, 1_000_000)).amax());
        assertThrows(IllegalArgumentException.class, () -> MseThreshold.choose(bulkAndOutlier(1, 1), 0));
        assertThrows(IllegalArgumentException.class, () -> MseThreshold.choose(bulkAndOutlier(1, 1), 17));
    }
}
