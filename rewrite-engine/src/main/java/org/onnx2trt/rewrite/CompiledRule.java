package org.onnx2trt.rewrite;

import java.util.Set;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.rewrite.match.Pattern;

/** A checked rule ready to run: its declaration and its compiled pattern. An immutable value. */
public record CompiledRule(RuleDecl decl, Pattern pattern) {

    /** Compiles a rule that passed the front end's checks. */
    public static CompiledRule compile(RuleDecl decl) {
        return new CompiledRule(decl, Pattern.compile(decl));
    }

    public String name() {
        return decl.name();
    }

    /** The op types ({@code domain::Op} outside the default domain) a match can start at. */
    public Set<String> rootOps() {
        return pattern.rootOps();
    }

    public int benefit() {
        return decl.metadata().benefit();
    }

    public boolean appliesToOpset(long opset) {
        return decl.metadata().appliesToOpset(opset);
    }
}
