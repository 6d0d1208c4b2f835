package org.onnx2trt.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/** Runner, equivalence and bisection against onnxruntime on small built models. */
class EquivalenceTest {
    /** y = Relu(x · w) + 1, with w = [1, 2, 3] · scale. */
    static Model scaled(float scale) {
        GraphBuilder b = new GraphBuilder("m");
        Value x = b.input("x", DataType.FLOAT, "batch", 3);
        Value w = b.floats("w", new long[] {3}, scale, 2 * scale, 3 * scale);
        Value mul = b.op("Mul", x, w).outputNames("mul").out();
        Value relu = b.op("Relu", mul).outputNames("relu").out();
        Value y = b.op("Add", relu, b.floats("one", new long[] {1}, 1)).outputNames("y").out();
        b.output(y, DataType.FLOAT, "batch", 3);
        return b.build();
    }

    static List<Map<String, Tensor>> samples(Model m) {
        return Samples.random(m, 7, 3, new InputShapes(Map.of(), Map.of("batch", 4L), 1));
    }

    @Test
    void equalSlightlyOffAndWrongModels() {
        Model a = scaled(1);
        Equivalence.Report same = Equivalence.check(a, scaled(1), samples(a), Map.of(), Tolerance.DEFAULT);
        assertTrue(same.passed());
        assertEquals(3, same.samples());
        assertEquals(0, same.outputs().get(0).maxAbs());

        Equivalence.Report near = Equivalence.check(a, scaled(1 + 1e-6f), samples(a), Map.of(), Tolerance.DEFAULT);
        assertTrue(near.passed(), near.outputs().get(0).describe());
        assertTrue(near.outputs().get(0).maxAbs() > 0, "slightly off, yet within tolerance");

        Equivalence.Report wrong = Equivalence.check(a, scaled(1.01f), samples(a), Map.of(), Tolerance.DEFAULT);
        assertFalse(wrong.passed());
        assertEquals("y", wrong.firstFailure().name());
        assertEquals(12 * 3, wrong.firstFailure().elements(), "4×3 elements in each of 3 samples");

        Equivalence.Report loosened = Equivalence.check(a, scaled(1.01f), samples(a),
                Map.of("y", new Tolerance(0.1, 0.02)), Tolerance.DEFAULT);
        assertTrue(loosened.passed(), "a per-output tolerance applies to its output");
    }

    @Test
    void intermediateValuesBecomeExtraOutputs() {
        Model a = scaled(1);
        assertEquals(List.of("mul", "relu"), ModelRunner.intermediateValues(a));
        try (ModelRunner r = ModelRunner.open(a, ModelRunner.intermediateValues(a))) {
            assertEquals(List.of("y", "mul", "relu"), r.outputNames());
            Tensor x = Tensor.ofFloats("x", new long[] {1, 3}, -1, 1, 2);
            Map<String, Tensor> out = r.run(Map.of("x", x));
            assertArrayEquals(new float[] {-1, 2, 6}, out.get("mul").view().toFloatArray());
            assertArrayEquals(new float[] {0, 2, 6}, out.get("relu").view().toFloatArray());
            assertArrayEquals(new float[] {1, 3, 7}, out.get("y").view().toFloatArray());
        }
        assertThrows(IllegalArgumentException.class, () -> ModelRunner.open(a, List.of("nope")));
    }

    @Test
    void thousandsOfRunsOnOneSessionLeakNothingVisible() {
        Model a = scaled(1);
        try (ModelRunner r = ModelRunner.open(a)) {
            Map<String, Tensor> in = Map.of("x", Tensor.ofFloats("x", new long[] {1, 3}, 1, 2, 3));
            for (int i = 0; i < 2000; i++) {
                assertEquals(1, r.run(in).size());
            }
        }
    }

    @Test
    void bisectionFindsTheFirstBreakingStep() {
        // Prefix k of a run of 10 steps; steps 6 and later give a wrong model.
        List<Integer> asked = new ArrayList<>();
        Model a = scaled(1);
        List<Map<String, Tensor>> s = samples(a);
        Bisection.Culprit c = Bisection.firstFailing(10, k -> {
            asked.add(k);
            return Equivalence.check(a, scaled(k >= 6 ? 2 : 1), s, Map.of(), Tolerance.DEFAULT);
        });
        assertEquals(6, c.application());
        assertFalse(c.report().passed());
        assertTrue(asked.size() <= 6, "about log2(10) + 1 checks, asked " + asked);
        assertEquals(0, Bisection.firstFailing(3, k -> Equivalence.check(a, scaled(3), s, Map.of(), Tolerance.DEFAULT))
                .application(), "a model wrong before any step");
    }
}
