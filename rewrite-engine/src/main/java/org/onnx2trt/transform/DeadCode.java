package org.onnx2trt.transform;

import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;

/**
 * Removes what no graph output depends on: nodes none of whose outputs is read (onnxoptimizer's
 * {@code eliminate_deadend}) and initializers nothing reads ({@code eliminate_unused_initializer}),
 * in the graph and in every If/Loop/Scan body that survives.
 *
 * <p>Kept on purpose: graph outputs, values a subgraph returns as they are, and initializers that are
 * also graph inputs (they are part of the model's interface; a caller may feed them).
 */
public final class DeadCode {

    /** What one sweep removed, over the graph and its subgraphs. */
    public record Removed(int nodes, int initializers) {
        public Removed plus(Removed o) {
            return new Removed(nodes + o.nodes, initializers + o.initializers);
        }

        public boolean isEmpty() {
            return nodes == 0 && initializers == 0;
        }
    }

    private DeadCode() {}

    /** Sweeps {@code graph} and its subgraphs; one call reaches the fixpoint. */
    public static Removed sweep(Graph graph) {
        int nodes = 0;
        // Walking backwards, a node's readers come before it, so one pass removes whole dead chains.
        for (Node n = graph.lastNode(); n != null; ) {
            Node before = n.prev();
            if (isDead(n)) {
                graph.remove(n);
                nodes++;
            }
            n = before;
        }
        Removed removed = new Removed(nodes, 0);
        for (Node n : graph.nodes()) {
            for (Graph sub : n.subgraphs()) {
                removed = removed.plus(sweep(sub));
            }
        }
        // After the subgraphs: a body that lost a node may have stopped reading an outer initializer.
        List<Value> unused = new ArrayList<>();
        for (Value v : graph.initializers()) {
            if (!isRead(v) && !v.isGraphInput()) {
                unused.add(v);
            }
        }
        unused.forEach(graph::removeInitializer);
        return removed.plus(new Removed(0, unused.size()));
    }

    private static boolean isDead(Node n) {
        for (Value out : n.outputs()) {
            if (out != null && isRead(out)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRead(Value v) {
        return !v.uses().isEmpty() || v.isGraphOutput() || !v.subgraphOutputReaders().isEmpty();
    }
}
