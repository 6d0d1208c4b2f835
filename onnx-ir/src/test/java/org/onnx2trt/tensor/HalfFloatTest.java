package org.onnx2trt.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * float16 and bfloat16 conversions, checked against a reference that knows nothing of bit tricks:
 * it lists every finite value of the format from the definition (sign, exponent, mantissa) and picks
 * the nearest to the float with exact arithmetic, ties to the even pattern.
 */
class HalfFloatTest {
    private static final long SEED = 20240611L;

    private static final Format FLOAT16 = new Format(5, 10);
    private static final Format BFLOAT16 = new Format(8, 7);

    // ---- float16 -------------------------------------------------------------------------

    @Test
    void float16_every_finite_pattern_decodes_to_its_defined_value() {
        List<String> wrong = new ArrayList<>();
        for (int bits = 0; bits < 0x10000; bits++) {
            if (FLOAT16.isNaNOrInfinity(bits)) {
                continue;
            }
            double expected = FLOAT16.value(bits);
            double actual = HalfFloat.fromFloat16((short) bits);
            if (Double.doubleToLongBits(actual) != Double.doubleToLongBits(expected)) {
                wrong.add(hex(bits) + " -> " + actual + ", expected " + expected);
            }
        }
        assertEquals(List.of(), first(wrong));
    }

    @Test
    void float16_every_pattern_round_trips_and_nan_stays_nan() {
        List<String> wrong = new ArrayList<>();
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloat.fromFloat16((short) bits);
            int back = HalfFloat.toFloat16(f) & 0xffff;
            boolean nan = (bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0;
            boolean ok = nan
                    ? Float.isNaN(f) && isFloat16NaN(back) && (back & 0x8000) == (bits & 0x8000)
                    : back == bits;
            if (!ok) {
                wrong.add(hex(bits) + " -> " + f + " -> " + hex(back));
            }
        }
        assertEquals(List.of(), first(wrong));
    }

    @Test
    void float16_edge_cases() {
        assertFloat16(0x0000, 0f);
        assertFloat16(0x8000, -0f);
        assertFloat16(0x3c00, 1f);
        assertFloat16(0xc000, -2f);
        assertFloat16(0x7bff, 65504f); // largest finite half
        assertFloat16(0x7bff, Math.nextDown(65520f));
        assertFloat16(0x7c00, 65520f); // halfway to 2^16 rounds to even, which is infinity
        assertFloat16(0xfc00, -65520f);
        assertFloat16(0x7c00, Float.MAX_VALUE);
        assertFloat16(0x7c00, Float.POSITIVE_INFINITY);
        assertFloat16(0xfc00, Float.NEGATIVE_INFINITY);
        assertFloat16(0x0400, 0x1p-14f); // smallest normal
        assertFloat16(0x0001, 0x1p-24f); // smallest subnormal
        assertFloat16(0x0000, 0x1p-25f); // half of it: a tie, to the even 0
        assertFloat16(0x8000, -0x1p-25f);
        assertFloat16(0x0001, Math.nextUp(0x1p-25f));
        assertFloat16(0x0002, 3 * 0x1p-25f); // tie between 1 and 2 ulps: to the even 2
        assertFloat16(0x0000, Float.MIN_VALUE);
        assertFloat16(0x3c00, 1f + 0x1p-11f); // tie between 0x3c00 and 0x3c01
        assertFloat16(0x3c02, 1f + 3 * 0x1p-11f); // tie between 0x3c01 and 0x3c02
        assertFloat16(0x3c01, Math.nextUp(1f + 0x1p-11f));
        assertTrue(Float.isNaN(HalfFloat.fromFloat16(HalfFloat.toFloat16(Float.NaN))));
        assertTrue(isFloat16NaN(HalfFloat.toFloat16(Float.intBitsToFloat(0x7f800001)) & 0xffff),
                "a float NaN whose payload sits below the half mantissa must not become infinity");
    }

    @Test
    void float16_rounds_every_halfway_point_and_its_neighbours_like_the_reference() {
        List<String> wrong = new ArrayList<>();
        for (int bits = 0; bits < 0x7c00; bits++) {
            float mid = (float) ((FLOAT16.value(bits) + FLOAT16.value(bits + 1)) / 2); // exact: 12 significant bits
            for (float f : new float[] {mid, Math.nextDown(mid), Math.nextUp(mid), -mid}) {
                checkFloat16(f, wrong);
            }
        }
        assertEquals(List.of(), first(wrong));
    }

    @Test
    void float16_rounds_random_floats_like_the_reference() {
        Random random = new Random(SEED);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            float any = Float.intBitsToFloat(random.nextInt()); // mostly far outside the half range
            if (!Float.isNaN(any)) {
                checkFloat16(any, wrong);
            }
            // exponents 2^-27 .. 2^16: subnormal halves, normal halves, and just past the largest
            int exponent = 100 + random.nextInt(44);
            int bits = (random.nextInt() & 0x807fffff) | (exponent << 23);
            checkFloat16(Float.intBitsToFloat(bits), wrong);
        }
        assertEquals(List.of(), first(wrong));
    }

    // ---- bfloat16 ------------------------------------------------------------------------

    @Test
    void bfloat16_every_finite_pattern_decodes_to_its_defined_value() {
        List<String> wrong = new ArrayList<>();
        for (int bits = 0; bits < 0x10000; bits++) {
            if (BFLOAT16.isNaNOrInfinity(bits)) {
                continue;
            }
            double expected = BFLOAT16.value(bits);
            double actual = HalfFloat.fromBFloat16((short) bits);
            if (Double.doubleToLongBits(actual) != Double.doubleToLongBits(expected)) {
                wrong.add(hex(bits) + " -> " + actual + ", expected " + expected);
            }
        }
        assertEquals(List.of(), first(wrong));
    }

    @Test
    void bfloat16_every_pattern_round_trips_and_nan_stays_nan() {
        List<String> wrong = new ArrayList<>();
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloat.fromBFloat16((short) bits);
            int back = HalfFloat.toBFloat16(f) & 0xffff;
            boolean nan = (bits & 0x7f80) == 0x7f80 && (bits & 0x7f) != 0;
            boolean ok = nan
                    ? Float.isNaN(HalfFloat.fromBFloat16((short) back)) && (back & 0x8000) == (bits & 0x8000)
                    : back == bits;
            if (!ok) {
                wrong.add(hex(bits) + " -> " + f + " -> " + hex(back));
            }
        }
        assertEquals(List.of(), first(wrong));
    }

    @Test
    void bfloat16_edge_cases() {
        assertBFloat16(0x0000, 0f);
        assertBFloat16(0x8000, -0f);
        assertBFloat16(0x3f80, 1f);
        assertBFloat16(0x3f80, 1f + 0x1p-8f); // tie between 0x3f80 and 0x3f81: to even
        assertBFloat16(0x3f82, 1f + 3 * 0x1p-8f); // tie between 0x3f81 and 0x3f82: to even
        assertBFloat16(0x3f81, Math.nextUp(1f + 0x1p-8f));
        assertBFloat16(0x7f7f, Float.intBitsToFloat(0x7f7f7fff));
        assertBFloat16(0x7f80, Float.MAX_VALUE); // past the halfway point to 2^128
        assertBFloat16(0x7f80, Float.POSITIVE_INFINITY);
        assertBFloat16(0xff80, Float.NEGATIVE_INFINITY);
        assertBFloat16(0x0000, Float.MIN_VALUE); // subnormals round like any other value
        assertBFloat16(0x0001, 0x1p-133f);
        for (int nan : new int[] {0x7fc00000, 0x7f800001, 0xff800001, 0x7f80ffff}) {
            int back = HalfFloat.toBFloat16(Float.intBitsToFloat(nan)) & 0xffff;
            assertTrue(Float.isNaN(HalfFloat.fromBFloat16((short) back)), hex(nan) + " -> " + hex(back));
            assertEquals(nan >>> 31, back >>> 15, "sign of " + hex(nan));
        }
    }

    @Test
    void bfloat16_rounds_every_halfway_point_and_its_neighbours_like_the_reference() {
        List<String> wrong = new ArrayList<>();
        for (int high = 0; high < 0x10000; high++) {
            if (BFLOAT16.isNaNOrInfinity(high)) {
                continue;
            }
            for (int low : new int[] {0x7fff, 0x8000, 0x8001}) {
                checkBFloat16(Float.intBitsToFloat(high << 16 | low), wrong);
            }
        }
        assertEquals(List.of(), first(wrong));
    }

    @Test
    void bfloat16_rounds_random_floats_like_the_reference() {
        Random random = new Random(SEED);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (!Float.isNaN(f)) {
                checkBFloat16(f, wrong);
            }
        }
        assertEquals(List.of(), first(wrong));
    }

    // ---- the reference -------------------------------------------------------------------

    /**
     * A 16-bit float format: a sign bit, {@code expBits} exponent bits and {@code mantBits}
     * mantissa bits. {@link #value} follows the IEEE definition; {@link #nearest} searches the
     * sorted list of finite values, which for non-negative patterns is the patterns' own order.
     */
    private static final class Format {
        static final int SIGN = 0x8000;
        final int mantBits;
        final int bias;
        final int infinity; // the bits of +infinity
        final double[] values; // values[bits] for bits in [0, infinity]; values[infinity] = 2^(emax+1)

        Format(int expBits, int mantBits) {
            this.mantBits = mantBits;
            this.bias = (1 << (expBits - 1)) - 1;
            this.infinity = ((1 << expBits) - 1) << mantBits;
            this.values = new double[infinity + 1];
            for (int bits = 0; bits <= infinity; bits++) {
                values[bits] = value(bits);
            }
        }

        boolean isNaNOrInfinity(int bits) {
            return (bits & infinity) == infinity;
        }

        /** The value of finite bits; for the infinity pattern, 2^(emax+1). */
        double value(int bits) {
            int sign = bits & SIGN;
            int exponent = (bits & infinity) >>> mantBits;
            int mantissa = bits & ((1 << mantBits) - 1);
            double magnitude = exponent == 0
                    ? Math.scalb((double) mantissa, 1 - bias - mantBits)
                    : Math.scalb((double) ((1 << mantBits) + mantissa), exponent - bias - mantBits);
            return sign != 0 ? -magnitude : magnitude;
        }

        /** The bits nearest to {@code f}, ties to even; at or past 2^(emax+1) - ulp/2 to infinity. */
        int nearest(float f) {
            int sign = Float.floatToRawIntBits(f) < 0 ? SIGN : 0;
            double x = Math.abs((double) f);
            if (x >= values[infinity]) {
                return sign | infinity;
            }
            int lo = Arrays.binarySearch(values, x);
            if (lo >= 0) {
                return sign | lo;
            }
            lo = -lo - 2; // the largest value below x; the next one is above
            BigDecimal twiceX = new BigDecimal(x).add(new BigDecimal(x));
            int cmp = twiceX.compareTo(new BigDecimal(values[lo]).add(new BigDecimal(values[lo + 1])));
            int pick = cmp < 0 ? lo : cmp > 0 ? lo + 1 : (lo % 2 == 0 ? lo : lo + 1);
            return sign | pick;
        }
    }

    private static void checkFloat16(float f, List<String> wrong) {
        int expected = FLOAT16.nearest(f);
        int actual = HalfFloat.toFloat16(f) & 0xffff;
        if (actual != expected) {
            wrong.add(f + " (" + hex(Float.floatToRawIntBits(f)) + ") -> " + hex(actual) + ", expected " + hex(expected));
        }
    }

    private static void checkBFloat16(float f, List<String> wrong) {
        int expected = BFLOAT16.nearest(f);
        int actual = HalfFloat.toBFloat16(f) & 0xffff;
        if (actual != expected) {
            wrong.add(f + " (" + hex(Float.floatToRawIntBits(f)) + ") -> " + hex(actual) + ", expected " + hex(expected));
        }
    }

    private static void assertFloat16(int expected, float f) {
        assertEquals(hex(expected), hex(HalfFloat.toFloat16(f) & 0xffff), "toFloat16(" + f + ")");
        assertEquals(hex(expected), hex(FLOAT16.nearest(f)), "reference for " + f);
    }

    private static void assertBFloat16(int expected, float f) {
        assertEquals(hex(expected), hex(HalfFloat.toBFloat16(f) & 0xffff), "toBFloat16(" + f + ")");
        assertEquals(hex(expected), hex(BFLOAT16.nearest(f)), "reference for " + f);
    }

    private static boolean isFloat16NaN(int bits) {
        return (bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0;
    }

    private static String hex(int bits) {
        return String.format("0x%04x", bits);
    }

    /** The first few mismatches, so that a broken conversion fails with a readable message. */
    private static List<String> first(List<String> wrong) {
        return wrong.subList(0, Math.min(10, wrong.size()));
    }
}
