package org.onnx2trt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.transform.OpsetUpgrade;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.Tolerance;

/** Opset 11/12 models raised to 13 compute what they did (onnxruntime before and after). */
class OpsetUpgradeTest {
    /**
     * x [2, 3, 4] -> Unsqueeze(axes [0]) -> Squeeze(axes [0]) -> Split(axis 2, split [1, 3]) ->
     * ReduceSum(axes [1]) of the first part; Softmax(axis 1) of x (old meaning: over dims 1 and 2
     * together), LogSoftmax(axis 2) of x (the last axis), Dropout(ratio 0.3) of x.
     */
    private static Model opset11() {
        GraphBuilder b = new GraphBuilder("old");
        Value x = b.input("x", DataType.FLOAT, 2, 3, 4);
        Value u = b.op("Unsqueeze", x).attr("axes", new long[] {0}).out();
        Value s = b.op("Squeeze", u).attr("axes", new long[] {0}).out();
        List<Value> parts = b.op("Split", s).attr("axis", 2L).attr("split", 1L, 3L).outs(2);
        Value sum = b.op("ReduceSum", parts.get(0)).attr("axes", new long[] {1}).attr("keepdims", 0L).out();
        Value soft = b.op("Softmax", x).attr("axis", 1L).out();
        Value logSoft = b.op("LogSoftmax", x).attr("axis", 2L).out();
        Value drop = b.op("Dropout", x).attr("ratio", 0.3f).out();
        b.output(sum, DataType.FLOAT, 2, 1);
        b.output(parts.get(1), DataType.FLOAT, 2, 3, 3);
        b.output(soft, DataType.FLOAT, 2, 3, 4);
        b.output(logSoft, DataType.FLOAT, 2, 3, 4);
        b.output(drop, DataType.FLOAT, 2, 3, 4);
        return b.build(11);
    }

    @Test
    void theUpgradedModelComputesTheSameAtOpset13() {
        Model before = opset11();
        Model after = Model.fromProto(before.toProto());
        OpsetUpgrade.Result r = OpsetUpgrade.to13(after);
        assertEquals(13, after.opsetVersion(""));
        assertEquals(5, r.operandsMoved(), "Unsqueeze, Squeeze and ReduceSum axes, Split's split, Dropout's ratio");
        assertEquals(1, r.softmaxesRewritten(), "Softmax over axis 1 of 3 dims; LogSoftmax on the last axis agrees");
        for (Node n : after.graph().nodeList()) {
            if (List.of("Unsqueeze", "Squeeze", "ReduceSum", "Split").contains(n.opType())) {
                assertTrue(n.inputCount() == 2 && n.input(1).isInitializer(), n.opType() + " takes its operand as an input");
            }
        }
        Equivalence.Report e = Equivalence.check(before, after, Samples.random(before, 3, 3, InputShapes.DEFAULT), Map.of(),
                new Tolerance(1e-6, 1e-5));
        assertTrue(e.passed(), e.firstFailure() == null ? "" : e.firstFailure().describe());
    }

    @Test
    void whatCannotBeCarriedOverIsRefusedAndNothingChanges() {
        GraphBuilder b = new GraphBuilder("resize");
        Value x = b.input("x", DataType.FLOAT, 1, 1, 2, 2);
        Value y = b.op("Resize", x, b.floats("roi", new long[] {0}), b.floats("scales", 1f, 1f, 2f, 2f))
                .attr("mode", "nearest").attr("coordinate_transformation_mode", "tf_half_pixel_for_nn").name("up").out();
        b.output(y, DataType.FLOAT, 1, 1, 4, 4);
        Model m = b.build(11);
        String message = assertThrows(OpsetUpgrade.UnsupportedUpgrade.class, () -> OpsetUpgrade.to13(m)).getMessage();
        assertTrue(message.startsWith("node `up` (Resize): coordinate_transformation_mode tf_half_pixel_for_nn was removed"),
                message);
        assertEquals(11, m.opsetVersion(""));
        Model old = opset11();
        old.setOpsetVersion("", 10);
        assertTrue(assertThrows(OpsetUpgrade.UnsupportedUpgrade.class, () -> OpsetUpgrade.to13(old)).getMessage()
                .contains("only opsets 11 and 12 are upgraded"));
    }

    @Test
    void attributesLeftOutStayLeftOut() {
        GraphBuilder b = new GraphBuilder("squeeze");
        Value x = b.input("x", DataType.FLOAT, 1, 3, 1);
        b.output(b.op("Squeeze", x).out(), DataType.FLOAT, 3);
        Model m = b.build(12);
        OpsetUpgrade.to13(m);
        Node squeeze = m.graph().nodeList().get(0);
        assertEquals(1, squeeze.inputCount(), "no axes: every dim of size 1, at 13 as at 12");
        assertEquals(null, squeeze.attribute("axes"));
    }
}
