package org.onnx2trt.quant.calib;

/**
 * The threshold a calibration method chose for one tensor.
 *
 * <p>{@code amax} is 0 when the tensor held only zeros (or nothing): its scale {@code amax / 127} is
 * then 0 too, and the caller that writes Q/DQ scales must guard against it (TensorRT rejects a zero
 * scale).
 *
 * @param method          the method's name, as {@link CalibrationMethod#id()} spells it
 * @param amax            the clipping threshold on |x|, ≥ 0
 * @param clippedFraction the fraction of the counted (non-NaN) values whose |x| lies above amax,
 *                        as far as the histogram tells: the bins wholly above it
 */
public record Choice(String method, float amax, double clippedFraction) {
    public Choice {
        if (!(amax >= 0f) || Float.isInfinite(amax)) {
            throw new IllegalArgumentException("amax must be finite and ≥ 0, got " + amax);
        }
    }

    /** {@code amax / 127}: the INT8 scale; 0 for an all-zero tensor. */
    public float scale() {
        return amax / 127f;
    }

    /** Nothing to clip: an empty histogram, or one of an all-zero tensor (range 0). */
    static boolean isTrivial(AbsHistogram hist) {
        return hist.total() == 0 || hist.range() == 0f;
    }

    /** amax 0; whatever lies above 0 (values that overflowed a zero range) counts as clipped. */
    static Choice zero(String method, AbsHistogram hist) {
        return new Choice(method, 0f, hist.total() == 0 ? 0.0 : (double) hist.overflow() / hist.total());
    }

    /**
     * amax at the upper edge of bin k, lowered to the largest |x| seen when that is smaller (a
     * threshold above every value clips nothing more and only rounds coarser); clipped: the bins after k.
     */
    static Choice atUpperEdge(String method, AbsHistogram hist, int bin) {
        float amax = Math.min(hist.upperEdge(bin), hist.max());
        return new Choice(method, amax, (double) hist.countAbove(bin) / hist.total());
    }
}
