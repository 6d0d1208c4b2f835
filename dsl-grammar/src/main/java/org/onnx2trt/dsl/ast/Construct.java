package org.onnx2trt.dsl.ast;

import java.util.List;

/** A value built by a rewrite: a new node, or an existing value. */
public sealed interface Construct {
    Span span();

    /**
     * {@code Conv(x, w2, b2) { ...conv, group: 1 } outputs 2}. A null argument is an omitted
     * optional input ({@code none}).
     */
    record Op(OpRef op, List<Construct> args, List<AttrSet> attrs, int outputs, Span span) implements Construct {
        public Op {
            args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
            attrs = List.copyOf(attrs);
        }
    }

    /** A name: a captured value, a computed constant, a {@code let}, or a binding's output. */
    record Value(String name, Span span) implements Construct {}
}
