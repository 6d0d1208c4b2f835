package org.onnx2trt.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorRT's legacy calibration cache: byte-exact against a cache written by hand from TensorRT's
 * format (header version as its headers form it, the float32 scale's bits in hex), and a round trip
 * through the importer that gives back the same bytes and the same scales.
 */
class CalibrationCacheTest {
    @TempDir
    Path dir;

    /**
     * By hand: amax 12.7 -> scale 0.1f = 0x3dcccccd; amax 1.27 -> 0.01f = 0x3c23d70a; amax 127 -> 1.0f = 0x3f800000;
     * TensorRT 8.6.1 -> 8*1000 + 6*100 + 1 = 8601. A tensor that was always 0 (amax 0) has no scale and no line.
     */
    @Test
    void writesTheBytesTensorRtWrites() {
        Map<String, CalibrationTable.Range> ranges = new LinkedHashMap<>();
        ranges.put("input", range(CalibrationTable.amaxOfScale(0.1f)));
        ranges.put("/conv1/Relu_output_0", range(CalibrationTable.amaxOfScale(0.01f)));
        ranges.put("dead", range(0));
        ranges.put("logits", range(127));
        CalibrationTable table = new CalibrationTable("sha", "entropy", 8, "test", ranges);
        assertEquals("TRT-8601-EntropyCalibration2\n"
                + "input: 3dcccccd\n"
                + "/conv1/Relu_output_0: 3c23d70a\n"
                + "logits: 3f800000\n", CalibrationCache.write(table, "8.6.1"));
    }

    @Test
    void versionNumbersAreFormedAsTensorRtFormsThem() {
        assertEquals(7203, CalibrationCache.versionNumber("7.2.3"));
        assertEquals(8601, CalibrationCache.versionNumber("8.6.1"));
        assertEquals(8502, CalibrationCache.versionNumber("8.5.2"));
        assertEquals(100300, CalibrationCache.versionNumber("10.3.0"));
        assertEquals(101400, CalibrationCache.versionNumber("10.14"));
        CalibrationCache.CacheException e = assertThrows(CalibrationCache.CacheException.class,
                () -> CalibrationCache.versionNumber("11.2"));
        assertTrue(e.getMessage().contains("strongly typed"), e.getMessage());
        assertThrows(CalibrationCache.CacheException.class, () -> CalibrationCache.versionNumber("ten"));
    }

    @Test
    void aCacheReadBackWritesTheSameBytesAndScales() throws IOException {
        Random random = new Random(3);
        Map<String, CalibrationTable.Range> ranges = new LinkedHashMap<>();
        for (int i = 0; i < 2000; i++) { // amax over 12 orders of magnitude, as activations spread
            ranges.put("t" + i, range((float) Math.pow(10, random.nextDouble() * 12 - 6)));
        }
        CalibrationTable table = new CalibrationTable("sha", "entropy", 8, "test", ranges);
        String text = CalibrationCache.write(table, "10.3.0");
        Path file = dir.resolve("model.cache");
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        CalibrationCache.Read read = CalibrationCache.read(file);
        assertEquals(100300, read.versionNumber());
        assertEquals("EntropyCalibration2", read.calibrator());
        assertEquals(text, CalibrationCache.write(read.table(), "10.3.0"));
        for (String name : ranges.keySet()) {
            assertEquals(table.range(name).orElseThrow().scale(), read.table().range(name).orElseThrow().scale(), name);
        }
    }

    @Test
    void aBadCacheIsOneErrorWithItsLine() throws IOException {
        Path file = dir.resolve("bad.cache");
        Files.writeString(file, "TRT-8601-EntropyCalibration2\ninput: 3dcccccd\nconv out 3d00\n");
        CalibrationCache.CacheException e = assertThrows(CalibrationCache.CacheException.class, () -> CalibrationCache.read(file));
        assertEquals(file + ":3:1: expected `tensor: hex` (a name and the 8 hex digits of a float32 scale), got `conv out 3d00`",
                e.getMessage());
        Files.writeString(file, "{\"format\": \"onnx2trt-calibration/1\"}\n");
        e = assertThrows(CalibrationCache.CacheException.class, () -> CalibrationCache.read(file));
        assertTrue(e.getMessage().startsWith(file + ":1:1: not a TensorRT calibration cache header"), e.getMessage());
        Files.writeString(file, "TRT-8601-EntropyCalibration2\ninput: bf800000\n");
        e = assertThrows(CalibrationCache.CacheException.class, () -> CalibrationCache.read(file));
        assertTrue(e.getMessage().contains("the scale of `input` is -1.0"), e.getMessage());
    }

    private static CalibrationTable.Range range(float amax) {
        return new CalibrationTable.Range(amax, -amax, amax, 0, 1, 0, "test");
    }
}
