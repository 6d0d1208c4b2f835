package org.onnx2trt.ir;

/**
 * One finding of the {@link GraphValidator}.
 *
 * @param severity errors make a model invalid; warnings are legal but risky (e.g. unsorted nodes)
 * @param graph the graph's path: {@code main}, or {@code main/loop1.body} for a subgraph
 * @param node the node concerned, or null for graph-level findings
 * @param message lower-case text naming values and nodes in backticks
 */
public record Problem(Severity severity, String graph, Node node, String message) {

    public enum Severity { ERROR, WARNING }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return (severity == Severity.ERROR ? "error" : "warning") + ": graph `" + graph + "`: " + message;
    }
}
