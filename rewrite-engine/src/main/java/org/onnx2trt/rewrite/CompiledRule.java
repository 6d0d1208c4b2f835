package org.onnx2trt.rewrite;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.rewrite.match.Pattern;

/**
 * A checked rule ready to run: its declaration and its compiled pattern, one per form when the
 * pattern has alternatives ({@code p = Pow(d, 2) | Mul(d, d)}). An immutable value.
 */
public record CompiledRule(RuleDecl decl, List<Pattern> patterns) {
    public CompiledRule {
        patterns = List.copyOf(patterns);
    }

    /** Compiles a rule that passed the front end's checks. */
    public static CompiledRule compile(RuleDecl decl) {
        return new CompiledRule(decl, IntStream.range(0, decl.forms().size()).mapToObj(f -> Pattern.compile(decl.form(f))).toList());
    }

    /** The pattern of the first form (the only one unless the rule has alternatives). */
    public Pattern pattern() {
        return patterns.get(0);
    }

    public String name() {
        return decl.name();
    }

    /** The op types ({@code domain::Op} outside the default domain) a match can start at, over every form. */
    public Set<String> rootOps() {
        Set<String> out = new LinkedHashSet<>();
        patterns.forEach(p -> out.addAll(p.rootOps()));
        return out;
    }

    public int benefit() {
        return decl.metadata().benefit();
    }

    public boolean appliesToOpset(long opset) {
        return decl.metadata().appliesToOpset(opset);
    }
}
