package org.onnx2trt.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecipeLoaderTest {
    static final Set<String> RULES = Set.of("FuseConvBatchNorm", "EliminateSigmoidHead", "quant", "head", "bn", "cle", "qat",
            "fold_weights");

    static Recipe load(String text) throws RecipeException {
        return RecipeLoader.load(text, "r.yaml", "r", RULES);
    }

    static String error(String text) {
        return assertThrows(RecipeException.class, () -> load(text)).getMessage();
    }

    @Test
    void readsEveryStageWithItsSettings() throws Exception {
        Recipe r = load("""
                name: mine
                description: one line
                stages:
                  - simplify: { keep-initializer-inputs: true }
                  - rules:
                      enable: [head]
                      disable: FuseConvBatchNorm
                      mode: once
                      max-applications: 50
                  - verify: { samples: 2, seed: 7, atol: 1e-3, rtol: 0 }
                  - rules
                """);
        assertEquals("mine", r.name());
        assertEquals("one line", r.description());
        assertEquals(new Recipe.Simplify(true, 1 << 20, "r.yaml:4:5"), r.stages().get(0));
        assertEquals(new Recipe.Rules(List.of(), List.of("head"), List.of("FuseConvBatchNorm"), false, 50, "r.yaml:5:5"),
                r.stages().get(1));
        assertEquals(new Recipe.Verify(2, 7, 1e-3, 0, false, "r.yaml:10:5"), r.stages().get(2));
        Recipe.Rules plain = assertInstanceOf(Recipe.Rules.class, r.stages().get(3));
        assertEquals(true, plain.fixpoint());
        assertEquals(-1, plain.maxApplications());
    }

    @Test
    void theNoiseFloorIsOnUnlessTheRecipeSetsATolerance() throws Exception {
        Recipe r = load("""
                name: floors
                stages:
                  - verify
                  - verify: { rtol: 1e-3 }
                  - verify: { atol: 1e-4, noise_floor: true }
                  - verify: { noise_floor: false }
                """);
        assertEquals(List.of(true, false, true, false), r.stages().stream().map(s -> ((Recipe.Verify) s).noiseFloor()).toList());
    }

    @Test
    void builtInRecipesLoad() throws Exception {
        for (String name : BuiltinRecipes.NAMES) {
            Recipe r = BuiltinRecipes.load(name, RULES);
            assertEquals(name, r.name());
            int stages = switch (name) {
                case "int8-tensorrt" -> 7;
                case "int8-tensorrt-cle" -> 8; // with bias_correct
                case "qat-tensorrt" -> 5;
                case "qat-tensorrt-fast" -> 6;
                default -> 3;
            };
            assertEquals(stages, r.stages().size(), name);
        }
    }

    @Test
    void aliasesStandForTheirAnchorsValue() throws Exception {
        Recipe r = load("""
                stages:
                  - rules: { disable: &off [EliminateSigmoidHead], mode: once }
                  - rules: { disable: *off }
                """);
        assertEquals(List.of("EliminateSigmoidHead"), ((Recipe.Rules) r.stages().get(1)).disable());
        assertEquals("r.yaml:3:23: error: the alias `*of` names no anchor before it; mark the value first with `&of`", error("""
                stages:
                  - rules: { disable: &off [EliminateSigmoidHead] }
                  - rules: { disable: *of }
                """));
    }

    @Test
    void errorsPointAtTheTextAndSayTheFix() {
        assertEquals("r.yaml:3:7: error: unknown key `disabel` in `rules` (did you mean `disable`?); the keys are only,"
                + " enable, disable, mode, max-applications", error("""
                stages:
                  - rules:
                      disabel: [quant]
                """));
        assertEquals("r.yaml:2:5: error: unknown stage `rulez` (did you mean `rules`?); the stages are simplify, rules,"
                + " verify, calibrate, quantize, evaluate, fp16, lint, import_qdq, bias_correct, align_qdq", error("""
                stages:
                  - rulez: {}
                """));
        assertEquals("r.yaml:2:25: error: unknown rule or tag `FuseConvBatchNrom` (did you mean `FuseConvBatchNorm`?);"
                + " `./onnx2trt rules list` shows them", error("""
                stages:
                  - rules: { only: [bn, FuseConvBatchNrom] }
                """));
        assertEquals("r.yaml:2:24: error: `samples` must be a whole number of at least 1, found `four`", error("""
                stages:
                  - verify: { samples: four }
                """));
        assertEquals("r.yaml:2:21: error: `atol` must be a non-negative number such as 1e-4, found `-1`", error("""
                stages:
                  - verify: { atol: -1 }
                """));
        assertEquals("r.yaml:2:20: error: `mode` is `fixpoint` or `once`, found `forever`", error("""
                stages:
                  - rules: { mode: forever }
                """));
        assertEquals("r.yaml:2:5: error: the `build` stage is not available in this version; the stages are simplify,"
                + " rules, verify, calibrate, quantize, evaluate, fp16, lint, import_qdq, bias_correct, align_qdq", error("""
                stages:
                  - build: {}
                """));
        assertEquals("r.yaml:2:26: error: TensorRT 8.6 is not linted for; give a 10.x or 11.x version (e.g. 11.2)", error("""
                stages:
                  - lint: { trt_version: "8.6" }
                """));
        assertEquals("r.yaml:2:5: error: a `quantize` stage places QDQ from a calibration table: put a `calibrate` stage"
                + " before it", error("""
                stages:
                  - quantize: {}
                """));
        assertEquals("r.yaml:3:5: error: an `evaluate` stage compares the quantized model with the float one: put a"
                + " `quantize` stage before it", error("""
                stages:
                  - calibrate: {}
                  - evaluate: {}
                """));
        assertEquals("r.yaml:3:5: error: a `verify` stage checks exact rewrites against the input, and the `align_qdq`"
                + " stage before it changes the function on purpose (it measures and bounds its own changes): put `verify`"
                + " before `align_qdq`", error("""
                stages:
                  - align_qdq: { min_snr_db: 40 }
                  - verify: {}
                """));
        assertEquals("r.yaml:2:26: error: `method` is minmax, percentile, entropy or mse, found `entropi` (did you mean"
                + " `entropy`?)", error("""
                stages:
                  - calibrate: { method: entropi }
                """));
        assertEquals("r.yaml:3:25: error: `target` is tensorrt or ort-cpu, found `tensorflow`", error("""
                stages:
                  - calibrate: {}
                  - quantize: { target: tensorflow }
                """));
        assertEquals("r.yaml:1:1: error: unknown key `stage` in a recipe (did you mean `stages`?); the keys are name,"
                + " description, stages", error("""
                stage:
                  - rules: {}
                """));
        assertEquals("r.yaml:1:9: error: `stages` must be a non-empty list of stages (simplify, rules, verify, calibrate,"
                + " quantize, evaluate, fp16, lint, import_qdq, bias_correct, align_qdq), found a map",
                error("stages: { rules: {} }\n"));
        assertEquals("r.yaml:2:1: error: `name` is given twice (first at 1:1)", error("name: a\nname: b\nstages: [rules]\n"));
        assertEquals("r.yaml: the file is empty; a recipe starts with `stages:`", error(""));
        String invalid = error("stages:\n  - rules: { only: [a\n");
        assertEquals(true, invalid.startsWith("r.yaml:") && invalid.contains(": error: not valid YAML: "), invalid);
    }

    @Test
    void resolvingANameThatIsNeitherAFileNorBuiltInListsTheBuiltIns() {
        RecipeException e = assertThrows(RecipeException.class, () -> BuiltinRecipes.resolve("defualt", RULES));
        assertEquals("defualt: no such recipe file, and no built-in recipe of that name (did you mean `default`?);"
                + " the built-in recipes are default, aggressive, int8-tensorrt, int8-tensorrt-cle, qat-tensorrt,"
                + " qat-tensorrt-fast", e.getMessage());
    }
}
