package org.onnx2trt.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.tensor.DataType;

/** {@code Mul(x, 0.5)}: a pattern input that must be a one-element constant equal to the literal. */
class LiteralInputsTest {
    private static final String RULE = """
            rule MulHalfToDiv
            match m = Mul(x, 0.5)
            compute two = tensor(2.0)
            rewrite m -> Div(x, two)
            end
            """;

    private static Trace run(float[] factor, long[] dims, boolean factorFirst) {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 3);
        Value c = b.floats("c", dims, factor);
        b.output(factorFirst ? b.op("Mul", c, x).out() : b.op("Mul", x, c).out());
        Model m = b.build(17);
        Trace trace = new Trace(true);
        new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin()).run(m, RewriterTest.program(RULE), trace);
        return trace;
    }

    @Test
    void theLiteralMatchesAOneElementConstantInEitherOrder() {
        assertEquals(1, run(new float[] {0.5f}, new long[0], false).applications().size());
        assertEquals(1, run(new float[] {0.5f}, new long[] {1}, true).applications().size());
    }

    @Test
    void anotherValueOrMoreElementsDeclineNamingTheInput() {
        Trace other = run(new float[] {0.25f}, new long[0], false);
        assertEquals(0, other.applications().size());
        assertTrue(other.events().toString().contains("input 1 of `m` is not the constant 0.5"), other.events().toString());
        assertEquals(0, run(new float[] {0.5f, 0.5f, 0.5f}, new long[] {3}, false).applications().size());
    }
}
