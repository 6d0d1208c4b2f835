package org.onnx2trt.rewrite;

import java.util.function.Function;
import org.onnx2trt.ir.Model;

/**
 * One step that changes a model in place and reports what it did: a rule set run once or to a
 * fixpoint ({@link RuleSetPass}), or a named Java graph pass (the transforms of simplify, in
 * {@code org.onnx2trt.transform}). A pipeline stage is a sequence of passes.
 *
 * @param <R> the report: what the pass changed, for printing and for JSON
 */
public interface Pass<R> {
    /** The name reports use. */
    String name();

    /** Runs on {@code model}, changing it in place. */
    R run(Model model);

    /** A pass named {@code name} that runs {@code body}. */
    static <R> Pass<R> of(String name, Function<Model, R> body) {
        return new Pass<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public R run(Model model) {
                return body.apply(model);
            }

            @Override
            public String toString() {
                return "Pass(" + name + ")";
            }
        };
    }
}
