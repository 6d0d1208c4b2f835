package org.onnx2trt.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.AttributeProto.AttributeType;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/** Each form of the graph text, parsed to the IR it means. */
class GraphTextParseTest {

    static Model parse(String text) {
        Model m = GraphText.parse(text, "test.txt", 42);
        assertEquals(List.of(), GraphValidator.errors(m), "a parsed model is valid");
        return m;
    }

    /** The graph around one node line: inputs x (float[2]) and c (bool), output y. */
    static Node onlyNode(String nodeLine, String... extraHeader) {
        Model m = parse(String.join("\n", extraHeader) + "\ng (float[2] x, bool c) => (float[2] y) { " + nodeLine + " }");
        return m.graph().nodeList().get(m.graph().nodeCount() - 1);
    }

    // ---- header --------------------------------------------------------------------------

    @Test
    void without_header_the_model_is_ir_8_opset_17() {
        Model m = parse("g (float[2] x) => (float[2] y) { y = Relu (x) }");
        assertEquals(8, m.irVersion());
        assertEquals(Map.of("", 17L), m.opsets());
    }

    @Test
    void header_gives_ir_version_opsets_of_several_domains_and_producer() {
        Model m = parse("""
                <ir_version: 7, opset_import: ["" : 13, "com.microsoft" : 1, "com.acme" : 2],
                 producer_name: "pytorch", producer_version: "1.13", domain: "org.test", model_version: 3,
                 doc_string: "a \\"quoted\\" doc">
                g (float[2] x) => (float[2] y) { y = Relu (x) }
                """);
        assertEquals(7, m.irVersion());
        assertEquals(List.of("", "com.microsoft", "com.acme"), List.copyOf(m.opsets().keySet()));
        assertEquals(2L, m.opsetVersion("com.acme"));
        assertEquals("pytorch", m.producerName());
        assertEquals("1.13", m.producerVersion());
        assertEquals("org.test", m.domain());
        assertEquals(3, m.modelVersion());
        assertEquals("a \"quoted\" doc", m.docString());
    }

    // ---- signature and types -------------------------------------------------------------

    @Test
    void graph_name_inputs_and_outputs_with_their_types() {
        Model m = parse("conv_bn (float[N,3,8,8] x, int64[?] ids) => (float[N,4,8,8] y) { y = Relu (x) }");
        Graph g = m.graph();
        assertEquals("conv_bn", g.name());
        assertEquals(List.of("x", "ids"), g.inputs().stream().map(Port::name).toList());
        assertEquals(Types.tensor(DataType.FLOAT, List.of("N", 3, 8, 8)), g.inputs().get(0).declaration().getType());
        assertEquals("int64[?]", Types.describe(g.inputs().get(1).declaration().getType()));
        assertEquals(List.of("y"), g.outputs().stream().map(Port::name).toList());
        assertEquals("float32[N,4,8,8]", Types.describe(g.outputs().get(0).declaration().getType()));
    }

    @Test
    void dims_are_numbers_symbols_or_unknown_and_brackets_give_the_rank() {
        Graph g = parse("""
                g (float[] scalar, float unranked, float["batch size",?,3] mixed) => (float[] scalar) {}
                """).graph();
        assertEquals(List.of(), Types.shape(g.inputs().get(0).declaration().getType()));
        assertNull(Types.shape(g.inputs().get(1).declaration().getType()));
        assertEquals(List.of(Types.Dim.symbol("batch size"), Types.Dim.UNKNOWN, Types.Dim.of(3)),
                Types.shape(g.inputs().get(2).declaration().getType()));
    }

    @Test
    void every_dtype_name_reads_as_its_onnx_type() {
        Map<String, DataType> names = Map.ofEntries(Map.entry("float", DataType.FLOAT),
                Map.entry("float16", DataType.FLOAT16), Map.entry("bfloat16", DataType.BFLOAT16),
                Map.entry("double", DataType.DOUBLE), Map.entry("int8", DataType.INT8), Map.entry("uint8", DataType.UINT8),
                Map.entry("int16", DataType.INT16), Map.entry("int32", DataType.INT32), Map.entry("int64", DataType.INT64),
                Map.entry("bool", DataType.BOOL), Map.entry("uint64", DataType.UINT64), Map.entry("float32", DataType.FLOAT));
        names.forEach((name, type) -> {
            Graph g = parse("g (" + name + "[1] x) => (" + name + "[1] x) {}").graph();
            assertEquals(type.code(), Types.elemType(g.inputs().get(0).declaration().getType()), name);
        });
    }

    @Test
    void sequence_and_optional_types() {
        Graph g = parse("g (seq(float[2]) s, optional(int64[]) o) => (seq(float[2]) s) {}").graph();
        TypeProto seq = g.inputs().get(0).declaration().getType();
        assertTrue(seq.hasSequenceType());
        assertEquals(Types.tensor(DataType.FLOAT, 2), seq.getSequenceType().getElemType());
        assertEquals("optional(int64[])", Types.describe(g.inputs().get(1).declaration().getType()));
    }

    @Test
    void names_that_are_not_identifiers_are_strings_and_keywords_are_names() {
        Graph g = parse("""
                g (float[2] "input.1", float[2] random) => (float[2] "onnx::Relu_3") {
                  "onnx::Relu_3" = Add ("input.1", random)
                }
                """).graph();
        assertEquals(List.of("input.1", "random"), g.inputs().stream().map(Port::name).toList());
        assertEquals("onnx::Relu_3", g.outputs().get(0).name());
    }

    // ---- initializers --------------------------------------------------------------------

    @Test
    void literal_initializers_hold_their_values_in_row_major_order() {
        Graph g = parse("""
                g (float[2,2] x) => (float[2,2] y)
                <float[2,2] w = {0.1, -0.2, 3, 4e1}, int64[2] shape = {1, -1}, float[] s = {2.0},
                 bool[3] mask = {true, false, 1}, float16[2] h = {0.5, -inf}, uint8[1] u = {255}>
                { y = Mul (x, w) }
                """).graph();
        Map<String, Value> init = initializers(g);
        assertArrayEquals(new float[] {0.1f, -0.2f, 3f, 40f}, init.get("w").initializer().view().toFloatArray());
        assertArrayEquals(new long[] {2, 2}, init.get("w").initializer().dims());
        assertArrayEquals(new long[] {1, -1}, init.get("shape").initializer().view().toLongArray());
        assertEquals(DataType.INT64, init.get("shape").initializer().dataType());
        Tensor s = init.get("s").initializer();
        assertEquals(0, s.rank());
        assertEquals(2f, s.view().getFloat(0));
        assertArrayEquals(new long[] {1, 0, 1}, init.get("mask").initializer().view().toLongArray());
        assertArrayEquals(new float[] {0.5f, Float.NEGATIVE_INFINITY}, init.get("h").initializer().view().toFloatArray());
        assertEquals(255, init.get("u").initializer().view().getLong(0));
        assertTrue(init.get("w").isConstant());
    }

    @Test
    void zeros_ones_and_random_fill_the_shape() {
        Graph g = parse("""
                g (float[2] x) => (float[2] x)
                <float[3,4] z = zeros, int32[5] o = ones, float[1000] n = random, float[1000] u = random(2, 3),
                 int64[100] i = random(-3, 3), int8[1000] r = random>
                {}
                """).graph();
        Map<String, Value> init = initializers(g);
        assertArrayEquals(new float[12], init.get("z").initializer().view().toFloatArray());
        assertArrayEquals(new long[] {1, 1, 1, 1, 1}, init.get("o").initializer().view().toLongArray());
        float[] normal = init.get("n").initializer().view().toFloatArray();
        double mean = 0;
        double square = 0;
        for (float f : normal) {
            mean += f / 1000.0;
            square += f * f / 1000.0;
        }
        assertEquals(0, mean, 0.15, "standard normal: mean 0");
        assertEquals(1, square, 0.2, "standard normal: variance 1");
        for (float f : init.get("u").initializer().view().toFloatArray()) {
            assertTrue(f >= 2 && f < 3, f + " in [2, 3)");
        }
        boolean[] seen = new boolean[6];
        for (long v : init.get("i").initializer().view().toLongArray()) {
            assertTrue(v >= -3 && v < 3, v + " in [-3, 3)");
            seen[(int) v + 3] = true;
        }
        assertArrayEquals(new boolean[] {true, true, true, true, true, true}, seen, "every whole number is drawn");
        for (long v : init.get("r").initializer().view().toLongArray()) {
            assertTrue(v >= -8 && v < 8, v + " in [-8, 8)");
        }
    }

    @Test
    void random_data_depends_on_the_seed_and_the_tensor_name_only() {
        String text = "g (float[2] x) => (float[2] x) <float[8] a = random, float[8] b = random> {}";
        String reordered = "g (float[2] x) => (float[2] x) <float[8] c = random, float[8] b = random, float[8] a = random> {}";
        float[] a42 = data(GraphText.parse(text, "t", 42), "a");
        assertArrayEquals(a42, data(GraphText.parse(text, "t", 42), "a"), "same seed, same data");
        assertArrayEquals(a42, data(GraphText.parse(reordered, "t", 42), "a"), "other initializers do not matter");
        assertFalse(java.util.Arrays.equals(a42, data(GraphText.parse(text, "t", 43), "a")), "another seed, other data");
        assertFalse(java.util.Arrays.equals(a42, data(GraphText.parse(text, "t", 42), "b")), "another name, other data");
    }

    @Test
    void an_input_with_a_value_is_an_input_with_an_initializer() {
        Graph g = parse("g (float[2] x, float[2] bias = {1, 2}) => (float[2] y) { y = Add (x, bias) }").graph();
        Value bias = g.inputs().get(1).value();
        assertTrue(bias.isGraphInput());
        assertTrue(bias.isInitializer());
        assertFalse(bias.isConstant());
        assertEquals(List.of(g.inputs().get(0).value()), g.runtimeInputs());
    }

    // ---- nodes ---------------------------------------------------------------------------

    @Test
    void a_node_reads_its_inputs_and_defines_its_outputs() {
        Graph g = parse("""
                g (float[4] x) => (float[2] a, float[2] b) {
                  a, b = Split <axis = 0> (x)
                }
                """).graph();
        Node split = g.firstNode();
        assertEquals("Split", split.opType());
        assertEquals("", split.domain());
        assertEquals("", split.name());
        assertSame(g.inputs().get(0).value(), split.input(0));
        assertEquals(List.of("a", "b"), split.outputs().stream().map(Value::name).toList());
        assertSame(split, g.outputs().get(1).value().producer());
    }

    @Test
    void empty_slots_are_omitted_optional_inputs_and_outputs() {
        Node n = onlyNode("y, , mask = Dropout (x, , c)");
        assertEquals(3, n.inputCount());
        assertNull(n.input(1));
        assertEquals("c", n.input(2).name());
        assertEquals(3, n.outputCount());
        assertNull(n.output(1));
        assertEquals("mask", n.output(2).name());

        assertEquals(0, onlyNode("k = Constant <value = float[2] {1, 2}> () y = Add (x, k)").graph().firstNode().inputCount(),
                "`()` is no inputs");
    }

    @Test
    void node_names_are_optional_and_in_brackets() {
        Graph g = parse("g (float[2] x) => (float[2] y) { [relu1] t = Relu (x) [\"/act/Sigmoid\"] y = Sigmoid (t) }").graph();
        assertEquals(List.of("relu1", "/act/Sigmoid"), g.nodeList().stream().map(Node::name).toList());
    }

    @Test
    void a_dotted_prefix_is_the_domain_of_the_op() {
        Node n = onlyNode("y = com.microsoft.FusedConv (x)", "<opset_import: [\"\" : 17, \"com.microsoft\" : 1]>");
        assertEquals("FusedConv", n.opType());
        assertEquals("com.microsoft", n.domain());
        assertEquals("com.microsoft::FusedConv", n.qualifiedOpType());
    }

    @Test
    void comments_run_to_the_end_of_the_line() {
        Graph g = parse("""
                # a comment before everything
                g (float[2] x) => (float[2] y)  # the signature
                {
                  y = Relu (x)  # y = Sigmoid (x)
                  # t = Neg (y)
                }
                """).graph();
        assertEquals(1, g.nodeCount());
        assertEquals("Relu", g.firstNode().opType());
    }

    // ---- attributes ----------------------------------------------------------------------

    @Test
    void attributes_of_every_plain_type() {
        Node n = onlyNode("""
                y = Op <i = 3, neg = -2, f = 0.5, e = 1e-5, s = "constant", is = [1,2,3], fs = [1.0, -2.5],
                        ss = ["a", "b c"], fint: float = 1, none: ints = [], nof: floats = [], nos: strings = []> (x)
                """);
        Map<String, Attribute> a = n.attributes();
        assertEquals(List.of("i", "neg", "f", "e", "s", "is", "fs", "ss", "fint", "none", "nof", "nos"), List.copyOf(a.keySet()));
        assertEquals(AttributeType.INT, a.get("i").type());
        assertEquals(3, a.get("i").asInt());
        assertEquals(-2, a.get("neg").asInt());
        assertEquals(AttributeType.FLOAT, a.get("f").type());
        assertEquals(0.5f, a.get("f").asFloat());
        assertEquals(1e-5f, a.get("e").asFloat());
        assertEquals("constant", a.get("s").asString());
        assertEquals(List.of(1L, 2L, 3L), a.get("is").asInts());
        assertEquals(List.of(1.0f, -2.5f), a.get("fs").asFloats());
        assertEquals(AttributeType.STRINGS, a.get("ss").type());
        assertEquals("b c", a.get("ss").proto().getStrings(1).toStringUtf8());
        assertEquals(AttributeType.FLOAT, a.get("fint").type());
        assertEquals(1f, a.get("fint").asFloat());
        assertEquals(AttributeType.INTS, a.get("none").type());
        assertEquals(AttributeType.FLOATS, a.get("nof").type());
        assertEquals(AttributeType.STRINGS, a.get("nos").type());
    }

    @Test
    void a_tensor_attribute_is_a_type_and_data() {
        Node n = onlyNode("k = Constant <value = int64[2] {1, -1}> () y = Reshape (x, k)").graph().firstNode();
        Attribute value = n.attribute("value");
        assertEquals(AttributeType.TENSOR, value.type());
        Tensor t = Tensor.fromProto(value.asTensor());
        assertEquals(DataType.INT64, t.dataType());
        assertArrayEquals(new long[] {2}, t.dims());
        assertArrayEquals(new long[] {1, -1}, t.view().toLongArray());
    }

    @Test
    void a_graph_attribute_is_a_subgraph_that_reads_outer_values() {
        Model m = parse("""
                g (bool c, float[2] x) => (float[2] z)
                <float[2] one = {1, 1}>
                {
                  z = If <
                    then_branch = then_g () => (float[2] t) <float[2] two = {2, 2}> { t = Add (x, two) },
                    else_branch = else_g () => (float[2] x) {}
                  > (c)
                }
                """);
        Node iff = m.graph().firstNode();
        Graph then = iff.attribute("then_branch").graphs().get(0);
        assertEquals("then_g", then.name());
        assertSame(iff, then.owner());
        Node add = then.firstNode();
        assertSame(m.graph().inputs().get(1).value(), add.input(0), "reads x of the main graph");
        assertEquals("two", add.input(1).name());
        assertSame(then, add.input(1).graph());
        Graph otherwise = iff.attribute("else_branch").graphs().get(0);
        assertEquals(0, otherwise.nodeCount());
        assertSame(m.graph().inputs().get(1).value(), otherwise.outputs().get(0).value(), "returns the outer x as it is");
        assertEquals(List.of(m.graph().inputs().get(1).value()), List.copyOf(iff.implicitInputs()));
    }

    // ---- helpers -------------------------------------------------------------------------

    private static Map<String, Value> initializers(Graph g) {
        Map<String, Value> out = new java.util.HashMap<>();
        g.initializers().forEach(v -> out.put(v.name(), v));
        return out;
    }

    private static float[] data(Model m, String initializer) {
        return initializers(m.graph()).get(initializer).initializer().view().toFloatArray();
    }
}
