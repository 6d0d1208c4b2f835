package org.onnx2trt.ir;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a graph's nodes depend on each other in a cycle, so no topological order exists. */
public final class CycleException extends RuntimeException {
    private final transient List<Node> cycle;

    public CycleException(List<Node> cycle) {
        super("cycle: " + cycle.stream().map(Node::describe).collect(Collectors.joining(" → "))
                + " → " + cycle.get(0).describe());
        this.cycle = List.copyOf(cycle);
    }

    /** The nodes on the cycle, each reading an output of the one before (and the first of the last). */
    public List<Node> cycle() {
        return cycle;
    }
}
