package org.onnx2trt.dsl.ast;

import java.util.List;

/** A line of a rule's {@code rewrite} section. */
public sealed interface RewriteStatement {
    Span span();

    /** {@code let t = Transpose(x) { perm: [1, 0] }}: a new node used by later lines. */
    record Let(String name, Construct value, Span span) implements RewriteStatement {}

    /**
     * {@code bn -> Conv(...)}: the outputs of matched nodes {@code targets}, in order, are replaced
     * by the outputs of {@code value}; readers of the old outputs read the new ones.
     */
    record Replace(List<String> targets, Construct value, Span span) implements RewriteStatement {
        public Replace {
            targets = List.copyOf(targets);
        }
    }
}
