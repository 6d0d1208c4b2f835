package org.onnx2trt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.recipe.BuiltinRecipes;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.rules.RuleLibrary;
import org.onnx2trt.tensor.DataType;

/** The README's "Using onnx2trt from Java" example, as written there, run in a scratch folder. */
class JavaApiExampleTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeExampleRunsAndFusesTheBatchNorm() throws Exception {
        GraphBuilder b = new GraphBuilder("convbn", 42);
        Value x = b.input("x", DataType.FLOAT, "batch", 3, 32, 32);
        b.output(b.convBnRelu(x, 3, 16, 3, 1));
        ModelWriter.write(b.build(), dir.resolve("convbn.onnx"), WriteOptions.inline());

        Model model = ModelReader.read(dir.resolve("convbn.onnx"));
        Recipe recipe = BuiltinRecipes.load("default", RuleLibrary.builtin().namesAndTags());
        RunReport report = new Pipeline(RuleSets.builtin())
                .run(model, recipe, RunOptions.defaults("convbn.onnx"), RunListener.NONE);
        if (report.ok()) {
            ModelWriter.write(report.model(), dir.resolve("convbn.opt.onnx"), WriteOptions.keep());
        }

        assertTrue(report.ok(), report.failure());
        assertEquals(1, report.opsBefore().get("BatchNormalization"));
        assertEquals(null, report.opsAfter().get("BatchNormalization"), "the BN is folded into the Conv");
        assertEquals(1, report.fired().get("FuseConvBatchNorm"));
        assertEquals(2, ModelReader.read(dir.resolve("convbn.opt.onnx")).graph().nodeCount(), "Conv, Relu");
    }

    /** The example in the README is this test's code: a change to one must be made to the other. */
    @Test
    void theReadmeShowsThisCode() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        for (String line : new String[] {
                "Value x = b.input(\"x\", DataType.FLOAT, \"batch\", 3, 32, 32);",
                "Recipe recipe = BuiltinRecipes.load(\"default\", RuleLibrary.builtin().namesAndTags());",
                "RunReport report = new Pipeline(RuleSets.builtin())",
                ".run(model, recipe, RunOptions.defaults(\"convbn.onnx\"), RunListener.NONE);"}) {
            assertTrue(readme.contains(line), "README lacks: " + line);
        }
    }
}
