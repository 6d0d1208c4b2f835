package org.onnx2trt.verify;

/**
 * When two outputs count as equal: every element within {@code atol + rtol·|expected| + noise}, as
 * {@code numpy.allclose} decides with {@code noise} added to {@code atol} (NaN equals NaN; an infinity
 * equals only itself). {@code noise} is the allowance for the model's own float32 rounding
 * ({@link NoiseFloor}): zero unless a check measured it.
 */
public record Tolerance(double atol, double rtol, double noise) {
    /** The default for float32 rewrites that reorder arithmetic (a fused BN, a folded scale). */
    public static final Tolerance DEFAULT = new Tolerance(1e-5, 1e-4);

    public Tolerance {
        if (!(atol >= 0) || !(rtol >= 0) || !(noise >= 0)) {
            throw new IllegalArgumentException("tolerances must be non-negative numbers, got atol " + atol + ", rtol " + rtol
                    + (noise == 0 ? "" : ", noise " + noise));
        }
    }

    /** A tolerance without a noise allowance. */
    public Tolerance(double atol, double rtol) {
        this(atol, rtol, 0);
    }

    /** This tolerance with {@code allowance} added for the model's own rounding. */
    public Tolerance withNoise(double allowance) {
        return new Tolerance(atol, rtol, allowance);
    }

    /** The largest difference allowed at an element whose expected value is {@code expected}. */
    double bound(double expected) {
        return atol + rtol * Math.abs(expected) + noise;
    }

    boolean allows(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual;
        }
        return Math.abs(actual - expected) <= bound(expected);
    }

    /** {@code atol 1e-05 + rtol 0.0001·|expected|}, with {@code + noise allowance 3.2e-05} when there is one. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "atol %.3g + rtol %.3g·|expected|", atol, rtol)
                + (noise > 0 ? String.format(java.util.Locale.ROOT, " + noise allowance %.3g", noise) : "");
    }
}
