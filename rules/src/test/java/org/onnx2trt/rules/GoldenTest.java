package org.onnx2trt.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.testkit.GoldenRunner;

/**
 * Golden tests: one {@code .rwtest} per rule file, each case a graph before and what the file's
 * rules make of it (see {@link GoldenRunner}).
 */
class GoldenTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    static final Path ACTUAL = Path.of("target", "golden");

    static Stream<String> ruleFiles() {
        return BuiltinRules.FILES.stream();
    }

    @Test
    void everyRuleFileHasAGoldenFileAndViceVersa() throws IOException {
        Set<String> golden = new TreeSet<>();
        try (Stream<Path> s = Files.list(GOLDEN)) {
            s.forEach(p -> golden.add(p.getFileName().toString().replace(".rwtest", ".rw")));
        }
        assertEquals(new TreeSet<>(BuiltinRules.FILES), golden,
                "each rule file needs golden/<name>.rwtest, and each golden file a rule file");
    }

    @ParameterizedTest
    @MethodSource("ruleFiles")
    void casesGiveTheExpectedGraphs(String ruleFile) throws IOException {
        List<CompiledRule> rules = RuleFrontEnd.load(BuiltinRules.read(ruleFile), ruleFile).file().rules()
                .stream().map(CompiledRule::compile).toList();
        GoldenRunner.run(GOLDEN.resolve(ruleFile.replace(".rw", ".rwtest")), ACTUAL, "rules", Program.fixpoint("golden", rules),
                c -> new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin()));
    }
}
