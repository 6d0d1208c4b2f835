package org.onnx2trt.verify;

/**
 * When two outputs count as equal: every element within {@code atol + rtol·|expected|}, as
 * {@code numpy.allclose} decides (NaN equals NaN; an infinity equals only itself).
 */
public record Tolerance(double atol, double rtol) {
    /** The default for float32 rewrites that reorder arithmetic (a fused BN, a folded scale). */
    public static final Tolerance DEFAULT = new Tolerance(1e-5, 1e-4);

    public Tolerance {
        if (!(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("tolerances must be non-negative numbers, got atol " + atol + ", rtol " + rtol);
        }
    }

    boolean allows(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual;
        }
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }
}
