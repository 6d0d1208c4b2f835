package org.onnx2trt.quant.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

class ConcatScaleSharingTest {
    /** x_i -> Q(s_i) -> DQ(s_i) -> Concat, one pair per input; {@code extraReader} gives the first DQ a second reader. */
    private static Model concatOfPairs(float[] scales, boolean extraReader) {
        Graph g = Graph.create("concat");
        Value zero = g.addInitializer(Tensor.zeros("zero", DataType.INT8));
        List<Value> parts = new ArrayList<>();
        for (int i = 0; i < scales.length; i++) {
            Value x = g.addInput("x" + i, Types.tensor(DataType.FLOAT, 1, 2));
            Value s = g.addInitializer(Tensor.ofFloats("s" + i, new long[0], scales[i]));
            Node q = g.addNode("QuantizeLinear", List.of(x, s, zero), List.of("q" + i));
            Node dq = g.addNode("DequantizeLinear", List.of(q.output(0), s, zero), List.of("dq" + i));
            parts.add(dq.output(0));
        }
        Node concat = g.addNode("Concat", parts, List.of("y"));
        concat.setAttribute(Attribute.ofInt("axis", 1));
        g.addOutput(concat.output(0), Types.tensor(DataType.FLOAT));
        if (extraReader) {
            g.addOutput(g.addNode("Relu", List.of(parts.get(0)), List.of("r")).output(0), Types.tensor(DataType.FLOAT));
        }
        return Model.create(g, 8, 13, "test");
    }

    @Test
    void theInputsOfAConcatTakeTheLargestOfTheirScales() {
        Model m = concatOfPairs(new float[] {0.01f, 0.04f, 0.02f}, false);
        List<ConcatScaleSharing.Change> changes = ConcatScaleSharing.run(m);
        assertEquals(1, changes.size());
        assertEquals(List.of(0.01f, 0.04f, 0.02f), changes.get(0).scalesBefore());
        assertEquals(0.04f, changes.get(0).scale());
        Node concat = m.graph().nodeList().stream().filter(n -> n.opType().equals("Concat")).findFirst().orElseThrow();
        for (Value in : concat.inputs()) {
            assertEquals(0.04f, in.producer().input(1).initializer().view().getFloat(0));
            assertEquals(in.producer().input(1), in.producer().input(0).producer().input(1));
        }
        assertTrue(m.graph().lookup("s0") == null, "an old scale nothing reads is dropped");
        assertEquals(List.of(), ConcatScaleSharing.run(m), "a second run has nothing left to do");
    }

    @Test
    void aPairWithAnotherReaderOrEqualScalesIsLeftAlone() {
        assertEquals(List.of(), ConcatScaleSharing.run(concatOfPairs(new float[] {0.01f, 0.04f}, true)),
                "rescaling a pair another node reads would change that node too");
        assertEquals(List.of(), ConcatScaleSharing.run(concatOfPairs(new float[] {0.02f, 0.02f}, false)));
    }
}
