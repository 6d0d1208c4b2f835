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
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.OnnxRuntime;
import org.onnx2trt.verify.Tolerance;

class ShapeFoldingTest {
    /** flatten(x, 1) as exporters write it: Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])). */
    static Model flatten() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, "batch", 3, 4);
        Value zero = b.initializer(Tensor.ofLongs("zero", new long[0], 0));
        Value n = b.op("Unsqueeze", b.op("Gather", b.op("Shape", x).out(), zero).out(), b.longs("axes", 0)).out();
        Value target = b.op("Concat", n, b.longs("rest", -1)).attr("axis", 0L).out();
        b.output(b.op("Reshape", x, target).outputNames("y").out(), DataType.FLOAT, "batch", 12);
        return b.build();
    }

    @Test
    void pinnedInputsLetShapeChainsFold() {
        Model before = flatten();
        Model after = flatten();
        ShapeFolding.Result r = ShapeFolding.fold(after, Map.of("x", new long[] {2, 3, 4}), OnnxRuntime.EXECUTOR);
        assertEquals(List.of("x"), r.pinnedInputs());
        assertEquals(1, r.inferredFolded(), "inference knows the Concat holds [2, -1]: nothing needs to run");
        assertEquals(0, r.shapesFolded());
        ConstantFolding.fold(after, 1 << 20, OnnxRuntime.EXECUTOR);
        assertEquals(List.of("Reshape"), after.graph().nodeList().stream().map(Node::opType).toList());
        assertArrayEquals(new long[] {2, -1}, after.graph().nodeList().get(0).input(1).initializer().view().toLongArray());
        assertEquals(List.of(), GraphValidator.errors(after));
        var samples = Samples.random(before, 1, 2, new InputShapes(Map.of("x", new long[] {2, 3, 4}), Map.of(), 1));
        assertTrue(Equivalence.check(before, after, samples, Map.of(), new Tolerance(0, 0)).passed());
    }

    @Test
    void symbolicInputsAndDataDependentShapesStay() {
        Model flat = flatten();
        ShapeFolding.Result folded = ShapeFolding.fold(flat, Map.of(), OnnxRuntime.EXECUTOR);
        assertEquals(1, folded.inferredFolded(), "Reshape(x, [batch, -1]) needs no shape: its target becomes [0, -1]");
        assertArrayEquals(new long[] {0, -1}, flat.graph().lastNode().input(1).initializer().view().toLongArray());

        GraphBuilder g = new GraphBuilder("g", 1);
        Value x = g.input("x", DataType.FLOAT, "batch", 3, 4);
        Value n = g.op("Unsqueeze", g.op("Gather", g.op("Shape", x).out(), g.initializer(Tensor.ofLongs("zero", new long[0], 0)))
                .out(), g.longs("axes", 0)).out();
        Value zeros = g.op("ConstantOfShape", g.op("Concat", n, g.longs("twelve", 12)).attr("axis", 0L).out()).out();
        g.output(g.op("Add", zeros, g.op("Reshape", x, g.longs("shape", -1, 12)).out()).outputNames("y").out(),
                DataType.FLOAT, "batch", 12);
        Model m = g.build();
        ShapeFolding.Result r = ShapeFolding.fold(m, Map.of(), OnnxRuntime.EXECUTOR);
        assertEquals(0, r.shapesFolded());
        assertEquals(0, r.inferredFolded(), "ConstantOfShape needs the batch at run time");
        assertEquals("input `x` has a symbolic shape (float32[batch,3,4]); pin it with --input-shape x:D0,D1,...", r.notDone());

        GraphBuilder b = new GraphBuilder("g", 1);
        Value nz = b.op("NonZero", b.input("v", DataType.FLOAT, 6)).out();
        b.output(b.op("Shape", nz).outputNames("s").out(), DataType.INT64, 1);
        Model dynamic = b.build();
        assertEquals(0, ShapeFolding.fold(dynamic, Map.of(), OnnxRuntime.EXECUTOR).shapesFolded(), "NonZero's output shape depends on the data");
    }

    @Test
    void staticDimsOfASymbolicInputFoldWithoutPinning() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, "batch", 3, 4);
        Value c = b.op("Unsqueeze", b.op("Gather", b.op("Shape", x).out(), b.initializer(Tensor.ofLongs("one", new long[0], 1)))
                .out(), b.longs("axes", 0)).out();
        Value target = b.op("Concat", b.longs("rest", -1), c).attr("axis", 0L).out();
        b.output(b.op("Reshape", x, target).outputNames("y").out(), DataType.FLOAT, "batch", 4, 3);
        Model m = b.build();
        Model before = Model.fromProto(m.toProto());
        ShapeFolding.Result r = ShapeFolding.fold(m, Map.of(), OnnxRuntime.EXECUTOR);
        assertEquals(1, r.inferredFolded());
        assertEquals(null, r.notDone(), "no Shape node is left to run");
        org.onnx2trt.transform.DeadCode.sweep(m.graph());
        assertEquals(List.of("Reshape"), m.graph().nodeList().stream().map(Node::opType).toList());
        assertArrayEquals(new long[] {-1, 3}, m.graph().nodeList().get(0).input(1).initializer().view().toLongArray());
        var samples = Samples.random(before, 1, 2, new InputShapes(Map.of(), Map.of("batch", 5L), 1));
        assertTrue(Equivalence.check(before, m, samples, Map.of(), new Tolerance(0, 0)).passed());
    }

    @Test
    void equalSymbolicShapeValuesMergeSoOneShapeNodeServesBoth() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, "batch", 3, 4);
        Value zero = b.initializer(Tensor.ofLongs("zero", new long[0], 0));
        Value axes = b.longs("axes", 0);
        Value y = b.op("Relu", x).out();
        Value nx = b.op("Unsqueeze", b.op("Gather", b.op("Shape", x).out(), zero).out(), axes).out();
        Value ny = b.op("Unsqueeze", b.op("Gather", b.op("Shape", y).out(), zero).out(), axes).out();
        Value first = b.op("Reshape", x, b.op("Concat", nx, b.longs("rest", -1)).attr("axis", 0L).out()).out();
        Value second = b.op("Reshape", y, b.op("Concat", ny, b.longs("rest2", 12)).attr("axis", 0L).out()).out();
        b.output(b.op("Add", first, second).outputNames("z").out(), DataType.FLOAT, "batch", 12);
        Model m = b.build();
        Model before = Model.fromProto(m.toProto());
        ShapeFolding.Result r = ShapeFolding.fold(m, Map.of(), OnnxRuntime.EXECUTOR);
        assertTrue(r.inferredFolded() >= 1, "y's batch is x's batch: " + r);
        Deduplicate.run(m.graph());
        org.onnx2trt.transform.DeadCode.sweep(m.graph());
        // the two batches merged, and both Reshape targets then became constants ([0, -1], [0, 12]): no Shape is left
        assertEquals(0, m.graph().nodeList().stream().filter(n -> n.opType().equals("Shape")).count());
        var samples = Samples.random(before, 1, 2, new InputShapes(Map.of(), Map.of("batch", 5L), 1));
        assertTrue(Equivalence.check(before, m, samples, Map.of(), new Tolerance(0, 0)).passed());
    }
}
