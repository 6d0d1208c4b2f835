package org.onnx2trt.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.testkit.GoldenFile;
import org.onnx2trt.testkit.LineDiff;
import org.onnx2trt.testkit.StructuralDiff;
import org.onnx2trt.text.GraphText;

/**
 * Golden tests: one {@code .rwtest} per rule file, each case a graph before and what the file's
 * rules make of it, compared structurally (names ignored, graph output names kept). On a mismatch
 * the actual file is written under {@code target/golden/}, and its line diff against the golden file
 * and the command that accepts it are printed.
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
        String goldenName = ruleFile.replace(".rw", ".rwtest");
        GoldenFile golden = GoldenFile.parse(Files.readString(GOLDEN.resolve(goldenName)));
        assertTrue(!golden.cases().isEmpty(), goldenName + " has no cases");
        List<CompiledRule> rules = RuleFrontEnd.load(BuiltinRules.read(ruleFile), ruleFile).file().rules()
                .stream().map(CompiledRule::compile).toList();
        List<String> actualAfter = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<Boolean> passed = new ArrayList<>();
        for (GoldenFile.Case c : golden.cases()) {
            String where = goldenName + ":" + c.line() + " (" + c.title() + ")";
            Model before = GraphText.parse(c.before(), where, 1);
            Model model = GraphText.parse(c.before(), where, 1);
            Trace trace = new Trace(false);
            int applied = new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin())
                    .run(model, Program.fixpoint("golden", rules), trace);
            assertEquals(List.of(), GraphValidator.errors(model), where + ": the result must validate");
            int failuresBefore = failures.size();
            String declared = wrongOutputDeclarations(before);
            if (declared != null) {
                failures.add(where + ": " + declared);
            }
            if (c.after() == null) {
                if (applied > 0) {
                    failures.add(where + ": expected no change, but " + trace.applications());
                }
            } else {
                String diff = StructuralDiff.compare(GraphText.parse(c.after(), where + " after", 1), model,
                        StructuralDiff.Options.DEFAULT.structureOnly());
                if (diff != null) {
                    failures.add(where + ": " + diff);
                }
                Numerics.assertSameOutputs(before, model, c.tolerance(), where);
                if (!c.after().contains("random")) {
                    // the golden text's own constants must be right too, not only its structure
                    Numerics.assertSameOutputs(before, GraphText.parse(c.after(), where + " after", 1), c.tolerance(),
                            where + " (the golden after-graph itself)");
                }
            }
            if (c.title().startsWith("no-fire") && trace.events().stream().anyMatch(e -> e instanceof Trace.Declined)) {
                failures.add(where + ": a no-fire case is one no rule matches, but rules declined: " + trace.events());
            }
            for (String decline : c.declines()) {
                boolean seen = trace.events().stream().anyMatch(e -> e instanceof Trace.Declined d
                        && (d.rule() + ": " + d.reason()).equals(decline));
                if (!seen) {
                    failures.add(where + ": no decline `" + decline + "` in the trace: " + trace.events());
                }
            }
            actualAfter.add(applied == 0 ? null : GraphText.print(model));
            passed.add(failures.size() == failuresBefore); // passing cases keep their text: the diff shows what failed
        }
        if (!failures.isEmpty()) {
            Files.createDirectories(ACTUAL);
            Path actual = ACTUAL.resolve(goldenName);
            String actualText = golden.withActual(actualAfter, passed);
            Files.writeString(actual, actualText, StandardCharsets.UTF_8);
            String diff = LineDiff.unified(Files.readString(GOLDEN.resolve(goldenName)), actualText, 3);
            fail(String.join("\n", failures) + "\n\n" + (diff.isEmpty() ? "" : "diff golden actual:\n" + diff)
                    + "\nthe actual results are in rules/" + actual
                    + "; if they are right, accept them with:\n  cp rules/" + actual + " rules/" + GOLDEN.resolve(goldenName));
        }
    }

    /** Graph outputs declared with a shape other than the one the graph computes (by shape inference); null if none. */
    private static String wrongOutputDeclarations(Model m) {
        org.onnx2trt.shape.ShapeInference.Result facts = org.onnx2trt.shape.ShapeInference.infer(m);
        List<String> wrong = new java.util.ArrayList<>();
        for (org.onnx2trt.ir.Port p : m.graph().outputs()) {
            List<org.onnx2trt.ir.Types.Dim> declared = org.onnx2trt.ir.Types.shape(p.declaration().getType());
            org.onnx2trt.shape.TensorFacts computed = facts.of(p.value());
            if (declared == null || !computed.hasRank()) {
                continue;
            }
            boolean differs = declared.size() != computed.rank();
            for (int i = 0; !differs && i < declared.size(); i++) {
                var d = declared.get(i);
                var c = computed.dim(i);
                differs = d.isKnown() && c.isKnown() && !d.value().equals(c.value());
            }
            if (differs) {
                wrong.add("`" + p.name() + "` is declared " + declared + " but the graph computes " + computed.shape());
            }
        }
        return wrong.isEmpty() ? null : "output declarations do not match the graph: " + String.join("; ", wrong);
    }
}
