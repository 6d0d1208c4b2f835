package org.onnx2trt.dsl.ast;

import java.util.List;

/**
 * One rule: its doc comment (the algebra), metadata, the pattern to match, the checks a match must
 * pass, the constants it computes, and the rewrite.
 *
 * <p>A binding written with alternatives ({@code p = Pow(d, 2) | Mul(d, d)}) makes the pattern come
 * in several forms: {@code forms} holds every combination of the alternatives, each a full list of
 * bindings (at most {@value #MAX_FORMS}); {@code bindings} is the first. Checks, computes and the
 * rewrite are shared by all forms.
 */
public record RuleDecl(
        String name,
        List<String> doc,
        Metadata metadata,
        List<Binding> bindings,
        List<Check> checks,
        List<Assignment> computes,
        List<RewriteStatement> rewrites,
        Span span,
        List<List<Binding>> forms) {

    /** The most pattern forms a rule may have (the product of its bindings' alternatives). */
    public static final int MAX_FORMS = 16;

    public RuleDecl {
        doc = List.copyOf(doc);
        bindings = List.copyOf(bindings);
        checks = List.copyOf(checks);
        computes = List.copyOf(computes);
        rewrites = List.copyOf(rewrites);
        forms = forms == null || forms.isEmpty() ? List.of(bindings) : forms.stream().map(List::copyOf).toList();
    }

    /** A rule whose pattern has one form. */
    public RuleDecl(String name, List<String> doc, Metadata metadata, List<Binding> bindings, List<Check> checks,
                    List<Assignment> computes, List<RewriteStatement> rewrites, Span span) {
        this(name, doc, metadata, bindings, checks, computes, rewrites, span, null);
    }

    /** This rule with the pattern form {@code form} as its only one. */
    public RuleDecl form(int form) {
        List<Binding> chosen = forms.get(form);
        return new RuleDecl(name, doc, metadata, chosen, checks, computes, rewrites, span, List.of(chosen));
    }

    /** The binding of this name, or null. */
    public Binding binding(String name) {
        return bindings.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    }
}
