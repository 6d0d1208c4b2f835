package org.onnx2trt.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The first pass: min, max, max |x| over finite values; NaN and ±Inf counted apart. */
class RangeStatsTest {

    @Test
    void tracksMinMaxAndMaxAbs() {
        RangeStats s = new RangeStats();
        s.add(new float[] {-3f, 1f});
        s.add(new float[] {2.5f});
        assertEquals(-3f, s.min());
        assertEquals(2.5f, s.max());
        assertEquals(3f, s.maxAbs());
        assertEquals(3, s.count());
    }

    @Test
    void nanIsCountedApartAndInfinitiesStayOutOfTheRange() {
        RangeStats s = new RangeStats();
        s.add(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f});
        assertEquals(3, s.count());
        assertEquals(1, s.nanCount());
        assertEquals(2, s.infCount());
        assertEquals(1f, s.min());
        assertEquals(1f, s.max());
        assertEquals(1f, s.maxAbs());
    }

    @Test
    void allNegativeKeepsANegativeMax() {
        RangeStats s = new RangeStats();
        s.add(new float[] {-4f, -1f});
        assertEquals(-1f, s.max());
        assertEquals(4f, s.maxAbs());
    }

    @Test
    void emptyOrAllNanReadsAsZero() {
        RangeStats s = new RangeStats();
        s.add(new float[] {Float.NaN});
        assertEquals(0f, s.min());
        assertEquals(0f, s.max());
        assertEquals(0f, s.maxAbs());
        assertEquals(0, s.count());
    }

    @Test
    void addsOnlyTheSlice() {
        RangeStats s = new RangeStats();
        s.add(new float[] {100f, -2f, 1f, 100f}, 1, 2);
        assertEquals(-2f, s.min());
        assertEquals(1f, s.max());
        assertEquals(2, s.count());
    }
}
