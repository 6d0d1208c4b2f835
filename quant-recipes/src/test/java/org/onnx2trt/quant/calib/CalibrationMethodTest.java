package org.onnx2trt.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Names, messages, dispatch, and the edge cases every method must agree on. */
class CalibrationMethodTest {

    @ParameterizedTest
    @CsvSource({"minmax, MINMAX", "MinMax, MINMAX", "PERCENTILE, PERCENTILE", "entropy, ENTROPY", "Mse, MSE"})
    void parsesTheFourNamesInAnyCase(String name, CalibrationMethod expected) {
        assertEquals(expected, CalibrationMethod.parse(name));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "percentil | unknown calibration method `percentil` (did you mean `percentile`?); use one of `minmax`, `percentile`, `entropy`, `mse`",
        "min-max   | unknown calibration method `min-max` (did you mean `minmax`?); use one of `minmax`, `percentile`, `entropy`, `mse`",
        "Entropie  | unknown calibration method `Entropie` (did you mean `entropy`?); use one of `minmax`, `percentile`, `entropy`, `mse`",
        "kl        | unknown calibration method `kl`; use one of `minmax`, `percentile`, `entropy`, `mse`",
    })
    void rejectsOtherNamesSayingWhichAreKnown(String name, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalibrationMethod.parse(name));
        assertEquals(message, e.getMessage());
    }

    @Test
    void onlyMinMaxGoesWithoutAHistogram() {
        assertFalse(CalibrationMethod.MINMAX.needsHistogram());
        assertTrue(CalibrationMethod.PERCENTILE.needsHistogram());
        assertTrue(CalibrationMethod.ENTROPY.needsHistogram());
        assertTrue(CalibrationMethod.MSE.needsHistogram());

        RangeStats stats = stats(new float[] {-2f, 1f});
        assertEquals(new Choice("minmax", 2f, 0.0), CalibrationMethod.MINMAX.choose(stats, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationMethod.ENTROPY.choose(stats, null));
        assertEquals("calibration method `entropy` needs the |x| histogram; fill an AbsHistogram over [0, max |x|]"
                + " in a second pass over the calibration set", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(CalibrationMethod.class)
    void anAllZeroTensorGivesAmaxZero(CalibrationMethod method) {
        float[] x = new float[1000];
        x[3] = -0f;
        Choice c = choose(method, x);
        assertEquals(0f, c.amax(), "callers must guard the zero scale");
        assertEquals(0f, c.scale());
        assertEquals(0.0, c.clippedFraction());
        assertEquals(method.id(), c.method());
    }

    @org.junit.jupiter.api.Test
    void entropyAndMseKeepTheWholeRangeOfATensorWithFewerValuesThanBins() {
        float[] x = new float[500]; // a pooled feature vector on a small set: most of 2048 bins stay empty
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        x[7] = 9f;
        for (CalibrationMethod m : new CalibrationMethod[] {CalibrationMethod.ENTROPY, CalibrationMethod.MSE}) {
            Choice c = choose(m, x);
            assertEquals(9f, c.amax(), m.id());
            assertEquals("minmax (500 values, fewer than the 2048 bins " + m.id() + " needs)", c.method());
        }
        assertEquals("percentile", choose(CalibrationMethod.PERCENTILE, x).method()); // a percentile needs no filled bins
    }

    @ParameterizedTest
    @EnumSource(CalibrationMethod.class)
    void aRepeatedValueIsItsOwnThreshold(CalibrationMethod method) {
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 2 == 0 ? 3f : -3f;
        }
        Choice c = choose(method, x);
        assertEquals(3f, c.amax());
        assertEquals(0.0, c.clippedFraction());
    }

    @Test
    void percentileAndEntropyClipAFewHugeOutliersAndMinMaxDoesNot() {
        Random random = new Random(42);
        float[] x = new float[100_005];
        for (int i = 0; i < 100_000; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 100_000; i < x.length; i++) {
            x[i] = i % 2 == 0 ? 40f : -40f;
        }
        double outliers = 5.0 / x.length;
        Choice minmax = choose(CalibrationMethod.MINMAX, x);
        assertEquals(40f, minmax.amax());
        assertEquals(0.0, minmax.clippedFraction());
        for (CalibrationMethod m : new CalibrationMethod[] {CalibrationMethod.PERCENTILE, CalibrationMethod.ENTROPY}) {
            Choice c = choose(m, x);
            assertTrue(c.amax() < 10f && c.amax() > 2f, c.toString());
            assertTrue(c.clippedFraction() >= outliers && c.clippedFraction() < 1e-3, c.toString());
        }
    }

    @Test
    void choiceRejectsANegativeOrNonFiniteAmax() {
        assertThrows(IllegalArgumentException.class, () -> new Choice("minmax", -1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new Choice("minmax", Float.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new Choice("minmax", Float.POSITIVE_INFINITY, 0));
        assertEquals(1f, new Choice("minmax", 127f, 0).scale());
    }

    private static RangeStats stats(float[] x) {
        RangeStats s = new RangeStats();
        s.add(x);
        return s;
    }

    /** Both passes over x, then the method's defaults. */
    private static Choice choose(CalibrationMethod method, float[] x) {
        RangeStats stats = stats(x);
        AbsHistogram hist = new AbsHistogram(stats.maxAbs(), CalibrationMethod.DEFAULT_BINS);
        hist.add(x);
        return method.choose(stats, hist);
    }
}
