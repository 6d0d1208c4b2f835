package org.onnx2trt.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.tensor.DataType;

/** {@code shape(x)[k]} needs that one dim static, not every dim of {@code x}. */
class SymbolicDimsTest {
    private static Trace run(String rule) {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, "batch", 3, 4);
        b.output(b.op("Relu", x).out(), DataType.FLOAT, "batch", 3, 4);
        Model m = b.build(17);
        Trace trace = new Trace(true);
        new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin()).run(m, RewriterTest.program(rule), trace);
        return trace;
    }

    @Test
    void aStaticDimBesideASymbolicBatch() {
        Trace t = run("""
                rule LastDimFour
                match r = Relu(x)
                where shape(x)[-1] == 4 and shape(x)[1] == 3 : "not [*, 3, 4]"
                compute z = tensor(0.0)
                rewrite r -> Clip(x, z)
                end
                """);
        assertEquals(1, t.applications().size(), t.events().toString());
    }

    @Test
    void theSymbolicDimItselfSaysSo() {
        Trace t = run("""
                rule BatchOne
                match r = Relu(x)
                where shape(x)[0] == 1 : "the batch is not 1"
                compute z = tensor(0.0)
                rewrite r -> Clip(x, z)
                end
                """);
        assertEquals(0, t.applications().size());
        assertTrue(t.events().toString().contains("dim 0 of `x` is `batch`, not static"), t.events().toString());
    }
}
