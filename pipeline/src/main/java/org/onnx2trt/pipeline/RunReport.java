package org.onnx2trt.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Model;
import org.onnx2trt.rewrite.Trace;

/**
 * What {@link Pipeline#run} did to a model: the model itself (changed in place), each stage's
 * report, the op counts before and after, the trace of every rule application and decline, and the
 * verification failure, if any. Writing the model is the caller's: a failed run's model is there
 * to write only when the caller means to ({@code --force}).
 *
 * @param model the result
 * @param stages one report per stage run, in order; a run stops after a verify stage that fails
 * @param opsBefore op counts of the input ("domain::Op" outside the default domain)
 * @param opsAfter op counts of the result
 * @param trace every application and decline
 * @param newLogitOutputs outputs that became logits in this run (a Sigmoid head was removed)
 * @param foreignOps ops outside the ONNX default domain the input already held
 * @param explainNode the trace label of {@link RunOptions#explain}'s node, or null
 * @param failure what broke equivalence (rule, node, output and figures), or null when every verify stage passed
 */
public record RunReport(Model model, List<StageReport> stages, Map<String, Integer> opsBefore, Map<String, Integer> opsAfter,
                        Trace trace, List<String> newLogitOutputs, List<String> foreignOps, String explainNode,
                        String failure) {
    public RunReport {
        stages = List.copyOf(stages);
        newLogitOutputs = List.copyOf(newLogitOutputs);
        foreignOps = List.copyOf(foreignOps);
    }

    /** Whether every verify stage passed. */
    public boolean ok() {
        return failure == null;
    }

    /** Applications by rule, in the order each rule first fired. */
    public Map<String, Integer> fired() {
        Map<String, Integer> byRule = new LinkedHashMap<>();
        trace.applications().forEach(a -> byRule.merge(a.rule(), 1, Integer::sum));
        return byRule;
    }
}
