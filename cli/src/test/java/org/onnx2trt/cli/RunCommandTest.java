package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} with built-in and user recipes, and {@code recipes list|show}. */
class RunCommandTest {
    @TempDir
    Path dir;

    static final Path EXPORT = Path.of("..", "testdata", "exports", "sigmoid_head_opset14.onnx");

    @Test
    void theBuiltInRecipesRunAndReport() throws IOException {
        Path out = dir.resolve("a.onnx");
        Path report = dir.resolve("r.json");
        CliTest.Run r = CliTest.run("run", "aggressive", "--model", EXPORT.toString(), "-o", out.toString(), "--report",
                report.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("recipe aggressive (built-in:aggressive.yaml): 3 stages"), r.out());
        assertTrue(r.out().contains("verify: 8 samples against"), r.out());
        assertTrue(Files.exists(out));
        String json = Files.readString(report);
        assertTrue(json.contains("\"ok\" : true") && json.contains("\"EliminateSigmoidHead\" : 1")
                && json.contains("\"logit_outputs\" : [ \"prob\" ]"), json);

        CliTest.Run plain = CliTest.run("run", "default", "-o", dir.resolve("sample.onnx").toString());
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().contains("FuseConvBatchNorm                fired 2×"), plain.out());
    }

    @Test
    void aUserRecipeRunsItsStagesInOrder() throws IOException {
        Path recipe = Files.writeString(dir.resolve("mine.yaml"), """
                description: fold batch norms only, once, and check with 2 samples
                stages:
                  - simplify
                  - rules: { only: [bn], mode: once }
                  - verify: { samples: 2, atol: 1e-4 }
                """);
        CliTest.Run r = CliTest.run("run", recipe.toString(), "--model", EXPORT.toString(), "-o", dir.resolve("m.onnx").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("recipe mine (" + recipe + "): 3 stages"), r.out());
        assertTrue(r.out().contains("verify: 2 samples"), r.out());
        assertFalse(r.out().contains("EliminateSigmoidHead"), r.out());
    }

    @Test
    void recipeMistakesAreExitTwoWithFileLineColumn() throws IOException {
        Path recipe = Files.writeString(dir.resolve("bad.yaml"), """
                stages:
                  - rules: { only: [FuseConvBatchNrom] }
                """);
        CliTest.Run r = CliTest.run("run", recipe.toString(), "--model", EXPORT.toString(), "-o", dir.resolve("x.onnx").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(recipe + ":2:21: error: unknown rule or tag `FuseConvBatchNrom` (did you mean"
                + " `FuseConvBatchNorm`?)"), r.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
        CliTest.Run unknown = CliTest.run("run", "defualt");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("(did you mean `default`?)"), unknown.err());
    }

    @Test
    void recipesListAndShow() {
        CliTest.Run list = CliTest.run("recipes", "list");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().startsWith("default ") && list.out().contains("\naggressive "), list.out());
        CliTest.Run show = CliTest.run("recipes", "show", "default");
        assertTrue(show.out().contains("stages:\n  - simplify: {}"), show.out());
        assertEquals(2, CliTest.run("recipes", "show", "nope").code());
    }

    /** As a user would: a PyTorch export full of shape chains, its input pinned, verified exactly. */
    @Test
    void pinnedShapesFoldAnExportsShapeChains() {
        Path export = Path.of("..", "testdata", "exports", "shapechain_opset12.onnx");
        CliTest.Run r = CliTest.run("optimize", export.toString(), "-o", dir.resolve("sc.onnx").toString(),
                "--input-shape", "input:2,3,16,16", "--atol", "0", "--rtol", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("simplify: 4 shape values known from shape inference made constants or merged"), r.out());
        assertTrue(r.out().contains("total            55       14      -41"), r.out());
        CliTest.Run wrong = CliTest.run("optimize", export.toString(), "-o", dir.resolve("x.onnx").toString(),
                "--input-shape", "x:2,3,16,16");
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("the model has no input `x`; its inputs are [input]"), wrong.err());
    }
}
