package org.onnx2trt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.inspect.ModelSummary;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.rules.RuleLibrary;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.OnnxRuntime;
import org.onnx2trt.verify.OrtBasicOffline;
import org.onnx2trt.verify.Tolerance;

/**
 * The bars on every export in the repository, run as {@code optimize --no-verify} runs the
 * default recipe: no more nodes than onnxruntime's BASIC offline optimization of the same file, only
 * default-domain ops, and the same outputs within 1e-4 relative. The outputs are compared with
 * every symbolic input dim at a size of its own (2, 3, 5, ...), not 1, so that a rewrite that mixed
 * up two symbols, or the batch with a constant, shows.
 */
class CorpusBarsTest {
    @TempDir
    Path dir;

    static Stream<Path> exports() throws IOException {
        return Stream.concat(Files.list(Path.of("..", "testdata", "exports")), Files.list(Path.of("..", "testdata", "corpus")))
                .filter(p -> p.toString().endsWith(".onnx")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exports")
    void noMoreNodesThanOnnxRuntimeBasicAndTheSameOutputs(Path file) throws Exception {
        Model before = ModelReader.read(file);
        Model after = ModelReader.read(file);
        Recipe.Simplify simplify = new Recipe.Simplify(false, Recipe.Simplify.DEFAULT_MAX_FOLDED_SIZE, "test");
        Pipeline.simplify(after, simplify, Map.of(), OnnxRuntime.EXECUTOR);
        Pipeline.rulesWithSimplify(after, new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin()),
                Program.fixpoint("default", RuleLibrary.builtin().select(List.of(), List.of())), simplify, Map.of(),
                OnnxRuntime.EXECUTOR, new Trace(false), Integer.MAX_VALUE, new int[1]);

        Path basic = dir.resolve("basic.onnx");
        OrtBasicOffline.optimize(file, basic);
        int ortNodes = ModelReader.read(basic).graph().nodeCount();
        assertTrue(after.graph().nodeCount() <= ortNodes, file.getFileName() + ": " + after.graph().nodeCount()
                + " nodes, onnxruntime BASIC " + ortNodes);
        assertEquals(List.of(), ModelSummary.of(after).opHistogram().keySet().stream().filter(op -> op.contains("::")).toList());
        assertEquals(before.opsetVersion(""), after.opsetVersion(""), "the opset is kept");

        Map<String, Long> sizes = InputShapes.distinctSymbolSizes(before);
        var samples = Samples.random(before, 7, 2, new InputShapes(Map.of(), sizes, 1));
        var report = Equivalence.check(before, after, samples, Map.of(), new Tolerance(1e-5, 1e-4));
        assertTrue(report.passed(), file.getFileName() + " at symbol sizes " + sizes + ": " + report.firstFailure());
    }
}
