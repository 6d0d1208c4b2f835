package org.onnx2trt.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/** The noise floor: how far the same function, rounded otherwise, drifts. */
class NoiseFloorTest {
    @Test
    void everyFloatMovesByOneUlpAndIntegersStay() {
        Tensor t = Tensor.ofFloats("x", new long[] {3}, 1f, -2.5f, 0f);
        float[] moved = NoiseFloor.oneUlpAway(t, new Random(1)).view().toFloatArray();
        float[] before = {1f, -2.5f, 0f};
        for (int i = 0; i < 3; i++) {
            assertEquals(Math.ulp(before[i]), Math.abs(moved[i] - before[i]), 0.0, "element " + i);
        }
        Tensor ints = Tensor.ofLongs("i", new long[] {2}, 1, 2);
        assertTrue(NoiseFloor.oneUlpAway(ints, new Random(1)) == ints);
    }

    @Test
    void aDeepChainHasAFloorAndAnIntegerOutputHasNone() {
        GraphBuilder b = new GraphBuilder("chain", 3);
        Value x = b.input("x", DataType.FLOAT, 1, 8, 16, 16);
        Value y = x;
        for (int i = 0; i < 12; i++) {
            y = b.convBnRelu(y, 8, 8, 3, 1);
        }
        b.output(y);
        b.output(b.op("ArgMax", y).attr("axis", 1L).out(), DataType.INT64, 1, 1, 16, 16);
        Model m = b.build();
        List<Map<String, Tensor>> samples = List.of(RandomInputs.forModel(m, 1, Map.of(), 1));
        Equivalence.Expected expected;
        try (ModelRunner r = ModelRunner.open(m)) {
            expected = Equivalence.Expected.of(r, samples);
        }
        NoiseFloor floor = NoiseFloor.measure(m, List.of(), expected, 5);
        String floatOut = m.graph().outputs().get(0).name();
        String intOut = m.graph().outputs().get(1).name();
        assertTrue(floor.of(floatOut) > 0, floor.describe());
        assertEquals(0.0, floor.of(intOut), "indices stay exact: " + floor.describe());
        Tolerance widened = floor.widen(floatOut, Tolerance.DEFAULT);
        assertEquals(NoiseFloor.FACTOR * floor.of(floatOut), widened.noise(), 0.0);
        assertTrue(widened.describe().contains("+ noise allowance"), widened.describe());
    }
}
