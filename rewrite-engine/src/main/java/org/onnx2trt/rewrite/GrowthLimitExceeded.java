package org.onnx2trt.rewrite;

import java.util.Map;

/**
 * The rules grew a graph past its node budget: a rule that adds nodes on every application (its result
 * matches it again) never reaches a fixpoint, and the applications bound alone would let it grow a
 * graph tenfold per round. Names the rule that added the most nodes.
 */
public final class GrowthLimitExceeded extends RuntimeException {
    private final String rule;
    private final long added;
    private final long nodes;
    private final long budget;

    GrowthLimitExceeded(Map<String, Long> addedByRule, long nodes, long budget) {
        super(message(addedByRule, nodes, budget));
        Map.Entry<String, Long> worst = worst(addedByRule);
        this.rule = worst == null ? "" : worst.getKey();
        this.added = worst == null ? 0 : worst.getValue();
        this.nodes = nodes;
        this.budget = budget;
    }

    /** The rule that added the most nodes. */
    public String rule() {
        return rule;
    }

    public long added() {
        return added;
    }

    public long nodes() {
        return nodes;
    }

    public long budget() {
        return budget;
    }

    private static Map.Entry<String, Long> worst(Map<String, Long> addedByRule) {
        return addedByRule.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
    }

    private static String message(Map<String, Long> addedByRule, long nodes, long budget) {
        Map.Entry<String, Long> w = worst(addedByRule);
        return "the rules grew the graph to " + nodes + " nodes, past the budget of " + budget
                + (w == null ? "" : ": rule " + w.getKey() + " added " + w.getValue() + " nodes, so its result matches it again"
                + " and it never reaches a fixpoint; fix it, or leave it out with --disable " + w.getKey());
    }
}
