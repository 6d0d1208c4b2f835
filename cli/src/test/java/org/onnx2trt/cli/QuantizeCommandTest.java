package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;

class QuantizeCommandTest {
    @TempDir
    Path dir;

    private Path model() {
        return CliTest.sampleClassifier(dir);
    }

    private Path npz(int samples) throws IOException {
        return CliTest.classifierSamples(dir, samples, 2);
    }

    @Test
    void quantizeWritesAQdqModelAndReportsWhatItCost() throws IOException {
        Path out = dir.resolve("int8.onnx");
        Path report = dir.resolve("r.json");
        CliTest.Run r = CliTest.run("quantize", model().toString(), "-o", out.toString(), "--calib", npz(8).toString(),
                "--report", report.toString(), "--sensitivity");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("sensitivity: each layer group alone costs (most sensitive first):\n  BatchNormalization_4"), r.out());
        assertTrue(r.out().contains("calibrate: "), r.out());
        assertTrue(r.out().contains("QDQ pairs placed for tensorrt"), r.out());
        assertTrue(r.out().contains("evaluate: float vs quantized on 8 samples"), r.out());
        Model q = ModelReader.read(out);
        long quantizers = q.graph().nodeList().stream().filter(n -> n.opType().equals("QuantizeLinear")).count();
        assertTrue(quantizers > 0, "quantizers " + quantizers);
        for (Node n : q.graph().nodeList()) {
            if (n.opType().equals("Conv")) {
                assertEquals("DequantizeLinear", n.input(0).producer().opType(), n.name());
                assertEquals("DequantizeLinear", n.input(1).producer().opType(), n.name());
            }
        }
        assertEquals(SampleModels.classifier().graph().outputs().get(0).name(), q.graph().outputs().get(0).name());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        JsonNode evaluate = stage(json, "evaluate");
        assertEquals("evaluate", evaluate.path("stage").asText());
        assertTrue(evaluate.path("outputs").get(0).path("snr_db").asDouble() > 10, evaluate.toString());
        // two Convs and the pool; the Gemm head (8 → 3) is too small for int8 to pay in TensorRT
        assertEquals(3, evaluate.path("fallback").path("sensitivity").size(), evaluate.toString());
        assertEquals(0, evaluate.path("fallback").path("left_in_float").size(), evaluate.toString());
        assertTrue(r.out().contains("left in float 1× : K or N below 16"), r.out());
        assertFalse(r.out().contains("needs Reshape"), "declines at the placed pairs are not float ops: " + r.out());
    }

    @Test
    void anAccuracyBoundNotMetIsExitOneAndNothingWritten() throws IOException {
        Path out = dir.resolve("int8.onnx");
        CliTest.Run r = CliTest.run("quantize", model().toString(), "-o", out.toString(), "--calib", npz(4).toString(),
                "--min-snr", "200", "--no-fallback");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("SNR after quantization, below the 200.0 dB the recipe asks"), r.err());
        assertFalse(r.out().contains("fallback:"), r.out());
        assertFalse(Files.exists(out));
        r = CliTest.run("quantize", model().toString(), "-o", out.toString(), "--calib", npz(4).toString(), "--min-snr", "200");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("fallback: 2 of 3 layer groups left in float, and the bounds are still not met"), r.out());
        assertTrue(r.err().contains("giving back to float every layer group but the least sensitive did not meet the bounds"),
                r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void withABoundTheMostSensitiveLayersGoBackToFloatUntilItHolds() throws IOException {
        Path out = dir.resolve("int8.onnx");
        Path report = dir.resolve("r.json");
        // the sample classifier keeps about 65 dB quantized; its second conv costs the most alone (67 dB)
        CliTest.Run r = CliTest.run("quantize", model().toString(), "-o", out.toString(), "--calib", npz(8).toString(),
                "--min-snr", "66", "--report", report.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("left in float to meet the bounds: [BatchNormalization_4 (Conv)"), r.out());
        Model q = ModelReader.read(out);
        Node conv = q.graph().nodeList().stream().filter(n -> n.name().equals("BatchNormalization_4")).findFirst().orElseThrow();
        assertFalse(conv.input(0).producer() != null && conv.input(0).producer().opType().equals("DequantizeLinear"));
        assertTrue(q.graph().nodeList().stream().anyMatch(n -> n.opType().equals("QuantizeLinear")));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        JsonNode evaluate = stage(json, "evaluate");
        assertEquals("BatchNormalization_4", evaluate.path("fallback").path("left_in_float").get(0).asText());
        assertEquals(3, evaluate.path("fallback").path("sensitivity").size());
    }

    @Test
    void targetOrtCpuReportsTheInt8KernelsOnnxruntimeRuns() throws IOException {
        Path model = Path.of("..", "testdata", "quant", "plain_cnn.onnx");
        Path out = dir.resolve("int8-cpu.onnx");
        Path report = dir.resolve("q.json");
        CliTest.Run r = CliTest.run("quantize", model.toString(), "-o", out.toString(), "--calib",
                Path.of("..", "testdata", "quant", "calib.npz").toString(), "--target", "ort-cpu", "--report", report.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("QDQ pairs placed for ort-cpu"), r.out());
        assertTrue(r.out().contains("onnxruntime (CPU) runs 3 QLinearConv, 1 QGemm in int8"), r.out());
        assertFalse(r.out().contains("left in float"), "every layer is int8: " + r.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        JsonNode quantize = stage(json, "quantize");
        assertEquals(3, quantize.path("onnxruntime_cpu_ops").path("QLinearConv").asInt(), quantize.toString());
        CliTest.Run explained = CliTest.run("quantize", model.toString(), "-o", out.toString(), "--calib",
                Path.of("..", "testdata", "quant", "calib.npz").toString(), "--explain", "/fc/Gemm");
        assertEquals(0, explained.code(), explained.err());
        assertTrue(explained.out().contains("at `/fc/Gemm`:\n"), explained.out());
        assertTrue(explained.out().contains("QuantizeGemmForTensorRT did not fire: K or N below 16"), explained.out());
        CliTest.Run wrong = CliTest.run("quantize", model.toString(), "-o", out.toString(), "--calib",
                Path.of("..", "testdata", "quant", "calib.npz").toString(), "--target", "ort_cpu");
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("--target ort_cpu: give tensorrt or ort-cpu (did you mean `ort-cpu`?)"), wrong.err());
    }

    /**
     * The wide-range net (plain_cnn with its conv channels rescaled 1/64 to 64, the same function) loses
     * more than 50 points of top-1 in int8 (TrainedModelsTest pins that); equalized first it keeps within
     * half a point of float on the held-out set.
     */
    @Test
    void equalizationBringsTheWideRangeNetBack() throws IOException {
        Path model = Path.of("..", "testdata", "quant", "wide_ranges_cnn.onnx");
        Path report = dir.resolve("cle.json");
        CliTest.Run r = CliTest.run("quantize", model.toString(), "-o", dir.resolve("cle.onnx").toString(), "--calib",
                Path.of("..", "testdata", "quant", "calib.npz").toString(), "--eval",
                Path.of("..", "testdata", "quant", "eval.npz").toString(), "--equalize", "--max-drop", "0.5", "--no-fallback",
                "--report", report.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("EqualizeConvReluConv") && r.out().contains("EqualizeConvReluMaxPoolConv"), r.out());
        JsonNode evaluate = stage(new ObjectMapper().readTree(report.toFile()), "evaluate");
        double drop = evaluate.path("outputs").get(0).path("top1_drop_points").asDouble();
        assertTrue(drop <= 0.5, "top-1 drop " + drop + ": " + evaluate);
        System.out.println("[cle] wide_ranges_cnn equalized, int8: " + evaluate.path("outputs").get(0));
    }

    /**
     * Bias correction on the PTQ nets, judged on the 500 held-out images: the output's SNR against float
     * rises and top-1 accuracy is not lower than without it (plain 66.2 -> 66.2, separable 79.2 -> 79.8,
     * the wide-range net 13.2 -> 30.4 when measured).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain_cnn.onnx", "separable_cnn.onnx", "wide_ranges_cnn.onnx"})
    void biasCorrectionRaisesTheSnrAndKeepsTopOne(String name) throws IOException {
        JsonNode without = evaluated(name, "plain");
        JsonNode with = evaluated(name, "corrected", "--bias-correct");
        System.out.printf(java.util.Locale.ROOT, "[bias] %s: SNR %.1f -> %.1f dB, top-1 %.1f%% -> %.1f%% (float %.1f%%)%n", name,
                without.path("snr_db").asDouble(), with.path("snr_db").asDouble(), 100 * without.path("int8_top1").asDouble(),
                100 * with.path("int8_top1").asDouble(), 100 * with.path("float_top1").asDouble());
        assertTrue(with.path("snr_db").asDouble() > without.path("snr_db").asDouble(), with + " vs " + without);
        assertTrue(with.path("int8_top1").asDouble() >= without.path("int8_top1").asDouble(), with + " vs " + without);
    }

    /** The evaluate stage's figures for the one output of a PTQ net quantized with {@code flags}. */
    private JsonNode evaluated(String name, String tag, String... flags) throws IOException {
        Path report = dir.resolve(tag + ".json");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("quantize",
                Path.of("..", "testdata", "quant", name).toString(), "-o", dir.resolve(tag + ".onnx").toString(), "--calib",
                Path.of("..", "testdata", "quant", "calib.npz").toString(), "--eval",
                Path.of("..", "testdata", "quant", "eval.npz").toString(), "--report", report.toString()));
        args.addAll(java.util.List.of(flags));
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        // exit 1: below the recipe's 10 dB bound (the wide-range net without equalization); the report has the figures
        assertTrue(r.code() == 0 || r.code() == 1 && r.err().contains("below the 10.0 dB"), r.out() + r.err());
        return stage(new ObjectMapper().readTree(report.toFile()), "evaluate").path("outputs").get(0);
    }

    @Test
    void evaluateGivesAccuracyWithLabelsAndComparesWithAReference() throws IOException {
        Path data = Path.of("..", "testdata", "quant", "eval.npz"); // 500 labelled images, held out
        Path model = Path.of("..", "testdata", "quant", "plain_cnn.onnx");
        CliTest.Run alone = CliTest.run("evaluate", model.toString(), "--data", data.toString());
        assertEquals(0, alone.code(), alone.err());
        assertTrue(alone.out().contains("logits: top-1 65.40%, top-5 92.00% on 500 samples"), alone.out());
        Path out = dir.resolve("int8.onnx");
        CliTest.Run quantized = CliTest.run("quantize", model.toString(), "-o", out.toString(), "--calib",
                Path.of("..", "testdata", "quant", "calib.npz").toString(), "--eval", data.toString(), "--max-drop", "0.5");
        assertEquals(0, quantized.code(), quantized.err());
        assertTrue(quantized.out().contains("evaluate: float vs quantized on 500 samples"), quantized.out()); // held out
        assertTrue(quantized.out().contains("accuracy 65.40% float"), quantized.out());
        Path report = dir.resolve("e.json");
        CliTest.Run both = CliTest.run("evaluate", out.toString(), "--data", data.toString(), "--reference", model.toString(),
                "--report", report.toString());
        assertEquals(0, both.code(), both.err());
        assertTrue(both.out().contains("accuracy 65.40% float"), both.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertTrue(json.path("outputs").get(0).path("top1_drop_points").asDouble() <= 0.5, json.toString());
        CliTest.Run unlabelled = CliTest.run("evaluate", model.toString(), "--data",
                Path.of("..", "testdata", "quant", "calib.npz").toString());
        assertEquals(2, unlabelled.code());
        assertTrue(unlabelled.err().contains("has no labels"), unlabelled.err());
    }

    @Test
    void imageClassFoldersCalibrateAndLabelTheEvaluation() throws IOException {
        Path images = dir.resolve("images");
        for (String cls : new String[] {"a", "b"}) {
            Files.createDirectories(images.resolve(cls));
            for (int i = 0; i < 3; i++) {
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(36, 40,
                        java.awt.image.BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 40; y++) {
                    for (int x = 0; x < 36; x++) {
                        img.setRGB(x, y, ((x * 7 + i * 30) % 256) << 16 | ((y * 5 + cls.charAt(0)) % 256) << 8 | (x * y) % 256);
                    }
                }
                javax.imageio.ImageIO.write(img, "png", images.resolve(cls).resolve(i + ".png").toFile());
            }
        }
        Path out = dir.resolve("int8.onnx");
        CliTest.Run r = CliTest.run("quantize", model().toString(), "-o", out.toString(), "--calib", images.toString(),
                "--preprocess", "imagenet");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("(6 PNG/JPEG in 2 class folders; resize 37, RGB, NCHW"), r.out());
        assertTrue(r.out().contains("evaluate: float vs quantized on 6 samples"), r.out());
        assertTrue(r.out().contains("% agree; accuracy "), r.out()); // class folders are labels
    }

    @Test
    void badInputIsExitTwo() throws IOException {
        Path out = dir.resolve("int8.onnx");
        CliTest.Run r = CliTest.run("quantize", model().toString(), "-o", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: quantize needs calibration data: give --calib DATA"), r.err());
        Path old = dir.resolve("old.onnx");
        ModelWriter.write(SampleModels.classifier(), old, WriteOptions.inline());
        Model m = ModelReader.read(old);
        ModelWriter.write(Model.create(m.graph(), 7, 10, "test"), old, WriteOptions.inline());
        r = CliTest.run("quantize", old.toString(), "-o", out.toString(), "--calib", npz(2).toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("per-channel QDQ (TensorRT's int8 weights) needs opset 13: the model is opset 10; only"
                + " opsets 11 and 12 are upgraded to 13 here"), r.err());
        ModelWriter.write(Model.create(ModelReader.read(model()).graph(), 7, 11, "test"), old, WriteOptions.inline());
        Path upgraded = dir.resolve("upgraded.int8.onnx");
        r = CliTest.run("quantize", old.toString(), "-o", upgraded.toString(), "--calib", npz(2).toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("opset 11 -> 13 for per-channel QDQ"), r.out());
        assertEquals(13, ModelReader.read(upgraded).opsetVersion(""));
        r = CliTest.run("quantize", model().toString(), "-o", out.toString(), "--calib", npz(2).toString(), "--method", "kl");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: --method kl: give minmax, percentile, entropy or mse"), r.err());
        assertFalse(Files.exists(out));
    }

    /** The report's stage of that name. */
    private static JsonNode stage(JsonNode report, String name) {
        for (JsonNode s : report.path("stages")) {
            if (s.path("stage").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no `" + name + "` stage in " + report);
    }
}
