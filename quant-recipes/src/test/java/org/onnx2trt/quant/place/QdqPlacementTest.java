package org.onnx2trt.quant.place;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.quant.calib.Calibration;
import org.onnx2trt.quant.calib.CalibrationMethod;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.quant.data.NumpyDataSet;
import org.onnx2trt.quant.data.Progress;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.testkit.RandomSamples;
import org.onnx2trt.transform.Simplify;
import org.onnx2trt.verify.ModelRunner;
import org.onnx2trt.verify.OnnxRuntime;
import org.onnx2trt.verify.OutputComparison;
import org.onnx2trt.verify.Tolerance;

class QdqPlacementTest {
    @TempDir
    Path dir;

    /**
     * x [N, 3, 8, 8] -> Conv 3→16 -> Relu = r -> Conv 16→16 -> Add(·, r) -> MaxPool -> GlobalAveragePool
     * -> Flatten -> Gemm 16→16, and a second Conv reading r (r has two quantized readers). Channel
     * counts of 16 and more: TensorRT's fast int8 kernels (fewer are declined, see the golden cases).
     */
    private static Model model() {
        GraphBuilder b = new GraphBuilder("cnn", 7);
        Value x = b.input("x", DataType.FLOAT, "N", 3, 8, 8);
        Value c1 = b.op("Conv", x, b.randomWeights("w1", 16, 3, 3, 3), b.randomWeights("b1", 16))
                .attr("pads", 1, 1, 1, 1).name("conv1").out();
        Value r = b.op("Relu", c1).out();
        Value c2 = b.op("Conv", r, b.randomWeights("w2", 16, 16, 3, 3)).attr("pads", 1, 1, 1, 1).name("conv2").out();
        Value c3 = b.op("Conv", r, b.randomWeights("w3", 16, 16, 1, 1)).name("conv3").out();
        Value sum = b.op("Add", c2, r).name("residual").out();
        Value both = b.op("Add", sum, c3).out();
        Value pooled = b.op("MaxPool", both).attr("kernel_shape", 2, 2).attr("strides", 2, 2).out();
        Value g = b.op("GlobalAveragePool", pooled).out();
        Value flat = b.op("Flatten", g).out();
        Value y = b.op("Gemm", flat, b.randomWeights("wg", 16, 16), b.randomWeights("bg", 16)).attr("transB", 1L)
                .name("head").out();
        b.output(y, DataType.FLOAT, "N", 16);
        return b.build(13);
    }

    private NumpyDataSet data(int samples) throws IOException {
        return NumpyDataSet.open(RandomSamples.npz(dir.resolve("calib.npz"), "x", new long[] {samples, 3, 8, 8}, 5), model());
    }

    private static long count(Model m, String op) {
        return m.graph().nodeList().stream().filter(n -> n.opType().equals(op)).count();
    }

    @Test
    void placesAPairPerQuantizedInputAndWeightsPerChannel() throws IOException {
        Model m = model();
        CalibrationTable table = Calibration.run(m, data(16), Calibration.Settings.of(CalibrationMethod.MINMAX),
                OnnxRuntime.EXECUTOR, Progress.NONE);
        Model q = model();
        QdqPlacement.Result result = QdqPlacement.place(q, table, QdqPlacement.Target.TENSORRT, Map.of());
        // 3 Conv (input + weight), Gemm (input + weight), 2 Add (both inputs; the second has conv3 as
        // an input), MaxPool, GlobalAveragePool, and the Gemm's input quantize carried back across the
        // Flatten (the pool's output is int8 in TensorRT)
        assertEquals(3 + 1 + 2 + 2 + 1, result.applied(), result.trace().events().toString());
        assertEquals(2 * 3 + 2 + 2 * 2 + 1 + 1 + 1, count(q, "QuantizeLinear"));
        Node flatten = q.graph().nodeList().stream().filter(n -> n.opType().equals("Flatten")).findFirst().orElseThrow();
        assertEquals("DequantizeLinear", flatten.input(0).producer().opType(), "a QDQ before the Flatten too");
        assertEquals(count(q, "QuantizeLinear"), count(q, "DequantizeLinear"));
        for (Node n : q.graph().nodeList()) {
            if (n.opType().equals("Conv") || n.opType().equals("Gemm")) {
                assertEquals("DequantizeLinear", n.input(0).producer().opType(), n.name() + " input");
                Node wdq = n.input(1).producer();
                assertEquals("DequantizeLinear", wdq.opType(), n.name() + " weight");
                long axis = wdq.attribute("axis").asInt();
                assertEquals(0, axis, n.name() + ": per output channel (Conv axis 0, Gemm with transB axis 0)");
                assertEquals(16, wdq.input(1).initializer().elementCount());
                assertEquals(DataType.INT8, wdq.input(2).initializer().dataType());
                if (n.inputCount() > 2 && n.input(2) != null) {
                    assertTrue(n.input(2).isInitializer(), "the bias stays a float initializer");
                }
            }
        }
        // r feeds conv2, conv3 and the residual Add: three pairs of its own, the same scale
        Value r = q.graph().nodeList().stream().filter(n -> n.opType().equals("Relu")).findFirst().orElseThrow().output(0);
        List<Node> quantizers = r.uses().stream().map(u -> u.user()).toList();
        assertEquals(3, quantizers.size());
        assertTrue(quantizers.stream().allMatch(n -> n.opType().equals("QuantizeLinear")));
        float scale = table.range(r.name()).orElseThrow().amax() / 127;
        for (Node qn : quantizers) {
            assertEquals(scale, qn.input(1).initializer().view().getDouble(0), 1e-7);
        }

        // the result runs, keeps its interface, and is close to the float model
        OutputComparison c = compare(m, q);
        assertTrue(c.snrDb() > 25, "int8 QDQ vs float: " + c.describe());

        // simplify keeps every pair: no Q folded into a constant, no pairs merged
        long before = count(q, "QuantizeLinear");
        new Simplify(new Simplify.Options(false, Simplify.DEFAULT_MAX_FOLDED_SIZE, Map.of()), OnnxRuntime.EXECUTOR).run(q);
        assertEquals(before, count(q, "QuantizeLinear"));
        assertEquals(before, count(q, "DequantizeLinear"));

        // placing again changes nothing: each input is dequantized already
        assertEquals(0, QdqPlacement.place(q, table, QdqPlacement.Target.TENSORRT, Map.of()).applied());
    }

    @Test
    void excludedNodesAndUncalibratedInputsAreDeclinedWithTheirReason() throws IOException {
        Model m = model();
        CalibrationTable table = Calibration.run(m, data(4), Calibration.Settings.of(CalibrationMethod.MINMAX),
                OnnxRuntime.EXECUTOR, Progress.NONE);
        Model q = model();
        QdqPlacement.Result r = QdqPlacement.place(q, table, QdqPlacement.Target.TENSORRT,
                Map.of("exclude", List.of("conv*", "Gemm")));
        assertEquals(0, q.graph().nodeList().stream().filter(n -> n.opType().equals("Conv"))
                .filter(n -> n.input(0).producer() != null && n.input(0).producer().opType().equals("DequantizeLinear")).count());
        assertTrue(r.trace().events().stream().anyMatch(e -> e instanceof Trace.Declined d
                && d.rule().equals("QuantizeGemmForTensorRT") && d.reason().equals("excluded (--exclude)")));
        CalibrationTable empty = new CalibrationTable(table.modelSha256(), "minmax", 0, "none", Map.of());
        Model u = model();
        QdqPlacement.Result none = QdqPlacement.place(u, empty, QdqPlacement.Target.TENSORRT, Map.of());
        assertEquals(0, none.applied());
        assertTrue(none.trace().events().stream().anyMatch(e -> e instanceof Trace.Declined d
                && d.reason().equals("no calibration range for the input (calibrate this model first)")));
    }

    /**
     * x [N, 16, 6, 6] -> ConvTranspose 16→24 (W [16, 24, 3, 3]: output channels on axis 1) -> Relu ->
     * GlobalAveragePool -> Flatten -> Gemm (W [24, 32], transB 0: output channels on axis 1) -> MatMul
     * (W [32, 16]).
     */
    private static Model otherAxes() {
        GraphBuilder b = new GraphBuilder("axes", 9);
        Value x = b.input("x", DataType.FLOAT, "N", 16, 6, 6);
        Value ct = b.op("ConvTranspose", x, b.randomWeights("wt", 16, 24, 3, 3), b.randomWeights("bt", 24)).name("up").out();
        Value pooled = b.op("GlobalAveragePool", b.op("Relu", ct).out()).out();
        Value gemm = b.op("Gemm", b.op("Flatten", pooled).out(), b.randomWeights("wg", 24, 32)).name("fc").out();
        Value y = b.op("MatMul", gemm, b.randomWeights("wm", 32, 16)).name("proj").out();
        b.output(y, DataType.FLOAT, "N", 16);
        return b.build(13);
    }

    @Test
    void weightsArePerOutputChannelOnTheAxisEachOpKeepsThemOn() throws IOException {
        Path f = RandomSamples.npz(dir.resolve("axes.npz"), "x", new long[] {16, 16, 6, 6}, 8);
        CalibrationTable table = Calibration.run(otherAxes(), NumpyDataSet.open(f, otherAxes()),
                Calibration.Settings.of(CalibrationMethod.MINMAX), OnnxRuntime.EXECUTOR, Progress.NONE);
        Model q = otherAxes();
        QdqPlacement.place(q, table, QdqPlacement.Target.TENSORRT, Map.of());
        Map<String, long[]> expected = Map.of("ConvTranspose", new long[] {1, 24}, "Gemm", new long[] {1, 32},
                "MatMul", new long[] {1, 16}); // the weight DQ's axis, and its scales' count
        for (Node n : q.graph().nodeList()) {
            long[] want = expected.get(n.opType());
            if (want != null) {
                Node wdq = n.input(1).producer();
                assertEquals("DequantizeLinear", wdq.opType(), n.opType());
                assertEquals(want[0], wdq.attribute("axis").asInt(), n.opType() + " axis");
                assertEquals(want[1], wdq.input(1).initializer().elementCount(), n.opType() + " scales");
            }
        }
        OutputComparison c = compare(otherAxes(), q, Map.of("x", RandomSamples.gaussian("x", new long[] {2, 16, 6, 6}, 9)));
        assertTrue(c.snrDb() > 25, "int8 QDQ vs float: " + c.describe());
        Model older = otherAxes(); // TensorRT before 10 read ConvTranspose weights' channels on axis 0
        QdqPlacement.place(older, table, QdqPlacement.Target.TENSORRT, Map.of("conv_transpose_axis", 0L));
        Node up = older.graph().nodeList().stream().filter(n -> n.opType().equals("ConvTranspose")).findFirst().orElseThrow();
        assertEquals(0, up.input(1).producer().attribute("axis").asInt());
        assertEquals(16, up.input(1).producer().input(1).initializer().elementCount());
    }

    private static OutputComparison compare(Model reference, Model candidate, Map<String, Tensor> in) {
        try (ModelRunner a = ModelRunner.open(reference); ModelRunner b = ModelRunner.open(candidate)) {
            return OutputComparison.of("y", a.run(in).values().iterator().next(), b.run(in).values().iterator().next(),
                    new Tolerance(1e-5, 1e-4));
        }
    }

    private static OutputComparison compare(Model reference, Model candidate) {
        return compare(reference, candidate, Map.of("x", RandomSamples.gaussian("x", new long[] {2, 3, 8, 8}, 11)));
    }
}
