package org.onnx2trt.quant.calib;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code amax} = the smallest bin edge with at least {@code p}% of |x| at or below it: the first bin
 * k whose cumulative count {@code c_0 + … + c_k ≥ ⌈p/100 · total⌉}, and amax its <em>upper</em>
 * edge {@code (k+1)·w} (lowered to the largest |x| when that is smaller).
 *
 * <p>onnxruntime's percentile calibrator on a symmetric |x| histogram finds the same bin
 * ({@code searchsorted(cdf, p/100)}) but returns its <em>lower</em> edge {@code hist_edges[k]}, one bin
 * lower, which can clip a little more than {@code 100 − p}% and returns 0 when the bin is the first.
 * The upper edge keeps the promise "at least p% unclipped" as far as the histogram can tell.
 */
public final class PercentileThreshold {
    private PercentileThreshold() {}

    /**
     * The threshold keeping {@code percentile}% of the values; amax 0 for an empty or all-zero histogram.
     *
     * @throws IllegalArgumentException when percentile is not in (0, 100]
     */
    public static Choice choose(AbsHistogram hist, double percentile) {
        if (!(percentile > 0.0 && percentile <= 100.0)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
        String method = CalibrationMethod.PERCENTILE.id();
        if (Choice.isTrivial(hist)) {
            return Choice.zero(method, hist);
        }
        // Exact decimal: 99.9% of 41000 is 40959 values, but 41000 · 99.9 / 100 in double is
        // 40959.00000000001, whose ceiling would demand one value more.
        long needed = BigDecimal.valueOf(hist.total())
                .multiply(BigDecimal.valueOf(percentile))
                .divide(BigDecimal.valueOf(100))
                .setScale(0, RoundingMode.CEILING)
                .longValueExact();
        long[] counts = hist.counts();
        long cumulative = 0;
        for (int k = 0; k < counts.length; k++) {
            cumulative += counts[k];
            if (cumulative >= needed) {
                return Choice.atUpperEdge(method, hist, k);
            }
        }
        throw new AssertionError("cumulative count " + cumulative + " never reached " + needed);
    }
}
