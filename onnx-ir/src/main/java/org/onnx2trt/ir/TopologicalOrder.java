package org.onnx2trt.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Topological order of a graph's nodes. A node depends on the producers of its inputs and of the
 * outer values its subgraphs read. The sort is a depth-first search in the graph's current order,
 * so an already sorted graph keeps its order; it is iterative, so long chains do not overflow.
 */
public final class TopologicalOrder {
    private TopologicalOrder() {}

    /** Whether every node comes after the producers it depends on. */
    public static boolean isSorted(Graph g) {
        Map<Node, Boolean> seen = new IdentityHashMap<>(g.nodeCount() * 2);
        for (Node n : g.nodes()) { // asked after every pass: no list of dependencies per node
            for (int i = 0; i < n.inputCount(); i++) {
                if (!producedBefore(g, n.input(i), seen)) {
                    return false;
                }
            }
            for (Value v : n.implicitInputs()) { // Set.of() without subgraphs
                if (!producedBefore(g, v, seen)) {
                    return false;
                }
            }
            seen.put(n, true);
        }
        return true;
    }

    /** Whether {@code v} is made outside {@code g}'s nodes, or by a node already {@code seen}. */
    private static boolean producedBefore(Graph g, Value v, Map<Node, Boolean> seen) {
        Node p = v == null ? null : v.producer();
        return p == null || p.graph() != g || !p.isAttached() || seen.containsKey(p);
    }

    /**
     * The nodes in an order where each follows its dependencies, as close to the current order as
     * that allows.
     *
     * @throws CycleException naming the nodes of one cycle when there is no such order
     */
    public static List<Node> sort(Graph g) {
        Map<Node, Integer> state = new IdentityHashMap<>(g.nodeCount() * 2); // absent: new, 1: open, 2: done
        List<Node> order = new ArrayList<>(g.nodeCount());
        Deque<Frame> stack = new ArrayDeque<>();
        for (Node root : g.nodes()) {
            if (state.containsKey(root)) {
                continue;
            }
            state.put(root, 1);
            stack.push(new Frame(root, dependencies(g, root)));
            while (!stack.isEmpty()) {
                Frame top = stack.peek();
                if (top.next < top.deps.size()) {
                    Node dep = top.deps.get(top.next++);
                    Integer s = state.get(dep);
                    if (s == null) {
                        state.put(dep, 1);
                        stack.push(new Frame(dep, dependencies(g, dep)));
                    } else if (s == 1) {
                        throw new CycleException(cycleFrom(stack, dep));
                    }
                } else {
                    stack.pop();
                    state.put(top.node, 2);
                    order.add(top.node);
                }
            }
        }
        return order;
    }

    /** Reorders the graph's node list topologically (see {@link #sort}). */
    public static void sortInPlace(Graph g) {
        List<Node> order = sort(g);
        for (Node n : order) {
            g.unlink(n);
            g.append(n);
        }
    }

    /** The nodes of graph {@code g} that {@code n} depends on (may repeat). */
    static List<Node> dependencies(Graph g, Node n) {
        List<Node> deps = new ArrayList<>(n.inputCount());
        for (Value v : n.inputs()) {
            addProducer(g, v, deps);
        }
        for (Value v : n.implicitInputs()) {
            addProducer(g, v, deps);
        }
        return deps;
    }

    private static void addProducer(Graph g, Value v, List<Node> deps) {
        if (v != null && v.producer() != null && v.producer().graph() == g && v.producer().isAttached()) {
            deps.add(v.producer());
        }
    }

    /**
     * The open frames from {@code start} up to the top of the stack, in dataflow order beginning at
     * {@code start} (the node reached first, so the earliest in the graph's order).
     */
    private static List<Node> cycleFrom(Deque<Frame> stack, Node start) {
        List<Node> cycle = new ArrayList<>();
        cycle.add(start);
        for (Frame f : stack) { // top first: each frame reads the output of the one above it
            if (f.node == start) {
                break;
            }
            cycle.add(f.node);
        }
        return cycle;
    }

    private static final class Frame {
        final Node node;
        final List<Node> deps;
        int next;

        Frame(Node node, List<Node> deps) {
            this.node = node;
            this.deps = deps;
        }
    }
}
