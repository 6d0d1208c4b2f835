package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.inspect.ModelSummary;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.OutputComparison;
import org.onnx2trt.verify.Tolerance;

/**
 * Quantization-aware-trained models as pytorch-quantization and Model Optimizer export them
 * ({@code testdata/qat}, made by its generate.py): the default {@code optimize} keeps every quantizer
 * and folds BatchNormalization into the quantized weights; {@code run qat-tensorrt} gives a model that
 * computes what the export does (onnxruntime, on samples of its own), with int8 weights, no BN, one
 * pair per reader and a clean TensorRT lint.
 */
class QatCommandTest {
    @TempDir
    Path dir;

    static Stream<String> models() {
        return Stream.of("qat_resnet_tiny.onnx", "qat_branchy.onnx", "qat_se_gate.onnx");
    }

    private static Path model(String name) {
        return Path.of("..", "testdata", "qat", name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void optimizeKeepsEveryQuantizerAndFoldsBatchNormIntoTheQuantizedWeights(String name) throws IOException {
        Path out = dir.resolve("opt.onnx");
        CliTest.Run r = CliTest.run("optimize", model(name).toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Map<String, Integer> before = ModelSummary.of(ModelReader.read(model(name))).opHistogram();
        Model m = ModelReader.read(out);
        Map<String, Integer> after = ModelSummary.of(m).opHistogram();
        assertEquals(before.get("QuantizeLinear"), after.get("QuantizeLinear"), "no quantizer is folded away: " + after);
        assertEquals(before.get("DequantizeLinear"), after.get("DequantizeLinear"), after.toString());
        assertEquals(null, after.get("BatchNormalization"), "BN folded into the quantized conv weights: " + after);
        for (Node conv : m.graph().nodeList()) {
            if (conv.opType().equals("Conv")) {
                assertEquals("DequantizeLinear", conv.input(1).producer().opType(), conv.name() + "'s weight stays quantized");
            }
        }
        assertSameFunction(ModelReader.read(model(name)), m);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void theQatRecipeGivesAnInt8ModelThatComputesWhatTheExportDoes(String name) throws IOException {
        Path out = dir.resolve("trt.onnx");
        CliTest.Run r = CliTest.run("run", "qat-tensorrt", "--model", model(name).toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("lint: the model for TensorRT 11.2") && r.out().contains(": 0 errors"), r.out());
        Model exported = ModelReader.read(model(name));
        Model m = ModelReader.read(out);
        Map<String, Integer> before = ModelSummary.of(exported).opHistogram();
        Map<String, Integer> after = ModelSummary.of(m).opHistogram();
        System.out.printf("[qat] %s: nodes %d -> %d, QuantizeLinear %d -> %d, DequantizeLinear %d -> %d, BN %d -> %d%n", name,
                exported.graph().nodeCount(), m.graph().nodeCount(), before.get("QuantizeLinear"), after.get("QuantizeLinear"),
                before.get("DequantizeLinear"), after.get("DequantizeLinear"), before.getOrDefault("BatchNormalization", 0),
                after.getOrDefault("BatchNormalization", 0));
        assertEquals(null, after.get("BatchNormalization"), after.toString());
        for (Node n : m.graph().nodeList()) {
            if (n.opType().equals("QuantizeLinear")) {
                assertTrue(!n.input(0).isConstant(), "every weight's quantize is folded into int8: " + n.name());
            }
            if (n.opType().equals("DequantizeLinear")) {
                assertEquals(1, n.output(0).uses().size(), n.name() + " has one reader (a pair per consumer)");
                assertTrue(!n.output(0).uses().get(0).user().opType().equals("Flatten"), "no dequantize before a Flatten");
            }
            if (n.opType().equals("Conv")) {
                Value w = n.input(1).producer().input(0);
                assertTrue(w.isConstant() && w.initializer().dataType() == DataType.INT8, n.name() + " reads int8 weights");
                assertEquals("DequantizeLinear", n.input(0).producer().opType(), n.name() + " reads a quantized input");
            }
        }
        assertSameFunction(exported, m);
    }

    /**
     * qat-tensorrt-fast: the Concat of qat_branchy gets one input scale (the larger of its two), measured
     * against the exact part and kept; its output stays within the stage's bound of the export.
     */
    @org.junit.jupiter.api.Test
    void theFastRecipeGivesTheConcatInputsOneScaleWithinItsBound() throws IOException {
        Path out = dir.resolve("fast.onnx");
        CliTest.Run r = CliTest.run("run", "qat-tensorrt-fast", "--model", model("qat_branchy.onnx").toString(),
                "--calib", Path.of("..", "testdata", "quant", "calib.npz").toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("concat_scales: 1 change, kept"), r.out());
        Model m = ModelReader.read(out);
        Node concat = m.graph().nodeList().stream().filter(n -> n.opType().equals("Concat")).findFirst().orElseThrow();
        java.util.Set<Float> scales = new java.util.HashSet<>();
        for (Value in : concat.inputs()) {
            Node dq = in.producer();
            assertEquals("DequantizeLinear", dq.opType());
            scales.add(dq.input(1).initializer().view().getFloat(0));
            assertEquals(dq.input(1), dq.input(0).producer().input(1), "the quantize and dequantize share the new scale");
        }
        assertEquals(1, scales.size(), "one scale for the Concat's inputs: " + scales);
        // on the data the stage measured on (the bound is a promise about those, not about any input)
        java.util.List<Map<String, org.onnx2trt.tensor.Tensor>> samples = new java.util.ArrayList<>();
        try (org.onnx2trt.quant.data.DataSet data = org.onnx2trt.quant.data.DataSets.open(
                Path.of("..", "testdata", "quant", "calib.npz"), m, null, Map.of())) {
            data.forEach(sample -> samples.add(sample.inputs()));
        }
        Equivalence.Report report = Equivalence.check(ModelReader.read(model("qat_branchy.onnx")), m, samples.subList(0, 32),
                Map.of(), new Tolerance(1e-4, 1e-4));
        for (OutputComparison o : report.outputs()) {
            System.out.printf("[qat] fast branchy: %s SNR %s dB against the export%n", o.name(), OutputComparison.snrText(o.snrDb()));
            assertTrue(o.snrDb() >= 30, "within the recipe's 30 dB: " + o.snrDb());
        }
    }

    /**
     * The float_ops part on qat_se_gate: judged on the labelled held-out set, the pair in front of the
     * Sigmoid gate goes; a bound no change can meet undoes every change and leaves the exact result.
     */
    @org.junit.jupiter.api.Test
    void theFloatOpPairsGoWhereTheHeldOutAccuracyHoldsAndStayWhereABoundIsBroken() throws IOException {
        Path data = Path.of("..", "testdata", "quant");
        Path out = dir.resolve("fast.onnx");
        CliTest.Run r = CliTest.run("run", "qat-tensorrt-fast", "--model", model("qat_se_gate.onnx").toString(),
                "--calib", data.resolve("calib.npz").toString(), "--eval", data.resolve("eval.npz").toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("float_ops: 1 change, kept") && r.out().contains("pair before /Sigmoid"), r.out());
        Node sigmoid = ModelReader.read(out).graph().nodeList().stream().filter(n -> n.opType().equals("Sigmoid")).findFirst()
                .orElseThrow();
        assertTrue(sigmoid.input(0).producer() == null || !sigmoid.input(0).producer().opType().equals("DequantizeLinear"),
                "the Sigmoid reads the float value");

        Path strict = dir.resolve("strict.yaml");
        java.nio.file.Files.writeString(strict, """
                stages:
                  - simplify: {}
                  - import_qdq: {}
                  - rules: { mode: fixpoint, enable: [qat, fold_weights] }
                  - align_qdq: { min_snr_db: 200 }
                """);
        Path exact = dir.resolve("exact.onnx");
        r = CliTest.run("run", strict.toString(), "--model", model("qat_se_gate.onnx").toString(),
                "--eval", data.resolve("eval.npz").toString(), "-o", exact.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("float_ops: 1 change, undone (output `log_probs` keeps"), r.out());
        assertSameFunction(ModelReader.read(model("qat_se_gate.onnx")), ModelReader.read(exact));
    }

    /** The two models in onnxruntime on 8 random samples: equal within float32 rounding (the flow rules are exact). */
    private static void assertSameFunction(Model exported, Model rewritten) {
        Equivalence.Report report = Equivalence.check(exported, rewritten, Samples.random(exported, 11, 8, InputShapes.DEFAULT),
                Map.of(), new Tolerance(1e-4, 1e-4));
        for (OutputComparison o : report.outputs()) {
            System.out.printf("[qat]   %s max abs %.3g, SNR %s dB%n", o.name(), o.maxAbs(), OutputComparison.snrText(o.snrDb()));
        }
        assertTrue(report.passed(), report.firstFailure() == null ? "" : report.firstFailure().describe());
    }
}
