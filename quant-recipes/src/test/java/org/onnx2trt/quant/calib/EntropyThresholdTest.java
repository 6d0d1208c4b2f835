package org.onnx2trt.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The KL search on 4 bins of width 1 with 2 levels, small enough to follow by hand (the numbers in
 * the comments; the 1e-15 pins are what reference.py's onnxruntime port prints for the same counts).
 */
class EntropyThresholdTest {

    @Test
    void clipsALoneOutlierWhenTheBulkFitsTheFirstWindow() {
        // counts [8, 8, 0, 1]
        // i=2: P = [8, 8+0+1] = [8, 9], Q = raw [8, 8] in 2 groups of 1 = [8, 8]; nothing to smooth:
        //      KL = 8/17·ln(16/17) + 9/17·ln(18/17) = 0.0017311
        // i=3: P = [8, 8, 1]; groups of 1, the leftover bin 2 gets Q = 0, smoothed to 1e-4 against
        //      P's 1/17 there: KL ≈ 0.48
        // i=4: P = [8, 8, 0, 1]; groups of 2: 16 over 2 non-zero bins → 8, 8; 1 over 1 non-zero bin →
        //      1 on both bins 2 and 3 (onnxruntime does not reset Q where P is 0): Q = [8, 8, 1, 1],
        //      KL ≈ ln(18/17) = 0.0572 (0.05710 after smoothing P's empty bin)
        // → i=2, amax 2, clipping the 1 of 17. (MXNet's q[p == 0] = 0 would make i=4's Q equal P and
        //   keep the outlier.)
        AbsHistogram h = AbsHistogram.of(4f, new long[] {8, 8, 0, 1});
        Choice c = EntropyThreshold.choose(h, 2);
        assertEquals(2f, c.amax());
        assertEquals(1.0 / 17, c.clippedFraction(), 1e-15);
        assertEquals("entropy", c.method());

        long[] counts = h.counts();
        long[] p = new long[4];
        long[] q = new long[4];
        assertEquals(0.0017311029428269849, EntropyThreshold.divergence(counts, 2, 2, 1, p, q), 1e-15);
        assertEquals(0.4811659883181937, EntropyThreshold.divergence(counts, 3, 2, 1, p, q), 1e-12);
        assertEquals(0.05709835305508105, EntropyThreshold.divergence(counts, 4, 2, 0, p, q), 1e-15);
    }

    @Test
    void keepsEverythingWhenTheDataIsUniform() {
        // counts [1, 1, 1, 1]
        // i=2: P = [1, 3], Q = [1, 1]: KL = 1/4·ln(1/2) + 3/4·ln(3/2) = 0.1308
        // i=3: P = [1, 1, 1], Q = [1, 1, 0]: the leftover bin costs ≈ 4.49
        // i=4: groups of 2, 2 over 2 non-zero bins each: Q = [1, 1, 1, 1] = P, KL = 0
        // → i=4, amax 4, nothing clipped.
        Choice c = EntropyThreshold.choose(AbsHistogram.of(4f, new long[] {1, 1, 1, 1}), 2);
        assertEquals(4f, c.amax());
        assertEquals(0.0, c.clippedFraction());
    }

    @Test
    void rejectsMoreLevelsThanBins() {
        AbsHistogram h = AbsHistogram.of(4f, new long[] {1, 1, 1, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntropyThreshold.choose(h, 128));
        assertEquals("entropy with 128 levels needs a histogram of at least 128 bins, got 4", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EntropyThreshold.choose(h, 0));
    }
}
