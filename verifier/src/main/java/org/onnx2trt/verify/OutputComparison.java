package org.onnx2trt.verify;

import java.util.Arrays;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;

/**
 * How far one output of a model is from the same output of a reference, over one or more samples:
 * the worst figures seen (largest errors, smallest cosine similarity and SNR).
 *
 * @param maxAbs the largest |actual − expected|
 * @param maxRel the largest |actual − expected| / |expected| over elements whose expected value is not 0
 * @param cosine cosine similarity of the two as flat vectors (1 when both are all zeros)
 * @param snrDb 10·log10(Σ expected² / Σ (actual − expected)²); +∞ when equal
 * @param mismatches elements outside the tolerance
 * @param elements elements compared
 * @param worst where the largest excess over the tolerance was: flat index, and both values there
 * @param problem a reason the two cannot be compared element by element (type or shape), else null
 * @param nonFinite elements that are NaN or ∞ in both (equal, but proving nothing): the cosine and SNR are over
 *     the other elements, and undefined (NaN) when there are none
 */
public record OutputComparison(String name, double maxAbs, double maxRel, double cosine, double snrDb,
                               long mismatches, long elements, Tolerance tolerance, Worst worst, String problem,
                               long nonFinite) {

    public OutputComparison(String name, double maxAbs, double maxRel, double cosine, double snrDb, long mismatches,
                            long elements, Tolerance tolerance, Worst worst, String problem) {
        this(name, maxAbs, maxRel, cosine, snrDb, mismatches, elements, tolerance, worst, problem, 0);
    }

    /** Whether the output was NaN or ∞ in both models at every element: equal, and nothing was compared. */
    public boolean nothingFinite() {
        return problem == null && elements > 0 && nonFinite == elements;
    }

    /** The element that most exceeded the tolerance (or had the largest error, when none did). */
    public record Worst(long index, double expected, double actual) {}

    public boolean passed() {
        return problem == null && mismatches == 0;
    }

    /** Compares one sample's output. */
    public static OutputComparison of(String name, Tensor expected, Tensor actual, Tolerance tol) {
        if (expected.dataType() != actual.dataType()) {
            return failed(name, tol, "types differ: " + expected.dataType() + " vs " + actual.dataType());
        }
        if (!Arrays.equals(expected.dims(), actual.dims())) {
            return failed(name, tol, "shapes differ: " + Arrays.toString(expected.dims()) + " vs "
                    + Arrays.toString(actual.dims()));
        }
        TensorView e = expected.view();
        TensorView a = actual.view();
        double maxAbs = 0;
        double maxRel = 0;
        double dot = 0;
        double ee = 0;
        double aa = 0;
        double noise = 0;
        long mismatches = 0;
        long nonFiniteMismatches = 0;
        long bothNonFinite = 0;
        long worstAt = -1;
        double worstExcess = Double.NEGATIVE_INFINITY;
        boolean worstFailed = false;
        for (int i = 0; i < e.size(); i++) {
            double x = e.getDouble(i);
            double y = a.getDouble(i);
            boolean ok = tol.allows(x, y);
            double err = Math.abs(y - x);
            if (Double.isNaN(err)) {
                err = ok ? 0 : Double.POSITIVE_INFINITY; // NaN against NaN is equal; against a number, infinitely off
            } else if (Double.isInfinite(x) && x == y) {
                err = 0;
            }
            maxAbs = Math.max(maxAbs, err);
            if (x != 0) {
                maxRel = Math.max(maxRel, err / Math.abs(x));
            }
            if (Double.isFinite(x) && Double.isFinite(y)) {
                dot += x * y;
                ee += x * x;
                aa += y * y;
                noise += (y - x) * (y - x);
            } else if (!ok) {
                nonFiniteMismatches++; // NaN or ∞ on one side only: no figure may call this close
            } else {
                bothNonFinite++; // the same NaN or ∞ on both sides
            }
            double excess = err - tol.bound(x);
            if (!ok) {
                mismatches++;
            }
            // The worst failing element if any failed, else the one closest to failing.
            if ((!ok && (!worstFailed || excess > worstExcess)) || (!worstFailed && excess > worstExcess)) {
                worstFailed = !ok;
                worstExcess = excess;
                worstAt = i;
            }
        }
        double cosine = ee == 0 && aa == 0 ? 1 : dot / Math.sqrt(ee * aa);
        double snr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(ee / noise);
        if (nonFiniteMismatches > 0) { // the error is unbounded: undefined similarity, no signal over the noise
            cosine = Double.NaN;
            snr = Double.NEGATIVE_INFINITY;
        } else if (bothNonFinite == e.size() && e.size() > 0) { // NaN against NaN everywhere: nothing was compared
            cosine = Double.NaN;
            snr = Double.NaN;
        }
        Worst worst = worstAt < 0 ? null : new Worst(worstAt, e.getDouble((int) worstAt), a.getDouble((int) worstAt));
        return new OutputComparison(name, maxAbs, maxRel, cosine, snr, mismatches, e.size(), tol, worst, null, bothNonFinite);
    }

    /** This comparison and another sample's of the same output: the worse of each figure. */
    public OutputComparison merge(OutputComparison o) {
        if (problem != null) {
            return this;
        }
        if (o.problem != null) {
            return o;
        }
        Worst w = o.mismatches > 0 && mismatches == 0 ? o.worst : worst;
        double worseCosine = Double.isNaN(cosine) || Double.isNaN(o.cosine) ? Double.NaN : Math.min(cosine, o.cosine);
        double worseSnr = Double.isNaN(snrDb) ? o.snrDb : Double.isNaN(o.snrDb) ? snrDb : Math.min(snrDb, o.snrDb);
        if (Double.isNaN(cosine) && nothingFinite()) { // a sample with nothing compared says nothing about the others
            worseCosine = o.cosine;
        } else if (Double.isNaN(o.cosine) && o.nothingFinite()) {
            worseCosine = cosine;
        }
        return new OutputComparison(name, Math.max(maxAbs, o.maxAbs), Math.max(maxRel, o.maxRel),
                worseCosine, worseSnr, mismatches + o.mismatches, elements + o.elements,
                tolerance, w, null, nonFinite + o.nonFinite);
    }

    private static OutputComparison failed(String name, Tolerance tol, String problem) {
        return new OutputComparison(name, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, tol, null, problem);
    }

    /** The cosine for a report: six decimals, or "undefined" when an element is NaN or ∞ on one side only. */
    public static String cosineText(double cosine) {
        return Double.isNaN(cosine) ? "undefined" : String.format(java.util.Locale.ROOT, "%.6f", cosine);
    }

    /** The SNR in dB for a report: one decimal, ∞ when equal, −∞ when an element is NaN or ∞ on one side only. */
    public static String snrText(double snrDb) {
        if (Double.isNaN(snrDb)) {
            return "undefined";
        }
        if (Double.isInfinite(snrDb)) {
            return snrDb > 0 ? "∞" : "−∞";
        }
        return String.format(java.util.Locale.ROOT, "%.1f", snrDb);
    }

    /** One line: the figures, and for a failure which element and by how much. */
    public String describe() {
        if (problem != null) {
            return "output `" + name + "`: " + problem;
        }
        String figures = String.format(java.util.Locale.ROOT, "max abs %.3g, max rel %.3g, cosine %s, SNR %s dB",
                maxAbs, maxRel, cosineText(cosine), snrText(snrDb));
        if (passed()) {
            return "output `" + name + "`: equivalent (" + figures + ")";
        }
        return String.format(java.util.Locale.ROOT, "output `%s`: %d of %d elements beyond %s"
                + " (%s); worst at flat index %d: expected %.7g, got %.7g", name, mismatches, elements,
                tolerance.describe(), figures, worst.index(), worst.expected(), worst.actual());
    }
}
