package org.onnx2trt.quant.calib;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.onnx2trt.dsl.diag.Suggestions;

/**
 * The four ways to choose a tensor's INT8 threshold, by the name a recipe or the command line uses.
 * All but {@link #MINMAX} read the |x| histogram, which costs the second pass over the calibration set.
 */
public enum CalibrationMethod {
    /** max |x|: clips nothing ({@link MinMaxThreshold}). */
    MINMAX("minmax"),
    /** The {@value #DEFAULT_PERCENTILE}th percentile of |x| ({@link PercentileThreshold}). */
    PERCENTILE("percentile"),
    /** TensorRT's KL-divergence search over {@value #DEFAULT_ENTROPY_LEVELS} levels ({@link EntropyThreshold}). */
    ENTROPY("entropy"),
    /** The least squared quantization error ({@link MseThreshold}). */
    MSE("mse");

    /** The percentile kept by {@link #PERCENTILE}. */
    public static final double DEFAULT_PERCENTILE = 99.99;
    /** The quantized levels of {@link #ENTROPY}: 128, one per non-negative INT8 value. */
    public static final int DEFAULT_ENTROPY_LEVELS = 128;
    /** The histogram size the methods expect. */
    public static final int DEFAULT_BINS = AbsHistogram.DEFAULT_BINS;

    private final String id;

    CalibrationMethod(String id) {
        this.id = id;
    }

    /** The lower-case name that {@link #parse} reads: {@code minmax}, {@code percentile}, {@code entropy}, {@code mse}. */
    public String id() {
        return id;
    }

    /** Whether {@link #choose} needs the |x| histogram: every method but {@link #MINMAX}. */
    public boolean needsHistogram() {
        return this != MINMAX;
    }

    /**
     * The method named {@code name}, ignoring case.
     *
     * @throws IllegalArgumentException for any other name; the message lists the four and suggests the closest
     */
    public static CalibrationMethod parse(String name) {
        Objects.requireNonNull(name, "name");
        for (CalibrationMethod m : values()) {
            if (m.id.equals(name.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        List<String> ids = Arrays.stream(values()).map(CalibrationMethod::id).toList();
        throw new IllegalArgumentException("unknown calibration method `" + name + "`"
                + Suggestions.didYouMean(name, ids) + "; use one of `minmax`, `percentile`, `entropy`, `mse`");
    }

    /**
     * This method's threshold with the defaults (percentile {@value #DEFAULT_PERCENTILE}, entropy
     * {@value #DEFAULT_ENTROPY_LEVELS} levels, mse from bin 128). amax is 0 for an all-zero tensor.
     *
     * @param stats the first pass; only {@link #MINMAX} reads it
     * @param hist  the second pass, over {@code [0, stats.maxAbs()]}; may be null for {@link #MINMAX}
     * @throws IllegalArgumentException when the method needs the histogram and hist is null, or (entropy)
     *                                  the histogram has fewer than 128 bins
     */
    public Choice choose(RangeStats stats, AbsHistogram hist) {
        if (needsHistogram() && hist == null) {
            throw new IllegalArgumentException("calibration method `" + id + "` needs the |x| histogram;"
                    + " fill an AbsHistogram over [0, max |x|] in a second pass over the calibration set");
        }
        if ((this == ENTROPY || this == MSE) && hist.total() < hist.bins() && !Choice.isTrivial(hist) && stats != null) {
            // A tensor of fewer values than bins (a pooled feature vector on a small set) leaves most
            // bins empty, and the KL search then settles on a spike: 5 dB instead of 43 on one export.
            // Its whole range is kept instead, and the choice says why.
            Choice all = MinMaxThreshold.choose(stats);
            return new Choice("minmax (" + hist.total() + " values, fewer than the " + hist.bins() + " bins " + id
                    + " needs)", all.amax(), all.clippedFraction());
        }
        return switch (this) {
            case MINMAX -> MinMaxThreshold.choose(Objects.requireNonNull(stats, "stats"));
            case PERCENTILE -> PercentileThreshold.choose(hist, DEFAULT_PERCENTILE);
            case ENTROPY -> EntropyThreshold.choose(hist, DEFAULT_ENTROPY_LEVELS);
            case MSE -> MseThreshold.choose(hist);
        };
    }
}
