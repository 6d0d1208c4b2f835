package org.onnx2trt.quant.calib;

/**
 * TensorRT's entropy calibration (Migacz, "8-bit Inference with TensorRT", GTC 2017): the threshold
 * whose INT8 rendering of the histogram loses the least information, {@code argmin_i KL(P_i ‖ Q_i)}.
 *
 * <p>This follows NVIDIA's own implementation, {@code _compute_amax_entropy} in TensorRT's
 * {@code tools/pytorch-quantization/pytorch_quantization/calib/histogram.py}. With b the counts, except
 * {@code b_0 := b_1}, and for each candidate {@code i = levels … bins} (threshold {@code i·w}, the upper
 * edge of bin i−1):
 * <pre>
 *   P_i = b_0 … b_{i−1}, with b_i + … + b_{bins−1} (the values the threshold clips) added to P_i[i−1]
 *   group(j) = ⌊j · levels / i⌋ for a bin j &lt; i with b_j &gt; 0; an empty bin is in no group
 *   Q_i[j]  = (Σ b over group(j)) / (non-empty bins of group(j)),  0 for an empty bin
 *   KL(P ‖ Q) = Σ_{p̂_j &gt; 0} p̂_j · ln(p̂_j / q̂_j),   p̂ = P / ΣP, q̂ = Q / ΣQ;  +∞ where q̂_j = 0 &lt; p̂_j
 * </pre>
 * The last i with the smallest divergence wins (NVIDIA reverses before its argmin); amax = {@code i·w},
 * lowered to the largest |x| when that is smaller. The group is numpy's
 * {@code digitize(j, linspace(0, i, levels + 1)) − 1}, which is exactly ⌊j·levels/i⌋ for a power-of-two
 * levels such as 128; KL is scipy's {@code entropy(P, Q)}. NVIDIA starts at {@code start_bin = 128}, the
 * level count for INT8; here the first candidate is {@code i = levels}.
 *
 * <p>Against onnxruntime's {@code get_entropy_threshold}: b_0 is replaced by b_1, and Q spreads each group
 * over its non-empty bins only, groups covering all of [0, i) (onnxruntime fills empty bins too and
 * leaves {@code i mod levels} bins at 0). The product follows NVIDIA's because the spec says TensorRT's
 * method and because onnxruntime's collapses on ReLU outputs: the spike of exact zeros in bin 0 makes
 * every wide window look costly, and a ResNet activation with max 1.97 got amax 0.12, clipping 26.7%.
 *
 * <p>One deliberate difference: a window [0, i) with no counts (every b_j = 0 there) has divergence +∞;
 * in NVIDIA's code scipy returns NaN, which numpy's argmin would then pick.
 */
public final class EntropyThreshold {
    private EntropyThreshold() {}

    /**
     * The KL-optimal threshold for {@code levels} quantized bins (TensorRT: 128, one per non-negative
     * INT8 level); amax 0 for an empty or all-zero histogram. The clipped fraction is of the real
     * histogram, bin 0 as counted. Cost: O(bins²) additions, O(bins · levels) logarithms.
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
        double[] d = divergences(hist.counts(), levels);
        int best = 0;
        for (int k = 1; k < d.length; k++) {
            if (d[k] <= d[best]) { // ≤: the last of equal divergences wins, as NVIDIA's reversed argmin
                best = k;
            }
        }
        return Choice.atUpperEdge(method, hist, best + levels - 1);
    }

    /**
     * {@code KL(P_i ‖ Q_i)} for every candidate {@code i = levels … counts.length}, at index i − levels;
     * counts are the raw histogram (bin 0 is replaced here). Never NaN.
     */
    static double[] divergences(long[] counts, int levels) {
        int n = counts.length;
        long[] b = counts.clone();
        if (n > 1) {
            b[0] = b[1];
        }
        long[] below = new long[n + 1]; // below[k] = b_0 + … + b_{k−1}
        int[] nonEmpty = new int[n + 1]; // nonEmpty[k] = bins among 0 … k−1 with b_j > 0
        double[] lnB = new double[n]; // ln b_j; 0 for an empty bin, whose terms are then 0 · finite
        for (int j = 0; j < n; j++) {
            below[j + 1] = below[j] + b[j];
            nonEmpty[j + 1] = nonEmpty[j] + (b[j] > 0 ? 1 : 0);
            lnB[j] = b[j] > 0 ? Math.log(b[j]) : 0.0;
        }
        double[] d = new double[n - levels + 1];
        for (int i = levels; i <= n; i++) {
            d[i - levels] = divergence(b, below, nonEmpty, lnB, i, levels);
        }
        return d;
    }

    /**
     * KL(P_i ‖ Q_i), rewritten so that no logarithm is taken per bin: with T = ΣP (all of b) and
     * S = ΣQ = b_0 + … + b_{i−1}, p̂_j / q̂_j = (P_j / Q_j) · (S / T), so
     * {@code KL = (1/T) Σ_j P_j · (ln P_j − ln Q_j) + ln(S / T)}, and ln Q_j is one logarithm per group.
     */
    private static double divergence(long[] b, long[] below, int[] nonEmpty, double[] lnB, int i, int levels) {
        long total = below[b.length];
        long window = below[i];
        if (window == 0) {
            return Double.POSITIVE_INFINITY; // Q is all zeros (NVIDIA: NaN)
        }
        long clipped = total - window;
        if (clipped > 0 && b[i - 1] == 0) {
            return Double.POSITIVE_INFINITY; // P's last bin holds the clipped values, Q's is empty
        }
        double sum = 0;
        double lastLnQ = 0;
        for (int g = 0; g < levels; g++) {
            // the bins j with ⌊j·levels/i⌋ = g: ⌈g·i/levels⌉ ≤ j < ⌈(g+1)·i/levels⌉
            int from = (int) ceilDiv((long) g * i, levels);
            int to = (int) ceilDiv((long) (g + 1) * i, levels);
            int m = nonEmpty[to] - nonEmpty[from];
            if (m == 0) {
                continue; // nothing in P or Q
            }
            double lnQ = Math.log((double) (below[to] - below[from]) / m);
            int end = g == levels - 1 ? to - 1 : to; // bin i−1, in the last group, is P's special one
            for (int j = from; j < end; j++) {
                sum += b[j] * (lnB[j] - lnQ);
            }
            lastLnQ = lnQ;
        }
        long last = b[i - 1] + clipped;
        if (last > 0) { // else b_{i−1} = 0 and nothing is clipped: a term of 0
            sum += last * (Math.log(last) - lastLnQ);
        }
        return sum / total + Math.log1p(-(double) clipped / total);
    }

    private static long ceilDiv(long x, long y) {
        return (x + y - 1) / y;
    }
}
