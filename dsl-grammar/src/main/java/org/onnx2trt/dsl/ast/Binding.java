package org.onnx2trt.dsl.ast;

import java.util.List;

/**
 * A matched node: {@code conv = Conv|ConvTranspose(x, w, b?) { group: g }}. The name stands for the
 * node and for its (first) output; an argument naming another binding is an edge of the pattern DAG.
 */
public record Binding(String name, List<OpRef> ops, List<PatternArg> args, List<AttrPattern> attrs, Span span) {
    public Binding {
        ops = List.copyOf(ops);
        args = List.copyOf(args);
        attrs = List.copyOf(attrs);
    }
}
