package org.onnx2trt.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.rewrite.Pass;
import org.onnx2trt.tensor.DataType;

/** Each simplify step is a pass of its own, and runs alone. */
class SimplifyStepsTest {
    @Test
    void theStepsInTheirOrder() {
        Simplify simplify = new Simplify(new Simplify.Options(false, Simplify.DEFAULT_MAX_FOLDED_SIZE, Map.of()), null);
        assertEquals(List.of("canonicalize", "shape-folding", "constant-folding", "fuse-consecutive-concats", "deduplicate",
                "dead-code", "annotate-types"), simplify.steps().stream().map(Pass::name).toList());
    }

    @Test
    void deadCodeRunsAlone() {
        GraphBuilder b = new GraphBuilder("m");
        Value x = b.input("x", DataType.FLOAT, 2);
        b.op("Neg", x).out(); // read by nothing
        b.output(b.op("Relu", x).out());
        Model m = b.build(17);
        assertEquals(2, m.graph().nodeList().size());
        Simplify.DEAD_CODE.run(m);
        assertEquals(List.of("Relu"), m.graph().nodeList().stream().map(n -> n.opType()).toList());
    }
}
