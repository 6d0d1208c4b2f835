package org.onnx2trt.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.onnx2trt.tensor.Tensor;

class OutputComparisonTest {
    static Tensor t(float... v) {
        return Tensor.ofFloats("t", new long[] {v.length}, v);
    }

    @Test
    void equalOutputsHaveInfiniteSnrAndUnitCosine() {
        OutputComparison c = OutputComparison.of("y", t(1, -2, 3), t(1, -2, 3), Tolerance.DEFAULT);
        assertTrue(c.passed());
        assertEquals(0, c.maxAbs());
        assertEquals(1, c.cosine(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, c.snrDb());
    }

    @Test
    void figuresAreThoseOfTheDefinitions() {
        OutputComparison c = OutputComparison.of("y", t(1, 2, 0), t(1.5f, 2, 0.25f), new Tolerance(0, 0));
        assertEquals(0.5, c.maxAbs(), 1e-7);
        assertEquals(0.5, c.maxRel(), 1e-7, "relative only where expected ≠ 0: 0.5/1");
        assertEquals((1 * 1.5 + 2 * 2) / Math.sqrt(5 * (1.5 * 1.5 + 4 + 0.0625)), c.cosine(), 1e-7);
        assertEquals(10 * Math.log10(5 / (0.25 + 0.0625)), c.snrDb(), 1e-6);
        assertEquals(2, c.mismatches());
        assertEquals(0, c.worst().index(), "0.5 over a zero tolerance is the largest excess");
    }

    @Test
    void toleranceIsAllclose() {
        Tolerance tol = new Tolerance(1e-3, 1e-2);
        assertTrue(OutputComparison.of("y", t(100), t(100.9f), tol).passed(), "0.9 ≤ 1e-3 + 1e-2·100");
        assertFalse(OutputComparison.of("y", t(100), t(101.1f), tol).passed());
        assertTrue(OutputComparison.of("y", t(0), t(0.0009f), tol).passed());
        assertFalse(OutputComparison.of("y", t(0), t(0.0011f), tol).passed());
    }

    @Test
    void nanEqualsOnlyNanAndInfinityOnlyItself() {
        assertTrue(OutputComparison.of("y", t(Float.NaN, Float.POSITIVE_INFINITY), t(Float.NaN, Float.POSITIVE_INFINITY),
                Tolerance.DEFAULT).passed());
        OutputComparison c = OutputComparison.of("y", t(1, 2), t(Float.NaN, 2), Tolerance.DEFAULT);
        assertEquals(1, c.mismatches());
        assertEquals(Double.POSITIVE_INFINITY, c.maxAbs());
        assertFalse(OutputComparison.of("y", t(Float.NEGATIVE_INFINITY), t(Float.POSITIVE_INFINITY), Tolerance.DEFAULT).passed());
    }

    @Test
    void aNanWhereTheReferenceIsFiniteIsNeverShownAsClose() {
        OutputComparison c = OutputComparison.of("y", t(1, 2, 3), t(1, Float.NaN, 3), Tolerance.DEFAULT);
        assertTrue(Double.isNaN(c.cosine()), "the finite elements alone would give cosine 1");
        assertEquals(Double.NEGATIVE_INFINITY, c.snrDb());
        assertTrue(c.describe().contains("cosine undefined, SNR −∞ dB"), c.describe());
        OutputComparison merged = OutputComparison.of("y", t(1, 2), t(1, 2), Tolerance.DEFAULT).merge(c);
        assertTrue(Double.isNaN(merged.cosine()), "merging keeps the undefined cosine");
        assertEquals("1.000000", OutputComparison.cosineText(1.0));
        assertEquals("∞", OutputComparison.snrText(Double.POSITIVE_INFINITY));
    }

    @Test
    void shapeOrTypeMismatchIsAProblemNotANumber() {
        OutputComparison c = OutputComparison.of("y", t(1, 2), t(1, 2, 3), Tolerance.DEFAULT);
        assertFalse(c.passed());
        assertEquals("output `y`: shapes differ: [2] vs [3]", c.describe());
    }

    @Test
    void mergingKeepsTheWorstOfEachFigure() {
        OutputComparison a = OutputComparison.of("y", t(1, 2), t(1, 2.5f), Tolerance.DEFAULT);
        OutputComparison b = OutputComparison.of("y", t(4, 2), t(3, 2), Tolerance.DEFAULT);
        OutputComparison m = a.merge(b);
        assertEquals(1, m.maxAbs(), 1e-7);
        assertEquals(0.25, m.maxRel(), 1e-7);
        assertEquals(Math.min(a.cosine(), b.cosine()), m.cosine());
        assertEquals(2, m.mismatches());
        assertEquals(4, m.elements());
    }

    @Test
    void aFailureSaysWhereAndByHowMuch() {
        OutputComparison c = OutputComparison.of("scores", t(1, 2, 3), t(1, 2.5f, 3), new Tolerance(1e-5, 1e-4));
        assertEquals("output `scores`: 1 of 3 elements beyond atol 1.00e-05 + rtol 0.000100·|expected| (max abs 0.500,"
                + " max rel 0.250, cosine 0.994490, SNR 17.5 dB); worst at flat index 1: expected 2.000000, got 2.500000",
                c.describe());
    }
}
