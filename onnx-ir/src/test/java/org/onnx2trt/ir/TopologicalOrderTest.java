package org.onnx2trt.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.tensor.DataType;

class TopologicalOrderTest {

    @Test
    void a_sorted_graph_keeps_its_order() {
        Graph g = Graph.create("g");
        Value x = input(g, "x");
        Node b = append(g, "b", x);
        Node a = append(g, "a", x); // independent of b: stays after it
        Node c = append(g, "c", a.output(0), b.output(0));
        Node d = append(g, "d", x);

        assertTrue(TopologicalOrder.isSorted(g));
        assertEquals(List.of(b, a, c, d), TopologicalOrder.sort(g));
    }

    @Test
    void a_reversed_chain_is_sorted_in_dataflow_order() {
        Graph g = Graph.create("g");
        List<Node> chain = chain(g, input(g, "x"), 4);
        for (Node n : reversed(chain)) {
            g.append(n);
        }

        assertFalse(TopologicalOrder.isSorted(g));
        assertEquals(chain, TopologicalOrder.sort(g));
        assertEquals(reversed(chain), g.nodeList(), "sort alone does not reorder the graph");

        TopologicalOrder.sortInPlace(g);
        assertEquals(chain, g.nodeList());
        assertTrue(TopologicalOrder.isSorted(g));
        assertEquals(4, g.nodeCount());
    }

    @Test
    void an_unsorted_graph_moves_only_what_it_must() {
        Graph g = Graph.create("g");
        Value x = input(g, "x");
        Node a = g.createNode("", "Relu", "a", List.of(x), List.of("a_out"));
        Node b = g.createNode("", "Relu", "b", List.of(a.output(0)), List.of("b_out"));
        Node c = g.createNode("", "Relu", "c", List.of(b.output(0)), List.of("c_out"));
        Node d = g.createNode("", "Relu", "d", List.of(x), List.of("d_out"));
        for (Node n : List.of(d, c, a, b)) {
            g.append(n);
        }
        assertEquals(List.of(d, a, b, c), TopologicalOrder.sort(g));
    }

    @Test
    void a_chain_of_200k_nodes_sorts_without_deep_recursion() {
        Graph g = Graph.create("g");
        List<Node> chain = chain(g, input(g, "x"), 200_000);
        for (Node n : reversed(chain)) {
            g.append(n); // the first node visited depends on all the others
        }

        List<Node> order = TopologicalOrder.sort(g);

        assertEquals(200_000, order.size());
        assertSame(chain.get(0), order.get(0));
        assertSame(chain.get(199_999), order.get(199_999));
        assertEquals(chain, order);
    }

    @Test
    void a_cycle_of_three_is_reported_with_exactly_its_nodes_in_dataflow_order() {
        Graph g = Graph.create("g");
        Value x = input(g, "x");
        Node a = g.createNode("", "Relu", "a", List.of(x), List.of("a_out"));
        Node b = g.createNode("", "Relu", "b", List.of(a.output(0)), List.of("b_out"));
        Node c = g.createNode("", "Relu", "c", List.of(b.output(0)), List.of("c_out"));
        a.setInput(0, c.output(0)); // a reads c: a -> b -> c -> a
        Node head = g.createNode("", "Relu", "head", List.of(x), List.of("head_out"));
        Node tail = g.createNode("", "Relu", "tail", List.of(c.output(0)), List.of("tail_out"));
        for (Node n : List.of(tail, head, a, b, c)) {
            g.append(n);
        }

        assertFalse(TopologicalOrder.isSorted(g));
        CycleException e = assertThrows(CycleException.class, () -> TopologicalOrder.sort(g));

        List<Node> cycle = e.cycle();
        assertEquals(3, cycle.size());
        assertEquals(List.of(a, b, c), rotateToStart(cycle, a), "dataflow order, from any node of the cycle");
        for (int i = 0; i < cycle.size(); i++) {
            Node reader = cycle.get((i + 1) % cycle.size());
            assertTrue(reader.inputs().contains(cycle.get(i).output(0)),
                    reader.name() + " reads the output of " + cycle.get(i).name());
        }
        assertTrue(e.getMessage().startsWith("cycle: `"), e.getMessage());
        assertEquals(4, e.getMessage().split(" → ").length, e.getMessage());
    }

    @Test
    void a_node_reading_its_own_output_is_a_cycle_of_one() {
        Graph g = Graph.create("g");
        Node a = append(g, "a", input(g, "x"));
        a.setInput(0, a.output(0));
        CycleException e = assertThrows(CycleException.class, () -> TopologicalOrder.sort(g));
        assertEquals(List.of(a), e.cycle());
        assertEquals("cycle: `a` (Relu) → `a` (Relu)", e.getMessage());
    }

    @Test
    void a_node_whose_subgraph_reads_an_outer_value_follows_its_producer() {
        Graph g = Graph.create("g");
        Value x = input(g, "x");
        Value cond = g.addInput("cond", Types.tensor(DataType.BOOL));
        Node producer = g.createNode("", "Relu", "producer", List.of(x), List.of("t"));
        Node ifNode = ifReading(g, cond, producer.output(0));
        g.append(ifNode);
        g.append(producer);

        assertFalse(TopologicalOrder.isSorted(g), "If reads `t` only through its subgraph");
        assertEquals(List.of(producer, ifNode), TopologicalOrder.sort(g));
    }

    @Test
    void a_node_whose_subgraph_reads_no_outer_node_output_keeps_its_place() {
        Graph g = Graph.create("g");
        Value x = input(g, "x");
        Value cond = g.addInput("cond", Types.tensor(DataType.BOOL));
        Node producer = g.createNode("", "Relu", "producer", List.of(x), List.of("t"));
        Node ifNode = ifReading(g, cond, x);
        g.append(ifNode);
        g.append(producer);

        assertTrue(TopologicalOrder.isSorted(g));
        assertEquals(List.of(ifNode, producer), TopologicalOrder.sort(g));
    }

    @Test
    void a_value_read_by_a_nested_subgraph_is_a_dependency_too() {
        Graph g = Graph.create("g");
        Value x = input(g, "x");
        Value cond = g.addInput("cond", Types.tensor(DataType.BOOL));
        Node producer = g.createNode("", "Relu", "producer", List.of(x), List.of("t"));
        Node outer = g.createNode("", "If", "outer", List.of(cond), List.of("y"));
        Graph then = g.newSubgraph(outer, "then_branch");
        Node inner = ifReading(then, cond, producer.output(0)); // reads `t` two levels down
        then.append(inner);
        then.addOutput(inner.output(0), null);
        outer.setAttribute(Attribute.ofGraph("then_branch", then));
        g.append(outer);
        g.append(producer);

        assertEquals(List.of(producer, outer), TopologicalOrder.sort(g));
    }

    // ---- helpers -------------------------------------------------------------------------

    private static Value input(Graph g, String name) {
        return g.addInput(name, Types.tensor(DataType.FLOAT, 2));
    }

    private static Node append(Graph g, String name, Value... inputs) {
        Node n = g.createNode("", "Relu", name, List.of(inputs), List.of(name + "_out"));
        g.append(n);
        return n;
    }

    /** Detached nodes n0 .. n(count-1), each reading the one before; n0 reads {@code start}. */
    private static List<Node> chain(Graph g, Value start, int count) {
        List<Node> nodes = new ArrayList<>(count);
        Value prev = start;
        for (int i = 0; i < count; i++) {
            Node n = g.createNode("", "Relu", "n" + i, List.of(prev), List.of("v" + i));
            nodes.add(n);
            prev = n.output(0);
        }
        return nodes;
    }

    /** A detached {@code If(cond)} whose then-branch is {@code Identity(read)}. */
    private static Node ifReading(Graph g, Value cond, Value read) {
        Node ifNode = g.createNode("", "If", g.freshName("if"), List.of(cond), List.of(g.freshName("if_out")));
        Graph then = g.newSubgraph(ifNode, "then_branch");
        Node body = then.addNode("Identity", List.of(read), List.of(g.freshName("then_out")));
        then.addOutput(body.output(0), null);
        ifNode.setAttribute(Attribute.ofGraph("then_branch", then));
        return ifNode;
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> out = new ArrayList<>(list);
        Collections.reverse(out);
        return out;
    }

    private static List<Node> rotateToStart(List<Node> cycle, Node start) {
        List<Node> out = new ArrayList<>(cycle);
        Collections.rotate(out, -out.indexOf(start));
        return out;
    }
}
