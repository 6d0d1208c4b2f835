package org.onnx2trt.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Entropy, percentile and mse on 2048-bin histograms against numpy. The expected numbers were
 * printed by {@code src/test/resources/org/onnx2trt/quant/calib/reference.py} (numpy 2.4, float64),
 * an independent numpy port of NVIDIA's {@code _compute_amax_entropy} (pytorch-quantization) that
 * builds P and Q bin by bin as NVIDIA does, plus the percentile and mse definitions of this package.
 * Both sides build the counts from the same formula, {@code ⌊f(i) + ½⌋}; the pinned total and
 * Σ i·c_i prove the histograms are identical.
 */
class ThresholdReferenceTest {
    private static final int BINS = 2048;
    private static final float RANGE = 8f; // bin width 1/256: every threshold is exact in float

    private static AbsHistogram counts(IntToDoubleFunction f) {
        long[] c = new long[BINS];
        for (int i = 0; i < BINS; i++) {
            c[i] = (long) Math.floor(f.applyAsDouble(i) + 0.5);
        }
        return AbsHistogram.of(RANGE, c);
    }

    static AbsHistogram laplaceCounts() {
        return counts(i -> 1e6 * Math.exp(-i / 150.0));
    }

    static AbsHistogram halfGaussCounts() {
        return counts(i -> 1e6 * Math.exp(-0.5 * (i / 300.0) * (i / 300.0)));
    }

    /** A ReLU output: exact zeros in bin 0 over a half Gaussian of half the height, ⌊½·10⁶·e^(−½(i/300)²) + ½⌋. */
    static AbsHistogram reluCounts(long zeros) {
        long[] c = counts(i -> 0.5e6 * Math.exp(-0.5 * (i / 300.0) * (i / 300.0))).counts();
        c[0] = zeros;
        return AbsHistogram.of(RANGE, c);
    }

    static AbsHistogram heavyTailCounts() {
        long[] c = counts(i -> 1e6 * Math.exp(-i / 100.0)).counts();
        c[1900] += 2;
        c[2047] += 3;
        return AbsHistogram.of(RANGE, c);
    }

    private static void assertSameCounts(AbsHistogram h, long total, long weighted) {
        long[] c = h.counts();
        long w = 0;
        for (int i = 0; i < c.length; i++) {
            w += i * c[i];
        }
        assertEquals(total, h.total(), "total differs from reference.py's: the histograms differ");
        assertEquals(weighted, w, "Σ i·c_i differs from reference.py's: the histograms differ");
    }

    /** The divergence of candidate i, to the 1e-9 (relative) that the Java rewrite of the sum keeps. */
    private static void assertDivergence(double expected, AbsHistogram h, int i) {
        double d = EntropyThreshold.divergences(h.counts(), 128)[i - 128];
        assertEquals(expected, d, 1e-9 * expected, "KL at i=" + i);
    }

    private static void assertChoice(float amax, double clipped, Choice c) {
        assertEquals(amax, c.amax(), c.method());
        assertEquals(clipped, c.clippedFraction(), 1e-15, c.method());
    }

    @Test
    void laplace() {
        AbsHistogram h = laplaceCounts();
        assertSameCounts(h, 150500390L, 22499528806L);
        // numpy: i=1664, KL 0.0003644656125626997, runner-up (i=1663) 0.0003648854574952454
        assertChoice(6.5f, 1.4006608222078362e-05, EntropyThreshold.choose(h, 128));
        assertDivergence(0.0003644656125626997, h, 1664);
        assertDivergence(0.0003648854574952454, h, 1663);
        assertChoice(5.390625f, 9.982033933599774e-05, PercentileThreshold.choose(h, 99.99));
        assertEquals(2.69921875f, PercentileThreshold.choose(h, 99.0).amax());
        assertChoice(5.70703125f, 5.767426914973443e-05, MseThreshold.choose(h));
    }

    @Test
    void halfGauss() {
        AbsHistogram h = halfGaussCounts();
        assertSameCounts(h, 376494235L, 89999892095L);
        // numpy: i=1438, KL 6.304628884214084e-05, runner-up (i=1434) 6.304657975941985e-05
        assertChoice(5.6171875f, 1.6016181496112418e-06, EntropyThreshold.choose(h, 128));
        assertDivergence(6.304628884214084e-05, h, 1438);
        assertDivergence(6.304657975941985e-05, h, 1434);
        assertChoice(4.5625f, 9.938000777090252e-05, PercentileThreshold.choose(h, 99.99));
        assertEquals(3.0234375f, PercentileThreshold.choose(h, 99.0).amax());
        assertChoice(4.58984375f, 9.023776951060087e-05, MseThreshold.choose(h));
    }

    @Test
    void heavyTailClipsItsOutliers() {
        AbsHistogram h = heavyTailCounts();
        assertSameCounts(h, 100500819L, 9999877908L);
        // numpy: i=1109, KL 0.0003638988563266489, runner-up (i=1120) 0.0003639153324417254
        assertChoice(4.33203125f, 1.498495251068551e-05, EntropyThreshold.choose(h, 128));
        assertDivergence(0.0003638988563266489, h, 1109);
        assertDivergence(0.0003639153324417254, h, 1120);
        assertChoice(3.59765625f, 9.973053055418385e-05, PercentileThreshold.choose(h, 99.99));
        float p99 = PercentileThreshold.choose(h, 99.0).amax();
        assertEquals(1.80078125f, p99);
        Choice mse = MseThreshold.choose(h);
        assertChoice(3.96875f, 3.840764720534268e-05, mse);
        assertTrue(p99 < mse.amax() && mse.amax() < h.max(), "mse lies between the 99th percentile and the max: " + mse);
    }

    @Test
    void reluOutputKeepsItsTailWhateverTheZeroSpike() {
        // The zero spike is replaced by bin 1's count before the search, so its height cannot move the
        // threshold; it only dilutes the clipped fraction. numpy: i=1434, KL 6.279876731900592e-05,
        // runner-up (i=1435) 6.282237011034354e-05, for both spikes. Without the replacement numpy picks
        // i=1408 (amax 5.5) for the 10⁶ spike and i=640 (amax 2.5, clipping 1.65%) for half zeros.
        AbsHistogram spike = reluCounts(1_000_000);
        assertSameCounts(spike, 188747108L, 44999935598L);
        assertChoice(5.6015625f, 1.6530054595591473e-06, EntropyThreshold.choose(spike, 128));
        assertDivergence(6.279876731900592e-05, spike, 1434);
        assertDivergence(6.282237011034354e-05, spike, 1435);

        AbsHistogram halfZeros = reluCounts(187_747_108L); // as many zeros as all other values
        assertSameCounts(halfZeros, 375494216L, 44999935598L);
        assertChoice(5.6015625f, 8.30904942621007e-07, EntropyThreshold.choose(halfZeros, 128));
    }

    @Test
    void mseOnUniformDataStopsJustShortOfTheMax() {
        // For x uniform on [0, R], err(T) = (T/R)·(T/127)²/12 + (R − T)³/(3R) is least at T = R·254/255,
        // here 2048·254/255 = 2040 bins; numpy picks bin 2040 too: 7.96875, 0.4% below the max.
        Choice c = MseThreshold.choose(counts(i -> 1000));
        assertEquals(7.96875f, c.amax());
        assertTrue(c.amax() >= 0.99f * RANGE);
    }
}
