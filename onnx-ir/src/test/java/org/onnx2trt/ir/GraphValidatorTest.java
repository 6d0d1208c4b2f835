package org.onnx2trt.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.AttributeProto.AttributeType;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.OperatorSetIdProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.DataType;

/**
 * Each corrupt graph is written as protos, as a reader would meet it, and the validator's findings
 * are pinned as text ({@code severity: graph `path`: message}): the messages are what users read.
 */
class GraphValidatorTest {

    static Stream<Arguments> corruptGraphs() {
        return Stream.of(
                Arguments.of("two nodes produce the same value",
                        graph(node("a", "Relu", "x", "y"), node("b", "Neg", "x", "y")),
                        List.of("error: graph `g`: `y` is defined twice: by node `a` (Relu) and by node `b` (Neg);"
                                + " rename one of them")),
                Arguments.of("a node output shadows an initializer",
                        graph(node("a", "Add", "x", "w", "y"), node("c", "Relu", "x", "w"))
                                .addInitializer(floats("w", 16, 4)),
                        List.of("error: graph `g`: `w` is defined twice: by an initializer and by node `c` (Relu);"
                                + " rename one of them")),
                Arguments.of("a node reads an undefined value",
                        graph(node("a", "Add", "x", "ghost", "y")),
                        List.of("error: graph `g`: node `a` (Add) reads `ghost`, which no node, graph input or"
                                + " initializer defines")),
                Arguments.of("a graph output is undefined",
                        graph(node("a", "Relu", "x", "y")).addOutput(tensor("z", DataType.FLOAT, 4)),
                        List.of("error: graph `g`: graph output `z` is not computed by any node and is neither a"
                                + " graph input nor an initializer")),
                Arguments.of("a cycle",
                        graph(node("a", "Relu", "c_out", "a_out"), node("b", "Relu", "a_out", "b_out"),
                                node("c", "Relu", "b_out", "c_out"), node("out", "Identity", "c_out", "y")),
                        List.of("error: graph `g`: cycle: `a` (Relu) → `b` (Relu) → `c` (Relu) → `a` (Relu);"
                                + " a graph must be acyclic")),
                Arguments.of("nodes out of order",
                        graph(node("out", "Identity", "a_out", "y"), node("a", "Relu", "x", "a_out")),
                        List.of("warning: graph `g`: nodes are not in topological order (TensorRT's parser needs"
                                + " them sorted; `onnx2trt convert --sort` sorts them)")),
                Arguments.of("an initializer with too little raw data",
                        graph(node("a", "Add", "x", "w", "y")).addInitializer(floats("w", 8, 4)),
                        List.of("error: graph `g`: initializer `w` holds 8 bytes, but float32[4] needs 16")),
                Arguments.of("an initializer with no data",
                        graph(node("a", "Add", "x", "w", "y")).addInitializer(
                                TensorProto.newBuilder().setName("w").setDataType(DataType.FLOAT.code()).addDims(4)),
                        List.of("error: graph `g`: initializer `w` has no data: float32[4] needs 16 bytes")),
                Arguments.of("an initializer of an unknown data type",
                        graph(node("a", "Add", "x", "w", "y")).addInitializer(
                                floats("w", 16, 4).toBuilder().setDataType(99)),
                        List.of("error: graph `g`: initializer `w` has data type dtype(99), which ONNX does not"
                                + " define")),
                Arguments.of("an initializer whose graph input declares another type",
                        graph(node("a", "Add", "x", "w", "y")).addInitializer(floats("w", 16, 4))
                                .addInput(tensor("w", DataType.FLOAT16, 4)),
                        List.of("error: graph `g`: initializer `w` holds float32 data, but its graph input declares"
                                + " float16")),
                Arguments.of("an initializer whose value_info declares another type",
                        graph(node("a", "Add", "x", "w", "y")).addInitializer(floats("w", 16, 4))
                                .addValueInfo(tensor("w", DataType.INT64, 4)),
                        List.of("error: graph `g`: initializer `w` holds float32 data, but its value_info declares"
                                + " int64")),
                Arguments.of("an initializer whose graph input declares another shape",
                        graph(node("a", "Add", "x", "w", "y")).addInitializer(floats("w", 16, 4))
                                .addInput(tensor("w", DataType.FLOAT, 2, 2)),
                        List.of("error: graph `g`: initializer `w` has shape [4], but its graph input declares"
                                + " float32[2,2]")),
                Arguments.of("an initializer whose value_info declares another rank",
                        graph(node("a", "Add", "x", "w", "y")).addInitializer(floats("w", 16, 4))
                                .addValueInfo(tensor("w", DataType.FLOAT, 4, 1)),
                        List.of("error: graph `g`: initializer `w` has shape [4], but its value_info declares"
                                + " float32[4,1]")),
                Arguments.of("a Constant whose tensor has too little data",
                        graph(constant("const", "c", floats("", 4, 2)), node("a", "Add", "x", "c", "y")),
                        List.of("error: graph `g`: attribute `value` of node `const` (Constant): tensor holds 4 bytes,"
                                + " but float32[2] needs 8")),
                Arguments.of("a problem inside a subgraph",
                        graph(ifNode("if1", branch(node("t", "Identity", "ghost", "then_out"), "then_out"),
                                branch(node("e", "Identity", "x", "else_out"), "else_out"))),
                        List.of("error: graph `g/if1.then_branch`: node `t` (Identity) reads `ghost`, which no node,"
                                + " graph input or initializer defines")),
                Arguments.of("a problem inside a subgraph of an unnamed main graph and an unnamed node",
                        graph(ifNode("", branch(node("t", "Identity", "x", "then_out"), "then_out"),
                                branch(node("e", "Identity", "x", "else_out"), "ghost_out"))).setName(""),
                        List.of("error: graph `main/If.else_branch`: graph output `ghost_out` is not computed by any"
                                + " node and is neither a graph input nor an initializer")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptGraphs")
    void reports_each_corruption_with_its_message(String what, GraphProto.Builder graph, List<String> expected) {
        assertEquals(expected, messages(graph));
    }

    static Stream<Arguments> sound() {
        return Stream.of(
                Arguments.of("an initializer with typed data",
                        graph(node("a", "Add", "x", "w", "y")).addInitializer(TensorProto.newBuilder().setName("w")
                                .setDataType(DataType.FLOAT.code()).addDims(2).addFloatData(1f).addFloatData(2f))),
                Arguments.of("an initializer whose graph input has a symbolic dim",
                        graph(node("a", "Add", "x", "w", "y")).addInitializer(floats("w", 16, 4))
                                .addInput(ValueInfoProto.newBuilder().setName("w").setType(
                                        Types.tensor(DataType.FLOAT, List.of("n"))))),
                Arguments.of("an initializer whose graph input agrees",
                        graph(node("a", "Add", "x", "w", "y")).addInitializer(floats("w", 16, 4))
                                .addInput(tensor("w", DataType.FLOAT, 4))),
                Arguments.of("a Constant with enough data",
                        graph(constant("const", "c", floats("", 8, 2)), node("a", "Add", "x", "c", "y"))),
                Arguments.of("a subgraph reading an outer value",
                        graph(ifNode("if1", branch(node("t", "Identity", "x", "then_out"), "then_out"),
                                branch(node("e", "Identity", "x", "else_out"), "x")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sound")
    void finds_nothing_wrong_with_the_sound_sibling(String what, GraphProto.Builder graph) {
        assertEquals(List.of(), messages(graph));
    }

    @Test
    void the_sample_model_has_no_problems() {
        Model model = SampleModels.classifier();
        assertEquals(List.of(), GraphValidator.validate(model));
        assertEquals(List.of(), GraphValidator.validate(Model.fromProto(model.toProto())));
    }

    @Test
    void a_cycle_is_an_error_but_mere_disorder_only_a_warning() {
        Model cyclic = model(graph(node("a", "Relu", "b_out", "a_out"), node("b", "Relu", "a_out", "b_out"),
                node("out", "Identity", "b_out", "y")));
        Model unsorted = model(graph(node("out", "Identity", "a_out", "y"), node("a", "Relu", "x", "a_out")));

        assertEquals(1, GraphValidator.errors(cyclic).size());
        assertEquals(List.of(), GraphValidator.errors(unsorted));
        Problem warning = GraphValidator.validate(unsorted).get(0);
        assertEquals(Problem.Severity.WARNING, warning.severity());
    }

    @Test
    void a_problem_names_its_node_and_graph_path() {
        Model model = model(graph(ifNode("if1", branch(node("t", "Identity", "ghost", "then_out"), "then_out"),
                branch(node("e", "Identity", "x", "else_out"), "else_out"))));
        Problem p = GraphValidator.validate(model).get(0);

        Node ifNode = model.graph().firstNode();
        Graph then = ifNode.attribute("then_branch").graphs().get(0);
        assertSame(then.firstNode(), p.node());
        assertEquals("g/if1.then_branch", p.graph());
        assertTrue(p.isError());
    }

    // ---- protos --------------------------------------------------------------------------

    /** Graph `g` with input `x` (float32[4]), output `y` (float32[4]) and the given nodes. */
    private static GraphProto.Builder graph(NodeProto... nodes) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g")
                .addInput(tensor("x", DataType.FLOAT, 4))
                .addOutput(tensor("y", DataType.FLOAT, 4));
        for (NodeProto n : nodes) {
            g.addNode(n);
        }
        return g;
    }

    /** A node; the last name is the output, the others the inputs. */
    private static NodeProto node(String name, String opType, String... names) {
        NodeProto.Builder n = NodeProto.newBuilder().setName(name).setOpType(opType);
        for (int i = 0; i < names.length - 1; i++) {
            n.addInput(names[i]);
        }
        return n.addOutput(names[names.length - 1]).build();
    }

    private static NodeProto constant(String name, String output, TensorProto value) {
        return NodeProto.newBuilder().setName(name).setOpType("Constant").addOutput(output)
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeType.TENSOR).setT(value))
                .build();
    }

    /** {@code If(x)} with two branches, producing {@code y}. */
    private static NodeProto ifNode(String name, GraphProto thenBranch, GraphProto elseBranch) {
        return NodeProto.newBuilder().setName(name).setOpType("If").addInput("x").addOutput("y")
                .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeType.GRAPH).setG(thenBranch))
                .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeType.GRAPH).setG(elseBranch))
                .build();
    }

    private static GraphProto branch(NodeProto node, String output) {
        return GraphProto.newBuilder().setName("branch").addNode(node)
                .addOutput(tensor(output, DataType.FLOAT, 4)).build();
    }

    /** A float32 tensor of shape {@code dims} whose raw_data holds {@code rawBytes} bytes. */
    private static TensorProto floats(String name, int rawBytes, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.code())
                .setRawData(ByteString.copyFrom(new byte[rawBytes]));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static ValueInfoProto tensor(String name, DataType type, long... dims) {
        TypeProto t = Types.tensor(type, dims);
        return ValueInfoProto.newBuilder().setName(name).setType(t).build();
    }

    private static Model model(GraphProto.Builder graph) {
        return Model.fromProto(ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build());
    }

    private static List<String> messages(GraphProto.Builder graph) {
        return GraphValidator.validate(model(graph)).stream().map(Problem::toString).toList();
    }
}
