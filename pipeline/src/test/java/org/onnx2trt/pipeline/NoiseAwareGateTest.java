package org.onnx2trt.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.ir.Model;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.models.DeepModels;

/**
 * The verify gate on a deep network (ResNet-50's depth, an eighth of its width): the default
 * recipe's 53 exact BN folds drift past atol 1e-5 / rtol 1e-4 through float32 rounding alone, and
 * pass once the gate allows for the model's measured noise floor; a fold that forgets ε still fails.
 */
class NoiseAwareGateTest {
    @TempDir
    static Path dir;

    static Model resnet;

    @BeforeAll
    static void build() {
        resnet = DeepModels.resnet50(8, 64, 11);
    }

    private static RunReport run(Pipeline pipeline, List<String> only, boolean noiseFloor) {
        Recipe recipe = new Recipe("t", "test", List.of(
                new Recipe.Simplify(false, Recipe.Simplify.DEFAULT_MAX_FOLDED_SIZE, "t"),
                new Recipe.Rules(only, List.of(), List.of(), true, -1, "t"),
                new Recipe.Verify(4, 1, 1e-5, 1e-4, noiseFloor, "t")), "t");
        return pipeline.run(Model.fromProto(resnet.toProto()), recipe, RunOptions.defaults("resnet50"), RunListener.NONE);
    }

    private static Equivalence.Report verified(RunReport r) {
        return r.stages().stream().filter(s -> s instanceof StageReport.Verified).map(s -> ((StageReport.Verified) s).equivalence())
                .findFirst().orElseThrow();
    }

    @Test
    void correctFoldsPassWithTheFloorAndTheFloorIsReported() {
        RunReport noiseAware = run(new Pipeline(RuleSets.builtin()), List.of(), true);
        assertTrue(noiseAware.ok(), noiseAware.failure());
        double floor = verified(noiseAware).floor().of("logits");
        assertTrue(floor > 1e-6, "a 53-layer model rounds visibly: floor " + floor);
        assertTrue(verified(noiseAware).outputs().get(0).maxAbs() <= 4 * floor);

        RunReport strict = run(new Pipeline(RuleSets.builtin()), List.of(), false);
        assertFalse(strict.ok(), "with atol/rtol alone the same correct folds are refused (the false alarm this fixes)");
    }

    @Test
    void aFoldThatForgetsEpsilonFailsAndIsBisected() throws Exception {
        Path rules = dir.resolve("wrong.rw");
        Files.writeString(rules, """
                rule FoldWithoutEpsilon
                match
                  conv = Conv(x, w, b?)
                  bn   = BatchNormalization(conv, gamma, beta, mean, var)
                where
                  constant(w, b, gamma, beta, mean, var) : "constants"
                compute
                  s  = gamma / sqrt(var)
                  w2 = w * unsqueezeTo(s, axis: 0, rank: rank(w))
                  b2 = ((b ?? zerosLike(mean)) - mean) * s + beta
                rewrite
                  bn -> Conv(x, w2, b2) { ...conv }
                end
                """);
        RunReport r = run(new Pipeline(RuleSets.of(List.of(rules))), List.of("FoldWithoutEpsilon"), true);
        assertFalse(r.ok());
        assertTrue(r.failure().startsWith("rule FoldWithoutEpsilon at node"), r.failure());
        assertTrue(r.failure().contains("+ noise allowance"), r.failure());
    }
}
