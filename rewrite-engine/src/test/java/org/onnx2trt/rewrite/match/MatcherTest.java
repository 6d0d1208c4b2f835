package org.onnx2trt.rewrite.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;

class MatcherTest {

    private static Pattern pattern(String matchSection, String root) {
        RuleFrontEnd.Result r = RuleFrontEnd.load("rule R match " + matchSection + " rewrite " + root + " -> " + root + " end", "t.rw");
        assertTrue(r.ok(), r.diagnostics().format());
        return Pattern.compile(r.file().rules().get(0));
    }

    private static Matcher.Result match(String matchSection, String root, Node at) {
        return new Matcher(pattern(matchSection, root), SchemaFacts.NONE, 17).match(at);
    }

    @Test
    void convBatchNormChainBindsNodesValuesAndAttributes() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, 1, 3, 8, 8);
        Value w = b.randomWeights("w", 4, 3, 3, 3);
        Value conv = b.op("Conv", x, w).attr("pads", 1, 1, 1, 1).out();
        Value bn = b.batchNorm(conv, "bn", 4);
        Matcher.Result r = match("c = Conv(x, w, b?) n = BatchNormalization(c, g, be, m, v) { epsilon: eps }", "n",
                bn.producer());
        assertTrue(r.matched(), r.failure());
        assertSame(conv.producer(), r.match().node("c"));
        assertSame(x, r.match().value("x"));
        assertTrue(r.match().hasValue("b"));
        assertNull(r.match().value("b"));
        assertEquals(1e-5f, ((Double) r.match().attribute("eps")).floatValue());
    }

    @Test
    void aProducerOfTheWrongKindIsADeclineWithReason() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 8, 8);
        Value bn = b.batchNorm(x, "bn", 4);
        Matcher.Result r = match("c = Conv(x, w, b?) n = BatchNormalization(c, g, be, m, v)", "n", bn.producer());
        assertFalse(r.matched());
        assertEquals("`n` input 0 is not computed by `c`: `x` is a graph input", r.failure());
    }

    @Test
    void commutativeOpsMatchEitherInputOrder() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, 1, 4);
        Value relu = b.op("Relu", x).out();
        Value c = b.floats("c", 2f);
        Value sum = b.op("Add", c, relu).out(); // constant first
        Matcher.Result r = match("r = Relu(x) a = Add(r, k)", "a", sum.producer());
        assertTrue(r.matched(), r.failure());
        assertSame(c, r.match().value("k"));
    }

    @Test
    void sharedInputsMustBeTheSameValue() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, 4);
        Value y = b.input("y", DataType.FLOAT, 4);
        Value same = b.op("Mul", b.op("Relu", x).out(), b.op("Sigmoid", x).out()).out();
        Value different = b.op("Mul", b.op("Relu", x).out(), b.op("Sigmoid", y).out()).out();
        String p = "a = Relu(x) s = Sigmoid(x) m = Mul(a, s)";
        assertTrue(match(p, "m", same.producer()).matched());
        Matcher.Result r = match(p, "m", different.producer());
        assertFalse(r.matched());
        assertEquals("`x` would be two different values: `x` and `y`", r.failure());
    }

    @Test
    void variadicCapturesTheRemainingInputs() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, 1, 2);
        Value y = b.input("y", DataType.FLOAT, 1, 2);
        Value z = b.input("z", DataType.FLOAT, 1, 2);
        Value cat = b.op("Concat", x, y, z).attr("axis", 1L).out();
        Matcher.Result r = match("k = Concat(first, rest...) { axis: 1 }", "k", cat.producer());
        assertTrue(r.matched(), r.failure());
        assertEquals(List.of(y, z), r.match().variadic("rest"));
    }

    @Test
    void attributeValuesMustEqualLiteralsAndDefaultsComeFromTheSchema() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 8, 8);
        Value conv = b.op("Conv", x, b.randomWeights("w", 4, 1, 3, 3)).attr("group", 4L).out();
        Matcher.Result grouped = match("c = Conv(x, w) { group: 1 }", "c", conv.producer());
        assertEquals("`c` needs group = 1, found 4", grouped.failure());

        Value plain = b.op("Conv", x, b.randomWeights("w2", 4, 4, 1, 1)).out();
        SchemaFacts schema = (domain, op, opset, attr) -> attr.equals("group") ? 1L : null;
        Matcher m = new Matcher(pattern("c = Conv(x, w) { group: 1, dilations: d }", "c"), schema, 17);
        Matcher.Result r = m.match(plain.producer());
        assertTrue(r.matched(), r.failure());
        assertTrue(r.match().hasAttribute("d"));
        assertNull(r.match().attribute("d"));
    }

    @Test
    void listAttributesMatchListLiterals() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 8, 8);
        Value conv = b.op("Conv", x, b.randomWeights("w", 4, 4, 3, 3)).attr("kernel_shape", 3L, 3L)
                .attr("pads", 1L, 1L, 1L, 1L).out();
        assertTrue(match("c = Conv(x, w) { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }", "c", conv.producer()).matched());
        assertEquals("`c` needs pads = [0, 0, 0, 0], found [1, 1, 1, 1]",
                match("c = Conv(x, w) { pads: [0, 0, 0, 0] }", "c", conv.producer()).failure());
        assertEquals("`c` needs kernel_shape = [3], found [3, 3]",
                match("c = Conv(x, w) { kernel_shape: [3] }", "c", conv.producer()).failure());
    }

    @Test
    void namedInputsMatchTheirSchemaPosition() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, 1, 3, 8, 8);
        Value bias = b.randomWeights("bias", 4);
        Value withBias = b.op("Conv", x, b.randomWeights("w", 4, 3, 3, 3), bias).out();
        Value without = b.op("Conv", x, b.randomWeights("w2", 4, 3, 3, 3)).out();
        Matcher.Result r = match("c = Conv(x, B: k?)", "c", withBias.producer());
        assertTrue(r.matched(), r.failure());
        assertSame(bias, r.match().value("k"));
        Matcher.Result none = match("c = Conv(x, B: k?)", "c", without.producer());
        assertTrue(none.matched(), none.failure());
        assertNull(none.match().value("k"));
        assertEquals("`c` input 2 (`k`) is absent", match("c = Conv(x, B: k)", "c", without.producer()).failure());
    }

    @Test
    void schemaDefaultsFillAbsentAttributes() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 8, 8);
        Value conv = b.op("Conv", x, b.randomWeights("w", 4, 4, 1, 1)).out();
        Matcher m = new Matcher(pattern("c = Conv(x, w) { group: g, auto_pad: \"NOTSET\" }", "c"), SchemaTable.builtin(), 17);
        Matcher.Result r = m.match(conv.producer());
        assertTrue(r.matched(), r.failure());
        assertEquals(1L, r.match().attribute("g"));
    }

    @Test
    void extraInputsAndAbsentRequiredInputsDoNotMatch() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Value x = b.input("x", DataType.FLOAT, 1, 3, 8, 8);
        Value conv = b.op("Conv", x, b.randomWeights("w", 4, 3, 3, 3), b.randomWeights("bias", 4)).out();
        assertEquals("`c` has 3 inputs, the pattern names 2", match("c = Conv(x, w)", "c", conv.producer()).failure());
        assertEquals("`c` needs Relu|Sigmoid, found `Conv_0` (Conv)",
                match("c = Relu|Sigmoid(x)", "c", conv.producer()).failure());
    }
}
