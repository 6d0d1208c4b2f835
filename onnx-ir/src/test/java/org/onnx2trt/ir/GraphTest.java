package org.onnx2trt.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.AttributeProto.AttributeType;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.OperatorSetIdProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.DataType;

class GraphTest {

    // ---- use lists -----------------------------------------------------------------------

    @Test
    void set_input_moves_the_use_to_the_new_value() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 2);
        Value a = b.op("Relu", x).name("a").out();
        Node neg = b.op("Neg", x).name("neg").out().producer();

        neg.setInput(0, a);

        assertEquals(List.of(new Use(a.producer(), 0)), x.uses());
        assertEquals(List.of(new Use(neg, 0)), a.uses());
        assertSame(a, neg.input(0));

        neg.setInput(0, null); // an omitted optional input
        assertEquals(List.of(), a.uses());
        assertNull(neg.input(0));
        assertEquals(1, neg.inputCount());
    }

    @Test
    void a_value_read_twice_by_one_node_has_two_uses() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 2);
        Value y = b.input("y", DataType.FLOAT, 2);
        Node add = b.op("Add", x, x).name("add").out().producer();
        assertEquals(List.of(new Use(add, 0), new Use(add, 1)), x.uses());

        add.setInput(1, y);
        assertEquals(List.of(new Use(add, 0)), x.uses());
        assertEquals(List.of(new Use(add, 1)), y.uses());

        add.addInput(x);
        assertEquals(List.of(new Use(add, 0), new Use(add, 2)), x.uses());
        add.truncateInputs(1);
        assertEquals(List.of(new Use(add, 0)), x.uses());
        assertEquals(List.of(), y.uses());
    }

    @Test
    void add_input_defines_a_graph_input() {
        Graph g = Graph.create("g");
        Value x = g.addInput("x", Types.tensor(DataType.FLOAT, 1, 3));
        assertTrue(x.isGraphInput());
        assertTrue(x.isDefined());
        assertEquals(List.of("x"), g.inputs().stream().map(Port::name).toList());
        assertEquals(List.of(x), g.runtimeInputs());
        assertEquals("float32[1,3]", Types.describe(x.type()));

        var e = assertThrows(IllegalArgumentException.class, () -> g.addInput("x", Types.tensor(DataType.FLOAT)));
        assertEquals("input `x`: the name is taken", e.getMessage());
    }

    @Test
    void replace_all_uses_with_moves_every_use_including_those_in_subgraphs() {
        IfGraph f = ifGraph();
        Graph g = f.graph();
        Value u = f.builder().op("Abs", f.x()).name("abs").outputNames("u").out();
        Node sigmoid = f.builder().op("Sigmoid", f.t()).name("sigmoid").out().producer();
        g.addOutput(f.t(), null);

        g.replaceAllUsesWith(f.t(), u);

        assertEquals(List.of(), f.t().uses());
        assertEquals(Set.of(new Use(f.thenNode(), 0), new Use(f.elseNode(), 0), new Use(sigmoid, 0)), new HashSet<>(u.uses()));
        assertEquals(3, u.uses().size());
        assertSame(u, f.thenNode().input(0));
        assertSame(u, f.elseNode().input(0));
        assertEquals(Set.of(u), f.ifNode().implicitInputs());
        assertFalse(f.t().isGraphOutput());
        assertTrue(u.isGraphOutput());
        assertEquals(List.of("y", "u"), g.outputs().stream().map(Port::name).toList());

        g.remove(f.t().producer()); // nothing reads `t` any more
        GraphProto written = g.toProto();
        assertEquals("u", branch(written, "then_branch").getNode(0).getInput(0));
        assertEquals("u", branch(written, "else_branch").getNode(0).getInput(0));
    }

    @Test
    void replace_all_uses_with_redirects_a_subgraph_output_that_names_the_outer_value() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 2);
        Value cond = b.input("cond", DataType.BOOL);
        Value t = b.op("Relu", x).name("relu").outputNames("t").out();
        Value u = b.op("Abs", x).name("abs").outputNames("u").out();
        Graph g = b.graph();
        Node ifNode = g.createNode("", "If", "if1", List.of(cond), List.of("y"));
        Graph then = g.newSubgraph(ifNode, "then_branch");
        then.addOutput(t, null); // the branch returns the outer value as it is
        ifNode.setAttribute(Attribute.ofGraph("then_branch", then));
        g.append(ifNode);
        b.output(ifNode.output(0));
        assertEquals(List.of(then), t.subgraphOutputReaders());
        var refused = assertThrows(IllegalStateException.class, () -> g.remove(t.producer()));
        assertEquals("cannot remove `relu` (Relu): its output `t` is still used", refused.getMessage());

        g.replaceAllUsesWith(t, u);

        assertSame(u, then.outputs().get(0).value());
        assertEquals(Set.of(u), ifNode.implicitInputs());
        assertEquals(List.of(), t.subgraphOutputReaders());
        assertEquals(List.of(then), u.subgraphOutputReaders());
        g.remove(t.producer());
        ModelProto written = b.build().toProto();
        assertEquals("u", branch(written.getGraph(), "then_branch").getOutput(0).getName());

        Graph read = Model.fromProto(written).graph();
        Value readU = read.lookup("u");
        assertEquals(1, readU.subgraphOutputReaders().size(), "import registers the branch as a reader");
        assertThrows(IllegalStateException.class, () -> read.remove(readU.producer()));
    }

    // ---- node order ----------------------------------------------------------------------

    @Test
    void insert_before_and_after_keep_order_and_count() {
        Graph g = Graph.create("g");
        Value x = g.addInput("x", Types.tensor(DataType.FLOAT, 2));
        Node a = node(g, "a", x);
        g.append(a);
        Node c = node(g, "c", a.output(0));
        g.append(c);

        g.insertAfter(a, node(g, "b", x));
        g.insertBefore(a, node(g, "first", x));
        g.insertAfter(c, node(g, "last", x));
        g.insertBefore(c, node(g, "mid", x));

        assertEquals(List.of("first", "a", "b", "mid", "c", "last"), names(g));
        assertEquals(6, g.nodeCount());
        assertEquals("first", g.firstNode().name());
        assertEquals("last", g.lastNode().name());
        assertLinked(g);
    }

    @Test
    void unlink_takes_a_node_out_of_the_order_but_keeps_its_values() {
        Graph g = Graph.create("g");
        Value x = g.addInput("x", Types.tensor(DataType.FLOAT, 2));
        Node a = append(g, "a", x);
        Node b = append(g, "b", a.output(0));
        append(g, "c", x);

        g.unlink(a);
        assertEquals(List.of("b", "c"), names(g));
        assertEquals(2, g.nodeCount());
        assertFalse(a.isAttached());
        assertNull(a.prev());
        assertNull(a.next());
        assertEquals(List.of(new Use(a, 0)), x.uses().stream().filter(u -> u.user() == a).toList());
        assertEquals(List.of(new Use(b, 0)), a.output(0).uses());

        g.append(a); // moved to the end
        assertEquals(List.of("b", "c", "a"), names(g));
        assertLinked(g);

        g.unlink(g.lastNode());
        g.unlink(g.firstNode());
        g.unlink(g.firstNode());
        assertEquals(List.of(), names(g));
        assertNull(g.firstNode());
        assertNull(g.lastNode());
        assertEquals(0, g.nodeCount());
    }

    @Test
    void remove_drops_the_node_and_its_uses() {
        Graph g = Graph.create("g");
        Value x = g.addInput("x", Types.tensor(DataType.FLOAT, 2));
        Node a = append(g, "a", x);
        Node dead = append(g, "dead", x);
        Node c = append(g, "c", a.output(0));

        g.remove(dead);

        assertEquals(List.of("a", "c"), names(g));
        assertEquals(2, g.nodeCount());
        assertEquals(List.of(new Use(a, 0)), x.uses());
        assertNull(g.lookup("dead_out"));
        assertNull(dead.output(0).producer());
        assertFalse(dead.isAttached());
        assertLinked(g);
        g.remove(c);
        g.remove(a);
        assertEquals(0, g.nodeCount());
        assertEquals(List.of(), x.uses());
    }

    @Test
    void remove_refuses_a_node_whose_output_is_still_read() {
        Graph g = Graph.create("g");
        Value x = g.addInput("x", Types.tensor(DataType.FLOAT, 2));
        Node relu = g.addNode("Relu", List.of(x), List.of("r"));
        relu.setName("relu");
        g.addNode("Neg", List.of(relu.output(0)), List.of("n"));

        var e = assertThrows(IllegalStateException.class, () -> g.remove(relu));
        assertEquals("cannot remove `relu` (Relu): its output `r` is still used", e.getMessage());
        assertEquals(2, g.nodeCount());
        assertTrue(relu.isAttached());
        assertEquals(1, x.uses().size());
    }

    @Test
    void remove_refuses_a_node_whose_output_is_a_graph_output() {
        Graph g = Graph.create("g");
        Value x = g.addInput("x", Types.tensor(DataType.FLOAT, 2));
        Node relu = g.addNode("Relu", List.of(x), List.of("r"));
        relu.setName("relu");
        g.addOutput(relu.output(0), null);

        var e = assertThrows(IllegalStateException.class, () -> g.remove(relu));
        assertEquals("cannot remove `relu` (Relu): its output `r` is still used", e.getMessage());
        assertEquals(1, g.nodeCount());

        g.removeOutput(relu.output(0));
        g.remove(relu);
        assertEquals(0, g.nodeCount());
    }

    @Test
    void misplaced_nodes_are_refused() {
        Graph g = Graph.create("g");
        Value x = g.addInput("x", Types.tensor(DataType.FLOAT, 2));
        Node a = append(g, "a", x);
        Node loose = node(g, "loose", x);
        Node foreign = node(Graph.create("other"), "foreign");

        assertEquals("`a` (Relu) is already in the graph",
                assertThrows(IllegalStateException.class, () -> g.insertBefore(a, a)).getMessage());
        assertEquals("`loose` (Relu) is not in graph `g`",
                assertThrows(IllegalArgumentException.class, () -> g.insertAfter(loose, node(g, "n", x))).getMessage());
        assertEquals("`loose` (Relu) is not in graph `g`",
                assertThrows(IllegalArgumentException.class, () -> g.remove(loose)).getMessage());
        assertEquals("`foreign` (Relu) belongs to another graph",
                assertThrows(IllegalArgumentException.class, () -> g.append(foreign)).getMessage());
        assertEquals(List.of("a"), names(g));
    }

    @Test
    void removing_the_current_node_while_iterating_visits_every_node() {
        Graph g = Graph.create("g");
        Value x = g.addInput("x", Types.tensor(DataType.FLOAT, 2));
        append(g, "dead1", x);
        Node a = append(g, "a", x);
        append(g, "dead2", x);
        append(g, "dead3", x);
        Node b = append(g, "b", a.output(0));
        append(g, "dead4", x);
        g.addOutput(b.output(0), null);

        List<String> visited = new ArrayList<>();
        for (Node n : g.nodes()) {
            visited.add(n.name());
            if (n.name().startsWith("dead")) {
                g.remove(n);
            }
        }

        assertEquals(List.of("dead1", "a", "dead2", "dead3", "b", "dead4"), visited);
        assertEquals(List.of("a", "b"), names(g));
        assertEquals(2, g.nodeCount());
        assertEquals(List.of(new Use(a, 0)), x.uses());
        assertLinked(g);
    }

    // ---- names ---------------------------------------------------------------------------

    @Test
    void fresh_name_avoids_names_of_every_graph_of_the_model() {
        IfGraph f = ifGraph();
        Graph g = f.graph();
        Graph then = f.thenNode().graph();
        assertEquals("fresh", g.freshName("fresh"));
        assertEquals("x_1", g.freshName("x"));
        assertEquals("then_out_1", g.freshName("then_out"), "a value of a subgraph");
        assertEquals("t_1", then.freshName("t"), "a value of the enclosing graph");
        assertEquals("else_out_1", then.freshName("else_out"), "a value of a sibling subgraph");

        g.newSubgraph(f.ifNode(), "more").addNode("Relu", List.of(f.x()), List.of("then_out_1"));
        assertEquals("then_out_2", g.freshName("then_out"));
    }

    @Test
    void fresh_name_avoids_names_of_an_imported_model() {
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addNode(NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("inner"))
                .addOutput(ValueInfoProto.newBuilder().setName("inner"))
                .build();
        GraphProto main = GraphProto.newBuilder().setName("g")
                .addInput(ValueInfoProto.newBuilder().setName("x"))
                .addInput(ValueInfoProto.newBuilder().setName("cond"))
                .addInitializer(floatTensor("w", 1f, 2f))
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("x").addInput("w").addOutput("y"))
                .addNode(NodeProto.newBuilder().setOpType("If").setName("if1").addInput("cond").addOutput("z")
                        .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeType.GRAPH).setG(body))
                        .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeType.GRAPH).setG(body)))
                .addOutput(ValueInfoProto.newBuilder().setName("z"))
                .addValueInfo(ValueInfoProto.newBuilder().setName("declared_only"))
                .build();
        Graph g = Model.fromProto(model(main)).graph();
        for (String taken : List.of("x", "cond", "w", "y", "z", "inner", "declared_only")) {
            assertEquals(taken + "_1", g.freshName(taken));
        }
        assertEquals("if1", g.freshName("if1"), "node names are not value names");
    }

    @Test
    void rename_updates_the_initializer_and_every_place_it_is_written() {
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addNode(NodeProto.newBuilder().setOpType("Identity").addInput("w").addOutput("inner"))
                .addOutput(ValueInfoProto.newBuilder().setName("inner"))
                .build();
        GraphProto main = GraphProto.newBuilder().setName("g")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(Types.tensor(DataType.FLOAT, 2)))
                .addInput(ValueInfoProto.newBuilder().setName("cond").setType(Types.tensor(DataType.BOOL)))
                .addInput(ValueInfoProto.newBuilder().setName("w").setType(Types.tensor(DataType.FLOAT, 2)))
                .addInitializer(floatTensor("w", 1f, 2f))
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("x").addInput("w").addOutput("y"))
                .addNode(NodeProto.newBuilder().setOpType("If").setName("if1").addInput("cond").addOutput("z")
                        .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeType.GRAPH).setG(body))
                        .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeType.GRAPH).setG(body)))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(Types.tensor(DataType.FLOAT, 2)))
                .addOutput(ValueInfoProto.newBuilder().setName("z").setType(Types.tensor(DataType.FLOAT, 2)))
                .addValueInfo(ValueInfoProto.newBuilder().setName("w").setType(Types.tensor(DataType.FLOAT, 2)))
                .build();
        Model model = Model.fromProto(model(main));
        Value w = model.graph().lookup("w");

        w.rename("weight");

        assertEquals("weight", w.name());
        assertEquals("weight", w.initializer().name());
        assertNull(model.graph().lookup("w"));
        assertSame(w, model.graph().lookup("weight"));
        GraphProto written = model.toProto().getGraph();
        TensorProto init = written.getInitializer(0);
        assertEquals("weight", init.getName());
        assertEquals(main.getInitializer(0).getRawData(), init.getRawData());
        assertEquals(List.of("x", "cond", "weight"), written.getInputList().stream().map(ValueInfoProto::getName).toList());
        assertEquals(List.of("x", "weight"), written.getNode(0).getInputList());
        assertEquals("weight", written.getValueInfo(0).getName());
        assertEquals("weight", written.getNode(1).getAttribute(0).getG().getNode(0).getInput(0));
        assertEquals("weight", written.getNode(1).getAttribute(1).getG().getNode(0).getInput(0));
        assertEquals(List.of(), GraphValidator.validate(Model.fromProto(model.toProto())));
        assertEquals("weight_1", model.graph().freshName("weight"));
    }

    @Test
    void rename_refuses_a_taken_name() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 2);
        Value w = b.floats("w", 1f, 2f);
        var e = assertThrows(IllegalArgumentException.class, () -> w.rename("x"));
        assertEquals("cannot rename `w` to `x`: the name is taken", e.getMessage());
        assertEquals("w", w.name());
        assertSame(x, b.graph().lookup("x"));

        w.rename("bias");
        assertEquals("bias", b.build().toProto().getGraph().getInitializer(0).getName());
    }

    // ---- writing -------------------------------------------------------------------------

    @Test
    void a_built_model_survives_reading_back_its_proto() throws InvalidProtocolBufferException {
        ModelProto written = SampleModels.classifier().toProto();
        assertEquals(written, Model.fromProto(written).toProto());
        ModelProto parsed = ModelProto.parseFrom(written.toByteArray());
        assertEquals(written, Model.fromProto(parsed).toProto());
        assertEquals(11, written.getGraph().getNodeCount());
        assertEquals(12, written.getGraph().getInitializerCount());
    }

    @Test
    void a_built_model_with_subgraphs_survives_reading_back_its_proto() {
        ModelProto written = ifGraph().builder().build().toProto();
        assertEquals(written, Model.fromProto(written).toProto());
        assertEquals("Identity", branch(written.getGraph(), "then_branch").getNode(0).getOpType());
        assertEquals("t", branch(written.getGraph(), "else_branch").getNode(0).getInput(0));
    }

    // ---- helpers -------------------------------------------------------------------------

    /** Graph `g`: inputs x, cond; t = Relu(x); y = If(cond) whose branches read `t` from outside. */
    record IfGraph(GraphBuilder builder, Value x, Value t, Node ifNode, Node thenNode, Node elseNode) {
        Graph graph() {
            return builder.graph();
        }
    }

    static IfGraph ifGraph() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 2);
        Value cond = b.input("cond", DataType.BOOL);
        Value t = b.op("Relu", x).name("relu").outputNames("t").out();
        Graph g = b.graph();
        Node ifNode = g.createNode("", "If", "if1", List.of(cond), List.of("y"));
        Node thenNode = addBranch(ifNode, "then_branch", "Identity", t, "then_out");
        Node elseNode = addBranch(ifNode, "else_branch", "Neg", t, "else_out");
        g.append(ifNode);
        b.output(ifNode.output(0), DataType.FLOAT, 2);
        return new IfGraph(b, x, t, ifNode, thenNode, elseNode);
    }

    private static Node addBranch(Node owner, String attribute, String opType, Value read, String output) {
        Graph body = owner.graph().newSubgraph(owner, attribute);
        Node n = body.addNode(opType, List.of(read), List.of(output));
        body.addOutput(n.output(0), Types.tensor(DataType.FLOAT, 2));
        owner.setAttribute(Attribute.ofGraph(attribute, body));
        return n;
    }

    private static GraphProto branch(GraphProto g, String attribute) {
        for (NodeProto n : g.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals(attribute)) {
                    return a.getG();
                }
            }
        }
        throw new AssertionError("no attribute " + attribute);
    }

    /** A detached Relu named {@code name} with output {@code <name>_out}. */
    private static Node node(Graph g, String name, Value... inputs) {
        return g.createNode("", "Relu", name, List.of(inputs), List.of(name + "_out"));
    }

    private static Node append(Graph g, String name, Value... inputs) {
        Node n = node(g, name, inputs);
        g.append(n);
        return n;
    }

    private static List<String> names(Graph g) {
        return g.nodeList().stream().map(Node::name).toList();
    }

    /** The prev and next links agree with each other and with first, last and the count. */
    private static void assertLinked(Graph g) {
        Node prev = null;
        int count = 0;
        for (Node n = g.firstNode(); n != null; n = n.next()) {
            assertSame(prev, n.prev(), "prev of " + n.name());
            assertTrue(n.isAttached());
            prev = n;
            count++;
        }
        assertSame(prev, g.lastNode());
        assertEquals(g.nodeCount(), count);
    }

    private static TensorProto floatTensor(String name, float... values) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.code()).addDims(values.length)
                .setRawData(ByteString.copyFrom(raw.flip())).build();
    }

    private static ModelProto model(GraphProto graph) {
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build();
    }
}
