package org.onnx2trt.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.OnnxRuntime;
import org.onnx2trt.verify.Tolerance;

class ConstantFoldingTest {

    /** y = x · reshape(transpose(w), [3, 2]) + expand(b, [1000, 3 ...]) read through a Shape chain. */
    static Model model() {
        GraphBuilder b = new GraphBuilder("g", 3);
        Value x = b.input("x", DataType.FLOAT, 4, 3);
        Value w = b.floats("w", new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
        Value wt = b.op("Transpose", w).attr("perm", 1L, 0L).outputNames("wt").out();
        Value shape = b.longs("shape", 3, 2);
        Value w2 = b.op("Reshape", wt, shape).outputNames("w2").out();
        Value mm = b.op("MatMul", x, w2).outputNames("mm").out();
        Value s = b.op("Shape", w2).outputNames("s").out(); // a shape chain on a constant
        Value one = b.op("ConstantOfShape", s).outputNames("ones").out();
        Value y = b.op("Add", mm, b.op("ReduceSum", one).attr("keepdims", 0L).outputNames("total").out()).outputNames("y").out();
        b.output(y, DataType.FLOAT, 4, 2);
        return b.build();
    }

    @Test
    void everythingComputedFromConstantsBecomesInitializers() {
        Model before = model();
        Model after = model();
        ConstantFolding.Result r = ConstantFolding.fold(after, 1 << 20, OnnxRuntime.EXECUTOR);
        assertEquals(2, r.foldedValues(), "w2 (read by MatMul) and total (read by Add)");
        assertEquals(List.of("MatMul", "Add"), after.graph().nodeList().stream().map(Node::opType).toList());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, after.graph().lookup("w2").initializer().view().toFloatArray());
        assertEquals(List.of(), GraphValidator.errors(after));
        var samples = Samples.random(before, 1, 2, InputShapes.DEFAULT);
        assertTrue(Equivalence.check(before, after, samples, Map.of(), new Tolerance(0, 0)).passed(), "bit-exact");
    }

    @Test
    void resultsOverTheSizeGuardStay() {
        GraphBuilder b = new GraphBuilder("g", 3);
        Value x = b.input("x", DataType.FLOAT, 100, 100);
        Value big = b.op("Expand", b.floats("one", new long[] {1}, 1), b.longs("to", 100, 100)).outputNames("big").out();
        b.output(b.op("Mul", x, big).outputNames("y").out(), DataType.FLOAT, 100, 100);
        Model m = b.build();
        ConstantFolding.Result r = ConstantFolding.fold(m, 1000, OnnxRuntime.EXECUTOR);
        assertEquals(0, r.foldedValues());
        assertEquals(List.of("big (10000 elements)"), r.tooLarge());
        assertEquals(2, m.graph().nodeCount());
        assertEquals(1, ConstantFolding.fold(m, 10_000, OnnxRuntime.EXECUTOR).foldedValues());
    }

    @Test
    void randomOpsAndGraphInputsAreNotConstants() {
        GraphBuilder b = new GraphBuilder("g", 3);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value r = b.op("RandomNormal").attr("shape", 2L).outputNames("r").out();
        Value n = b.op("Neg", x).outputNames("n").out();
        b.output(b.op("Add", r, n).outputNames("y").out(), DataType.FLOAT, 2);
        Model m = b.build();
        assertEquals(0, ConstantFolding.fold(m, 1 << 20, OnnxRuntime.EXECUTOR).foldedValues());
        assertEquals(3, m.graph().nodeCount());
    }
}
