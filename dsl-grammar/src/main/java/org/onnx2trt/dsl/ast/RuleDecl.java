package org.onnx2trt.dsl.ast;

import java.util.List;

/**
 * One rule: its doc comment (the algebra), metadata, the pattern to match, the checks a match must
 * pass, the constants it computes, and the rewrite.
 */
public record RuleDecl(
        String name,
        List<String> doc,
        Metadata metadata,
        List<Binding> bindings,
        List<Check> checks,
        List<Assignment> computes,
        List<RewriteStatement> rewrites,
        Span span) {

    public RuleDecl {
        doc = List.copyOf(doc);
        bindings = List.copyOf(bindings);
        checks = List.copyOf(checks);
        computes = List.copyOf(computes);
        rewrites = List.copyOf(rewrites);
    }

    /** The binding of this name, or null. */
    public Binding binding(String name) {
        return bindings.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    }
}
