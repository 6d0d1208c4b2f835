package org.onnx2trt.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.tensor.DataType;

/** A binding with alternative forms: {@code s = Pow(x, 2) | Mul(x, x)} matches either. */
class AlternativesTest {
    private static final String RULE = """
            rule SquareThenSqrt
            match
              s = Pow(x, 2) | Mul(x, x)
              r = Sqrt(s)
            rewrite r -> Abs(x)
            end
            """;

    @Test
    void eitherFormMatchesAndTheLiteralBelongsToItsForm() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 3);
        b.output(b.op("Sqrt", b.op("Pow", x, b.floats("two", new long[0], 2f)).out()).out());
        b.output(b.op("Sqrt", b.op("Mul", x, x).out()).out());
        b.output(b.op("Sqrt", b.op("Pow", x, b.floats("three", new long[0], 3f)).out()).out());
        Model m = b.build(17);
        Trace trace = new Trace(false);
        new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin()).run(m, RewriterTest.program(RULE), trace);
        assertEquals(2, trace.applications().size(), trace.events().toString());
        assertTrue(trace.events().toString().contains("input 1 of `s` is not the constant 2"), trace.events().toString());
        assertEquals(List.of(2), List.of(RuleFrontEnd.load(RULE, "t.rw").file().rules().get(0).forms().size()));
    }

    @Test
    void formsWithDifferentRootsAreRefused() {
        RuleFrontEnd.Result r = RuleFrontEnd.load("""
                rule R
                match
                  a = Relu(x) | Relu(b)
                  b = Sigmoid(x)
                rewrite a -> x
                end
                """, "t.rw");
        assertTrue(r.diagnostics().format().contains("the pattern's forms have different roots (`a` and `b`)")
                        || r.diagnostics().format().contains("roots"), r.diagnostics().format());
    }
}
