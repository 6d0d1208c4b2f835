package org.onnx2trt.rules;

import org.onnx2trt.testkit.Numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.transform.Canonicalize;

/**
 * The default rules on real PyTorch exports ({@code testdata/exports} and the small-width
 * torchvision corpus in {@code testdata/corpus}), run as {@code optimize} runs them (Constant nodes and
 * initializers listed as graph inputs made constants first): every BatchNormalization that follows a Conv is gone, the
 * result validates, and onnxruntime's outputs stay within 1e-5 relative of the original's.
 */
class CorpusOptimizeTest {
    static Stream<Path> exports() throws IOException {
        return Stream.concat(Files.list(Path.of("..", "testdata", "exports")), Files.list(Path.of("..", "testdata", "corpus")))
                .filter(p -> p.toString().endsWith(".onnx")).sorted();
    }

    @ParameterizedTest
    @MethodSource("exports")
    void defaultRulesKeepTheFunction(Path file) throws Exception {
        Model before = ModelReader.read(file);
        Model after = ModelReader.read(file);
        Canonicalize.forRewriting(after, false);
        Trace trace = new Trace(false);
        new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin())
                .run(after, Program.fixpoint("default", RuleLibrary.builtin().select(List.of(), List.of())), trace);
        assertEquals(List.of(), GraphValidator.errors(after), file.toString());
        long convThenBn = after.graph().nodeList().stream()
                .filter(n -> n.opType().equals("BatchNormalization") && producedByConv(n)).count();
        assertEquals(0, convThenBn, file + ": BatchNormalizations after a Conv remain: " + trace.events());
        Numerics.assertSameOutputs(before, after, 1e-5, file.toString());
    }

    private static boolean producedByConv(Node bn) {
        Node p = bn.input(0) == null ? null : bn.input(0).producer();
        return p != null && (p.opType().equals("Conv") || p.opType().equals("ConvTranspose"));
    }
}
