package org.onnx2trt.quant.calib;

/**
 * {@code amax} minimizing the squared error of INT8 quantize–dequantize over the histogram:
 * <pre>
 *   err(T) = Σ_k c_k · (x_k − q_T(x_k))²,   x_k = (k + ½)·w  (bin centres stand for their values)
 *   q_T(x) = s · min(rint(x / s), 127),  s = T / 127   (|x| ≥ 0; rint: ties to even, as ONNX QuantizeLinear)
 * </pre>
 * over the candidates {@code T = k·w} (upper edges of bins k−1) for {@code k = startBin … bins}.
 * Values above T pay {@code (x − T)²} (clipping), values below at most {@code (s/2)²} (rounding).
 * The winner is the <em>largest</em> T whose error is within 1e-9 (relative) of the least,
 * lowered to the largest |x| when that is smaller: a tie between clipping and rounding goes to not
 * clipping. It matters for a tensor of one repeated value v: the model puts v at its bin's centre
 * w/2 below the range, where clipping at the previous edge and rounding at the range both cost
 * (w/2)², and the first minimum would clip every value.
 *
 * <p>The candidate set from bin 128 on is pytorch-quantization's ({@code HistogramCalibrator},
 * method "mse", {@code start_bin=128}): below it the step s is finer than a bin and bin centres alias
 * onto quantization levels, which makes the error model meaningless. The optimum is below max |x|
 * even on uniform data: for x uniform on [0, R] the continuous error is least at T = R·254/255.
 */
public final class MseThreshold {
    /** The default first candidate, in bins: thresholds from {@code 128·w} up. */
    public static final int DEFAULT_START_BIN = 128;
    /** Errors within this relative distance of the least are ties. */
    static final double TIE = 1e-9;

    private MseThreshold() {}

    /** {@link #choose(AbsHistogram, int)} from bin {@code min(128, bins)}. */
    public static Choice choose(AbsHistogram hist) {
        return choose(hist, Math.min(DEFAULT_START_BIN, hist.bins()));
    }

    /**
     * The error-minimizing threshold among {@code k·w}, k = startBin … bins; amax 0 for an empty or
     * all-zero histogram. Cost: O(bins · (bins − startBin)).
     *
     * @throws IllegalArgumentException when startBin is not in [1, bins]
     */
    public static Choice choose(AbsHistogram hist, int startBin) {
        if (startBin < 1 || startBin > hist.bins()) {
            throw new IllegalArgumentException("mse start bin must be in [1, " + hist.bins() + "], got " + startBin);
        }
        String method = CalibrationMethod.MSE.id();
        if (Choice.isTrivial(hist)) {
            return Choice.zero(method, hist);
        }
        long[] c = hist.counts();
        double w = (double) hist.range() / c.length;
        double[] err = new double[c.length + 1];
        double least = Double.POSITIVE_INFINITY;
        for (int k = startBin; k <= c.length; k++) {
            err[k] = error(c, w, k * w);
            least = Math.min(least, err[k]);
        }
        int bestK = c.length;
        while (err[bestK] > least * (1 + TIE)) {
            bestK--;
        }
        return Choice.atUpperEdge(method, hist, bestK - 1);
    }

    /** err(T) above, for bins of width w. */
    static double error(long[] c, double w, double amax) {
        double s = amax / 127.0;
        double err = 0;
        for (int k = 0; k < c.length; k++) {
            if (c[k] == 0) {
                continue;
            }
            double x = (k + 0.5) * w;
            double q = Math.min(Math.rint(x / s), 127.0) * s;
            err += c[k] * ((x - q) * (x - q));
        }
        return err;
    }
}
