package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code benchmark}: four variants of a trained model timed against each other, figures consistent, JSON written. */
class BenchmarkCommandTest {
    @TempDir
    Path dir;

    @Test
    void timesTheVariantsAndReportsTheirCost() throws IOException {
        Path report = dir.resolve("b.json");
        CliTest.Run r = CliTest.run("benchmark", Path.of("..", "testdata", "quant", "plain_cnn.onnx").toString(), "--runs", "10",
                "--calib", Path.of("..", "testdata", "quant", "calib.npz").toString(), "--report", report.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        for (String variant : new String[] {"original", "optimized", "fp16", "int8 (ort-cpu)"}) {
            assertTrue(r.out().contains("\n  " + variant + " "), variant + " in " + r.out());
        }
        JsonNode variants = new ObjectMapper().readTree(report.toFile()).path("models").get(0).path("variants");
        assertEquals(4, variants.size());
        for (JsonNode v : variants) {
            double p50 = v.path("p50_ms").asDouble();
            assertTrue(p50 > 0 && p50 <= v.path("p90_ms").asDouble() && v.path("p90_ms").asDouble() <= v.path("p99_ms").asDouble(),
                    v.toString());
        }
        assertTrue(variants.get(2).path("snr_db").asDouble() > 40, "fp16: " + variants.get(2));
        assertTrue(variants.get(3).path("snr_db").asDouble() > 25, "int8 on its calibration data: " + variants.get(3));

        CliTest.Run few = CliTest.run("benchmark", Path.of("..", "testdata", "quant", "plain_cnn.onnx").toString(), "--runs", "2");
        assertEquals(2, few.code());
        assertTrue(few.err().contains("--runs 2: give at least 5"), few.err());
    }
}
