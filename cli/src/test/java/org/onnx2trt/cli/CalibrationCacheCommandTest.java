package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;

/**
 * {@code --calibration-cache} and {@code --use-calibration-cache}: the cache holds the scales of the
 * QDQ model written with it, a model quantized from that cache is the same model, and the cache names
 * only the files it may write.
 */
class CalibrationCacheCommandTest {
    @TempDir
    Path dir;

    private static final Path MODEL = Path.of("..", "testdata", "quant", "plain_cnn.onnx");
    private static final Path CALIB = Path.of("..", "testdata", "quant", "calib.npz");

    @Test
    void theCacheHoldsTheQdqModelsScalesAndQuantizingFromItGivesTheSameModel() throws IOException {
        Path out = dir.resolve("int8.onnx");
        Path cache = dir.resolve("int8.cache");
        CliTest.Run r = CliTest.run("quantize", MODEL.toString(), "-o", out.toString(), "--calib", CALIB.toString(),
                "--calibration-cache", cache.toString(), "--cache-trt-version", "8.6.1");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("wrote " + cache + " (TRT-8601-EntropyCalibration2"), r.out());
        Map<String, String> cached = new HashMap<>();
        Files.readAllLines(cache).stream().skip(1).forEach(l -> cached.put(l.substring(0, l.lastIndexOf(": ")),
                l.substring(l.lastIndexOf(": ") + 2)));
        Model q = ModelReader.read(out);
        int checked = 0;
        for (Node n : q.graph().nodeList()) {
            if (n.opType().equals("QuantizeLinear") && !n.input(0).isConstant()) {
                float scale = n.input(1).initializer().view().getFloat(0);
                assertEquals(String.format("%08x", Float.floatToRawIntBits(scale)), cached.get(n.input(0).name()),
                        "the cache's scale of " + n.input(0).name() + " is the QDQ model's");
                checked++;
            }
        }
        assertTrue(checked >= 4, "activation quantizers checked: " + checked);

        Path again = dir.resolve("again.onnx");
        Path cache2 = dir.resolve("again.cache");
        r = CliTest.run("quantize", MODEL.toString(), "-o", again.toString(), "--use-calibration-cache", cache.toString(),
                "--calibration-cache", cache2.toString(), "--cache-trt-version", "8.6.1");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("evaluate: left out: no data"), r.out());
        assertArrayEquals(Files.readAllBytes(cache), Files.readAllBytes(cache2), "the cache round-trips byte for byte");
        assertEquals(ModelReader.read(out).toProto().getGraph(), ModelReader.read(again).toProto().getGraph(),
                "quantizing from the cache gives the same QDQ model");
    }

    @Test
    void aCacheThatWouldOverwriteAnInputOrIsForTensorRt11IsRefusedBeforeAnyWork() throws IOException {
        Path copy = dir.resolve("m.onnx");
        Files.copy(MODEL, copy);
        byte[] before = Files.readAllBytes(copy);
        CliTest.Run r = CliTest.run("quantize", copy.toString(), "-o", dir.resolve("o.onnx").toString(), "--calib",
                CALIB.toString(), "--calibration-cache", copy.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--calibration-cache would overwrite"), r.err());
        assertArrayEquals(before, Files.readAllBytes(copy));
        r = CliTest.run("quantize", copy.toString(), "-o", dir.resolve("o.onnx").toString(), "--calib", CALIB.toString(),
                "--calibration-cache", dir.resolve("c.cache").toString(), "--cache-trt-version", "11.2");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("strongly typed"), r.err());
        assertFalse(Files.exists(dir.resolve("o.onnx")) || Files.exists(dir.resolve("c.cache")), "nothing written");
        Files.writeString(dir.resolve("bad.cache"), "not a cache\n");
        r = CliTest.run("quantize", copy.toString(), "-o", dir.resolve("o.onnx").toString(), "--use-calibration-cache",
                dir.resolve("bad.cache").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("bad.cache:1:1: not a TensorRT calibration cache header"), r.err());
    }
}
