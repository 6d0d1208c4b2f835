package org.onnx2trt.rewrite;

import java.util.Map;

/**
 * The rules grew a graph past its node budget: a rule that adds nodes on every application (its result
 * matches it again) never reaches a fixpoint, and the applications bound alone would let it grow a
 * graph tenfold per round. The message names the rule that added the most nodes.
 */
public final class GrowthLimitExceeded extends RuntimeException {
    GrowthLimitExceeded(Map<String, Long> addedByRule, long nodes, long budget) {
        super(message(addedByRule, nodes, budget));
    }

    private static String message(Map<String, Long> addedByRule, long nodes, long budget) {
        Map.Entry<String, Long> w = addedByRule.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
        return "the rules grew the graph to " + nodes + " nodes, past the budget of " + budget
                + (w == null ? "" : ": rule " + w.getKey() + " added " + w.getValue() + " nodes, so its result matches it again"
                + " and it never reaches a fixpoint; fix it, or leave it out with --disable " + w.getKey());
    }
}
