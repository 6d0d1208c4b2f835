package org.onnx2trt.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.AttributeProto.AttributeType;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.tensor.DataType;

/** A new node's attributes take the type the op schema declares, or the rewrite declines saying why. */
class AttributeTypesTest {
    private static Model leakyRelu() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        b.output(b.op("LeakyRelu", x).attr("alpha", 0.1f).out());
        return b.build(17);
    }

    private static Trace run(Model m, String rule) {
        Trace trace = new Trace(true);
        new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin()).run(m, RewriterTest.program(rule), trace);
        return trace;
    }

    @Test
    void aOneElementTensorBecomesTheScalarTheSchemaDeclares() {
        Model m = leakyRelu();
        Trace t = run(m, """
                rule DoubleAlpha
                match r = LeakyRelu(x) { alpha: a }
                where a < 0.15 : "doubled already"
                compute a2 = tensor([a * 2], float32)
                rewrite r -> LeakyRelu(x) { alpha: a2 }
                end
                """);
        assertEquals(1, t.applications().size(), t.events().toString());
        Attribute alpha = m.graph().firstNode().attribute("alpha");
        assertEquals(AttributeType.FLOAT, alpha.type(), "not a TENSOR attribute, which onnxruntime refuses to load");
        assertEquals(0.2f, alpha.asFloat(), 1e-7);
    }

    @Test
    void anIntegerLiteralForAFloatAttributeIsThatFloat() {
        Model m = leakyRelu();
        run(m, """
                rule AlphaOne
                match r = LeakyRelu(x) { alpha: 0.1 }
                rewrite r -> LeakyRelu(x) { alpha: 1 }
                end
                """);
        assertEquals(AttributeType.FLOAT, m.graph().firstNode().attribute("alpha").type());
        assertEquals(1f, m.graph().firstNode().attribute("alpha").asFloat());
    }

    @Test
    void aValueOfAnotherTypeDeclinesNamingBoth() {
        Model m = leakyRelu();
        Trace t = run(m, """
                rule StringAlpha
                match r = LeakyRelu(x)
                rewrite r -> LeakyRelu(x) { alpha: "big" }
                end
                """);
        assertEquals(List.of(), t.applications());
        assertTrue(t.events().toString().contains("attribute `alpha` of the new LeakyRelu is a float, and the rule gives a string"),
                t.events().toString());
        assertEquals(0.1f, m.graph().firstNode().attribute("alpha").asFloat(), 1e-7, "the graph is unchanged");
    }
}
