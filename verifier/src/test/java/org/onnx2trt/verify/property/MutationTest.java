package org.onnx2trt.verify.property;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.rewrite.CompiledRule;

/**
 * Mutation evidence: deliberately wrong rules that the property check must catch, each with a
 * counterexample, while the correct rule they were made from passes.
 */
class MutationTest {
    static final RuleProperty.Settings SETTINGS = new RuleProperty.Settings(150, 1000, 150);

    static final String CORRECT_FOLD = """
            rule FuseConvBatchNorm
            match
              conv = Conv(x, w, b?)
              bn   = BatchNormalization(conv, gamma, beta, mean, var) { epsilon: eps, training_mode: training }
            where
              constant(w, b, gamma, beta, mean, var) : "weights and statistics must be constants"
              singleUse(conv)                         : "the conv output has other readers"
              (training ?? 0) == 0                    : "training mode"
            compute
              s  = gamma / sqrt(var + eps)
              w2 = w * unsqueezeTo(s, axis: 0, rank: rank(w))
              b2 = ((b ?? zerosLike(mean)) - mean) * s + beta
            rewrite
              bn -> Conv(x, w2, b2) { ...conv }
            end
            """;

    /** BN before a Conv folded into it: exact only when the Conv has no padding (padded zeros are not shifted). */
    static final String CORRECT_BN_BEFORE_CONV = """
            rule FuseBatchNormConv
            match
              bn   = BatchNormalization(x, gamma, beta, mean, var) { epsilon: eps, training_mode: training }
              conv = Conv(bn, w, b?) { pads: pads, group: group }
            where
              constant(w, b, gamma, beta, mean, var) : "weights and statistics must be constants"
              singleUse(bn)                           : "the batch norm output has other readers"
              (training ?? 0) == 0                    : "training mode"
              (group ?? 1) == 1                       : "grouped conv"
              allZero(pads ?? [0])                    : "the conv pads its input: padded zeros would not be shifted"
            compute
              s  = gamma / sqrt(var + eps)
              t  = beta - mean * s
              w2 = w * unsqueezeTo(s, axis: 1, rank: rank(w))
              b2 = (b ?? zerosLike(reduceSum(w, axes: [1, 2, 3]))) + reduceSum(w * unsqueezeTo(t, axis: 1, rank: rank(w)), axes: [1, 2, 3])
            rewrite
              conv -> Conv(x, w2, b2) { ...conv }
            end
            """;

    /** The tutorial's rule, read from docs/dsl.md so that the page and this test cannot drift apart. */
    static final String TUTORIAL_RULE = tutorialRule();

    private static String tutorialRule() {
        try {
            String page = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "dsl.md"));
            int start = page.indexOf("/// Conv(x, W, B) · c -> Conv(x, W·c, B·c)");
            return page.substring(start, page.indexOf("\nend\n", start) + 5);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static CompiledRule compile(String text) {
        RuleFrontEnd.Result r = RuleFrontEnd.load(text, "mutant.rw");
        assertTrue(r.ok(), r.diagnostics().format());
        return CompiledRule.compile(r.file().rules().get(0));
    }

    static Stream<Arguments> mutants() {
        return Stream.of(
                Arguments.of("BN fold without epsilon", CORRECT_FOLD.replace("sqrt(var + eps)", "sqrt(var)")),
                Arguments.of("scale on the wrong axis of W", CORRECT_FOLD.replace("axis: 0", "axis: 1")),
                Arguments.of("sign error in the bias", CORRECT_FOLD.replace("((b ?? zerosLike(mean)) - mean)",
                        "(mean - (b ?? zerosLike(mean)))")),
                Arguments.of("Conv·c fold that takes a 1-D [C] for per-channel (it runs along the width)",
                        TUTORIAL_RULE.replace("perChannel(c, axis: 1, rank: rank(w)) and (size(c) == 1 or size(c) == shape(w)[0])",
                                "size(c) == shape(w)[0]").replace("reshape(broadcastTo(reshape(c, [-1]), [shape(w)[0]]), [-1])",
                                "reshape(c, [-1])")),
                Arguments.of("BN-before-Conv fusion that ignores padding", CORRECT_BN_BEFORE_CONV.replace(
                        "  allZero(pads ?? [0])                    : \"the conv pads its input: padded zeros would not be shifted\"\n",
                        "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void aWrongRuleIsCaughtWithACounterexample(String what, String text) {
        RuleProperty.Outcome o = RuleProperty.check(compile(text), SETTINGS);
        assertNotNull(o.counterexample(), what + " was not caught: " + o.describe());
        String printed = o.describe();
        assertTrue(printed.contains("counterexample (seed ") && printed.contains("before:"), printed);
        System.out.println("[" + what + "] " + printed);
    }

    @Test
    void theCorrectRulesPass() {
        for (String text : new String[] {CORRECT_FOLD, CORRECT_BN_BEFORE_CONV, TUTORIAL_RULE}) {
            RuleProperty.Outcome o = RuleProperty.check(compile(text), SETTINGS);
            assertNull(o.counterexample(), o.describe());
            assertTrue(o.passed(), o.describe());
        }
    }

    /**
     * The fifth mutant, an identity removal that would drop a graph output, cannot get past the
     * engine: removing an Identity whose input and output are both graph outputs would merge two
     * outputs into one name, and the engine refuses it before anything is compared. The generator
     * makes such instances, and each is a decline by the engine, never a lost output.
     */
    @Test
    void anIdentityRemovalThatWouldDropAGraphOutputIsRefusedByTheEngine() {
        RuleProperty.Outcome o = RuleProperty.check(compile("""
                rule EliminateIdentityEverywhere
                match n = Identity(x)
                rewrite n -> x
                end
                """), new RuleProperty.Settings(200, 1, 50));
        assertNull(o.counterexample(), o.describe());
        assertTrue(o.declined().keySet().stream().anyMatch(r -> r.startsWith("engine: ") && r.contains("is also a graph output")),
                o.describe());
        assertTrue(o.fired() > 0, o.describe());
    }
}
