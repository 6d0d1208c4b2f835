package org.onnx2trt.rewrite;

import java.util.List;

/** Ordered stages, run one after the other (as Calcite's HepProgram). An immutable value. */
public record Program(List<Stage> stages) {
    public Program {
        stages = List.copyOf(stages);
    }

    /** One fixpoint stage of {@code rules}, bounded by ten applications per node. */
    public static Program fixpoint(String name, List<CompiledRule> rules) {
        return new Program(List.of(new Stage(name, rules, true, -1)));
    }
}
