package org.onnx2trt.quant.calib;

/**
 * TensorRT's entropy calibration (Migacz, "8-bit Inference with TensorRT", GTC 2017): the threshold
 * whose INT8 rendering of the histogram loses the least information, {@code argmin_i KL(P_i ‖ Q_i)}.
 *
 * <p>For each candidate {@code i = levels … bins} (threshold {@code i·w}, the upper edge of bin i−1):
 * <pre>
 *   P_i = c_0 … c_{i−1}, with c_i + … + c_{bins−1} (the values the threshold clips) added to P_i[i−1]
 *   Q_i = c_0 … c_{i−1} merged into {@code levels} groups and spread back over i bins
 *   KL(P ‖ Q) = Σ_j p̂_j · ln(p̂_j / q̂_j),   p̂ = smooth(P) / Σ smooth(P),  q̂ likewise
 * </pre>
 * The first i with the smallest divergence wins; amax = {@code i·w}, lowered to the largest |x| when
 * that is smaller. When no candidate has a finite divergence, the first (i = levels) wins.
 *
 * <p>The details follow onnxruntime's {@code HistogramCalibrater.get_entropy_threshold}
 * ({@code calibrate.py}), carried from its signed histogram, whose window grows one bin either side
 * of zero, to |x|, whose window {@code [0, i)} grows on the right; where onnxruntime differs from
 * MXNet's version of the same method, this follows onnxruntime:
 * <ul>
 *   <li>Q is merged from the raw counts, without the clipped values that P has in its last bin.
 *   <li>Groups have {@code m = ⌊i / levels⌋} bins; the {@code i mod levels} bins left over are added to
 *       the last group's sum, but Q spreads back only over {@code [k·m, k·m + m)}: the leftover bins
 *       get 0 (MXNet stretches the last group to the end).
 *   <li>Every bin of a group, empty in P or not, gets {@code ⌊group sum / (non-zero bins of P in
 *       it)⌋}: the floor because onnxruntime's Q is int64; empty bins are not reset to 0 (MXNet's
 *       {@code q[p == 0] = 0}).
 *   <li>{@code smooth} is onnxruntime's {@code smooth_distribution} on raw counts, eps = 1e−4: each
 *       zero becomes eps and each non-zero loses {@code eps·zeros/nonzeros}; a distribution with no
 *       non-zero bin, or one where that loss reaches 1, has divergence +∞ (onnxruntime: None, assert).
 *   <li>The sums are in double; onnxruntime smooths in float32. On the reference histograms of the
 *       tests both pick the same bin.
 * </ul>
 * A consequence of the leftover bins getting 0: on a histogram with no empty bins, candidates where
 * {@code levels} does not divide i pay for their leftover bins, so the winner tends to be a multiple
 * of {@code levels}.
 */
public final class EntropyThreshold {
    /** onnxruntime's {@code smooth_distribution} default. */
    static final double EPS = 1e-4;

    private EntropyThreshold() {}

    /**
     * The KL-optimal threshold for {@code levels} quantized bins (TensorRT: 128, one per non-negative
     * INT8 level); amax 0 for an empty or all-zero histogram. Cost: O(bins²).
     *
     * @throws IllegalArgumentException when levels &lt; 1 or the histogram has fewer than levels bins
     */
    public static Choice choose(AbsHistogram hist, int levels) {
        if (levels < 1) {
            throw new IllegalArgumentException("entropy needs at least 1 quantized level, got " + levels);
        }
        if (hist.bins() < levels) {
            throw new IllegalArgumentException("entropy with " + levels + " levels needs a histogram of at least "
                    + levels + " bins, got " + hist.bins());
        }
        String method = CalibrationMethod.ENTROPY.id();
        if (Choice.isTrivial(hist)) {
            return Choice.zero(method, hist);
        }
        long[] c = hist.counts();
        int bins = c.length;
        long[] clipped = new long[bins + 1]; // clipped[i] = c_i + … + c_{bins−1}
        for (int k = bins - 1; k >= 0; k--) {
            clipped[k] = clipped[k + 1] + c[k];
        }
        long[] p = new long[bins];
        long[] q = new long[bins];
        double best = Double.POSITIVE_INFINITY;
        int bestI = levels;
        for (int i = levels; i <= bins; i++) {
            double d = divergence(c, i, levels, clipped[i], p, q);
            if (d < best) { // strict: the first of equal divergences wins, as numpy's argmin
                best = d;
                bestI = i;
            }
        }
        return Choice.atUpperEdge(method, hist, bestI - 1);
    }

    /** KL(P_i ‖ Q_i) for the window [0, i); p and q are scratch arrays of at least i entries. */
    static double divergence(long[] c, int i, int levels, long clippedCount, long[] p, long[] q) {
        System.arraycopy(c, 0, p, 0, i);
        p[i - 1] += clippedCount;
        int m = i / levels;
        for (int k = 0; k < levels; k++) {
            int from = k * m;
            int to = from + m;
            long sum = 0;
            int nonZero = 0;
            for (int j = from; j < to; j++) {
                sum += c[j];
                if (p[j] != 0) {
                    nonZero++;
                }
            }
            if (k == levels - 1) {
                for (int j = levels * m; j < i; j++) {
                    sum += c[j];
                }
            }
            long each = nonZero == 0 ? 0 : sum / nonZero;
            for (int j = from; j < to; j++) {
                q[j] = each;
            }
        }
        for (int j = levels * m; j < i; j++) {
            q[j] = 0;
        }
        return smoothedKl(p, q, i);
    }

    /** KL of smooth(p) ‖ smooth(q) over the first n entries, each normalized to sum 1; +∞ when either cannot be smoothed. */
    static double smoothedKl(long[] p, long[] q, int n) {
        double pLoss = smoothingLoss(p, n);
        double qLoss = smoothingLoss(q, n);
        if (Double.isNaN(pLoss) || Double.isNaN(qLoss)) {
            return Double.POSITIVE_INFINITY;
        }
        double pSum = 0;
        double qSum = 0;
        for (int j = 0; j < n; j++) {
            pSum += smoothed(p[j], pLoss);
            qSum += smoothed(q[j], qLoss);
        }
        double kl = 0;
        for (int j = 0; j < n; j++) {
            double pj = smoothed(p[j], pLoss) / pSum;
            double qj = smoothed(q[j], qLoss) / qSum;
            kl += pj * Math.log(pj / qj);
        }
        return kl;
    }

    /** {@code eps · zeros / nonzeros}, what each non-zero entry gives up; NaN when smoothing is impossible. */
    private static double smoothingLoss(long[] x, int n) {
        int zeros = 0;
        for (int j = 0; j < n; j++) {
            if (x[j] == 0) {
                zeros++;
            }
        }
        int nonZeros = n - zeros;
        if (nonZeros == 0) {
            return Double.NaN;
        }
        double loss = EPS * zeros / nonZeros;
        // Counts are whole numbers, so a loss below 1 keeps every smoothed entry positive.
        return loss < 1.0 ? loss : Double.NaN;
    }

    private static double smoothed(long x, double loss) {
        return x == 0 ? EPS : x - loss;
    }
}
