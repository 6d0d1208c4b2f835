package org.onnx2trt.dsl.ast;

import java.util.List;

/** A parsed {@code .rw} file: its rules in source order. */
public record RuleFile(String source, List<RuleDecl> rules) {
    public RuleFile {
        rules = List.copyOf(rules);
    }
}
