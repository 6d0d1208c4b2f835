package org.onnx2trt.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.verify.property.RuleProperty;

/**
 * Every built-in rule on generated instances of its own pattern: fixed seeds (reproducible) plus one
 * random seed per run, printed so that a failure can be replayed with
 * {@code ./onnx2trt rules check FILE --verify --seed S}.
 */
class BuiltinRulesPropertyTest {
    static final long[] FIXED_SEEDS = {1, 100_000, 200_000};
    static final long RANDOM_SEED = System.nanoTime() % 1_000_000_000L;
    static final int TRIES = 150;

    static Stream<CompiledRule> rules() throws RuleLibrary.RuleLoadException {
        return RuleLibrary.builtin().entries().stream().map(e -> CompiledRule.compile(e.rule()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void holdsOnInstancesOfItsPattern(CompiledRule rule) {
        for (long seed : FIXED_SEEDS) {
            RuleProperty.Outcome o = RuleProperty.check(rule, new RuleProperty.Settings(TRIES, seed, 200));
            System.out.println("[property] seed " + seed + ": " + o.describe().lines().findFirst().orElse(""));
            assertTrue(o.passed(), "seed " + seed + ": " + o.describe());
        }
        // The random seed looks for counterexamples; a rule whose pattern is rare (a grouped second conv) may
        // fire on none of its instances there, which shows nothing wrong: the fixed seeds hold it to firing.
        RuleProperty.Outcome o = RuleProperty.check(rule, new RuleProperty.Settings(TRIES, RANDOM_SEED, 200));
        System.out.println("[property] seed " + RANDOM_SEED + ": " + o.describe().lines().findFirst().orElse(""));
        boolean heuristicBound = rule.decl().metadata().tags().contains("quant") && rule.decl().metadata().approxSnrDb() == null;
        if (o.refuted() && heuristicBound) {
            // An int8 placement without a stated bound is held to a heuristic (RuleProperty: 5% of the output's
            // scale, or cosine 0.99). A few large weights whose products cancel to a small output break it with
            // no mistake in the rule (the error is small against the terms summed), so here it is reported,
            // not failed; the fixed seeds still hold these rules to the heuristic.
            System.out.println("[property] seed " + RANDOM_SEED + ": " + rule.decl().name() + " went past the heuristic int8"
                    + " bound on a generated instance (reported, not failed):\n" + o.describe());
            return;
        }
        assertTrue(!o.refuted(), "seed " + RANDOM_SEED + ": " + o.describe());
    }
}
