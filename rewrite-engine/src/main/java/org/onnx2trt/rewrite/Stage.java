package org.onnx2trt.rewrite;

import java.util.List;

/**
 * One step of a {@link Program}: rules applied in one pass over the graph ({@code once}) or until
 * none applies ({@code fixpoint}), with a bound on applications that is reported when hit.
 *
 * @param name for reports
 * @param rules tried at each node in order of benefit (higher first), then of this list
 * @param fixpoint whether to revisit the nodes a rewrite creates or feeds until nothing applies
 * @param maxApplications the bound; a stage that reaches it stops and says so in the trace
 */
public record Stage(String name, List<CompiledRule> rules, boolean fixpoint, int maxApplications) {
    public Stage {
        rules = List.copyOf(rules);
    }
}
