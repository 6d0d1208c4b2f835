package org.onnx2trt.rewrite;

import java.util.List;

/**
 * Ordered stages, run one after the other (as Calcite's HepProgram), then a dead-code sweep when
 * {@code sweepDeadCode} is set. An immutable value.
 */
public record Program(List<Stage> stages, boolean sweepDeadCode) {
    public Program {
        stages = List.copyOf(stages);
    }

    /** Stages followed by the dead-code sweep. */
    public Program(List<Stage> stages) {
        this(stages, true);
    }

    /** One fixpoint stage of {@code rules}, bounded by ten applications per node, then the sweep. */
    public static Program fixpoint(String name, List<CompiledRule> rules) {
        return new Program(List.of(new Stage(name, rules, true, -1)));
    }
}
