package org.onnx2trt.quant.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The KL search on 4 bins of width 1 with 2 levels, small enough to follow by hand (the numbers in the
 * comments; the pinned divergences are what reference.py's port of NVIDIA's method prints for the same
 * counts). With 2 levels the groups are ⌊2j/i⌋: i=2 → [0, 1], i=3 → [0, 0, 1], i=4 → [0, 0, 1, 1].
 */
class EntropyThresholdTest {
    private static final double TOL = 1e-15;

    private static void assertDivergences(double[] expected, long[] counts) {
        assertArrayEquals(expected, EntropyThreshold.divergences(counts, 2), TOL);
    }

    @Test
    void clipsTheTailWhenItsGroupIsUneven() {
        // counts [8, 8, 1, 3], T = 20
        // i=2: P = [8, 8+1+3] = [8, 12], Q = [8, 8]: KL = 0.4·ln(0.4/0.5) + 0.6·ln(0.6/0.5) = 0.020136
        // i=3: P = [8, 8, 4], Q = [16/2, 16/2, 1] = [8, 8, 1], ΣQ = 17:
        //      KL = 0.8·ln(0.4·17/8) + 0.2·ln(0.2·17) = 0.114740
        // i=4: Q = [8, 8, 4/2, 4/2] against P = [8, 8, 1, 3]: KL = 0.05·ln(1/2) + 0.15·ln(3/2) = 0.026162
        // → i=2, amax 2, clipping 4 of 20.
        long[] counts = {8, 8, 1, 3};
        assertDivergences(new double[] {0.020135513550688863, 0.11473994272620336, 0.02616240718822737}, counts);
        Choice c = EntropyThreshold.choose(AbsHistogram.of(4f, counts), 2);
        assertEquals(2f, c.amax());
        assertEquals(0.2, c.clippedFraction(), TOL);
        assertEquals("entropy", c.method());
    }

    @Test
    void keepsALoneOutlierThatHasAGroupOfItsOwn() {
        // counts [8, 8, 0, 1], T = 17
        // i=2: P = [8, 9], Q = [8, 8]: KL = 8/17·ln(16/17) + 9/17·ln(18/17) = 0.0017311
        // i=3: P = [8, 8, 1] but bin 2 is empty, so in no group: Q = [8, 8, 0], and P > 0 = Q there: +∞
        // i=4: bin 2 in no group, bin 3 alone in group 1: Q = [8, 8, 0, 1] = P, KL = 0
        // → i=4, amax 4, nothing clipped. (onnxruntime spreads group 1 over the empty bin too,
        //   Q = [8, 8, 1, 1], and clips the outlier at amax 2.)
        long[] counts = {8, 8, 0, 1};
        assertDivergences(new double[] {0.0017311029428269849, Double.POSITIVE_INFINITY, 0.0}, counts);
        Choice c = EntropyThreshold.choose(AbsHistogram.of(4f, counts), 2);
        assertEquals(4f, c.amax());
        assertEquals(0.0, c.clippedFraction());
    }

    @Test
    void replacesTheZeroSpikeWithItsNeighbour() {
        // counts [50, 8, 8, 8]: b_0 := b_1 gives [8, 8, 8, 8], T = 32
        // i=2: P = [8, 24], Q = [8, 8]: KL = 0.25·ln(0.5) + 0.75·ln(1.5) = 0.130812
        // i=3: P = [8, 8, 16], Q = [8, 8, 8]: KL = 0.5·ln(0.75) + 0.5·ln(1.5) = 0.058892
        // i=4: Q = P, KL = 0
        // → i=4, amax 4, nothing clipped. Without the replacement, b = [50, 8, 8, 8] (T = 74):
        // i=2: P = [50, 24], Q = [50, 8]: KL = 50/74·ln(58/74) + 24/74·ln(24·58/(74·8)) = 0.112685
        // i=3: P = [50, 8, 16], Q = [29, 29, 8] (ΣQ = 66): 0.264291;  i=4: Q = [29, 29, 8, 8]: 0.228831
        // → i=2 would clip 16 of 74, the ReLU collapse in miniature.
        long[] counts = {50, 8, 8, 8};
        assertDivergences(new double[] {0.13081203594113697, 0.05889151782819174, 0.0}, counts);
        Choice c = EntropyThreshold.choose(AbsHistogram.of(4f, counts), 2);
        assertEquals(4f, c.amax());
        assertEquals(0.0, c.clippedFraction());
    }

    @Test
    void countsTheRealZeroBinInTheClippedFraction() {
        // counts [50, 8, 1, 3]: the search sees [8, 8, 1, 3], as in clipsTheTailWhenItsGroupIsUneven,
        // and picks i=2; the clipped 4 are a fraction of the real 62 values, not of the 20 searched.
        long[] counts = {50, 8, 1, 3};
        assertDivergences(new double[] {0.020135513550688863, 0.11473994272620336, 0.02616240718822737}, counts);
        Choice c = EntropyThreshold.choose(AbsHistogram.of(4f, counts), 2);
        assertEquals(2f, c.amax());
        assertEquals(4.0 / 62, c.clippedFraction(), TOL);
    }

    @Test
    void keepsTheBinOfOneRepeatedValue() {
        // counts [0, 0, 0, 5]: for i=2 and i=3 the window holds nothing, Q is all 0: +∞ (NVIDIA's code
        // gets NaN from scipy there and its argmin picks i=3, clipping everything); i=4: Q = P, KL = 0.
        long[] counts = {0, 0, 0, 5};
        assertDivergences(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0.0}, counts);
        Choice c = EntropyThreshold.choose(AbsHistogram.of(4f, counts), 2);
        assertEquals(4f, c.amax());
        assertEquals(0.0, c.clippedFraction());
    }

    @Test
    void keepsEverythingWhenOnlyTheZeroBinHasCounts() {
        // counts [7, 0, 0, 0]: b_0 := b_1 = 0 leaves nothing, every candidate is +∞ and the last (i=4)
        // wins; amax is lowered to the largest |x|, bin 0's upper edge, which clips nothing.
        long[] counts = {7, 0, 0, 0};
        assertDivergences(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                counts);
        Choice c = EntropyThreshold.choose(AbsHistogram.of(4f, counts), 2);
        assertEquals(1f, c.amax());
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
