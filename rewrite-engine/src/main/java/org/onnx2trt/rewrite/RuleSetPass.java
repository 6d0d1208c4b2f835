package org.onnx2trt.rewrite;

import org.onnx2trt.ir.Model;

/**
 * A rule set as a {@link Pass}: the {@link Program}'s stages, each once or to a fixpoint, at most
 * {@code limit} applications in all, every application and decline recorded in {@code trace}. The
 * report is the number of applications.
 */
public record RuleSetPass(String name, Rewriter rewriter, Program program, Trace trace, int limit) implements Pass<Integer> {
    @Override
    public Integer run(Model model) {
        return rewriter.run(model, program, trace, limit);
    }
}
