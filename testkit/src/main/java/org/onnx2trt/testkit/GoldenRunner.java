package org.onnx2trt.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.shape.ShapeInference;
import org.onnx2trt.shape.TensorFacts;
import org.onnx2trt.text.GraphText;

/**
 * Runs the cases of one {@code .rwtest} file: each case's graph is rewritten by {@code program} and
 * compared structurally with the expected graph (names ignored, graph output names kept), then run
 * before and after in onnxruntime within the case's tolerance; declines the case names must be in the
 * trace, and a no-fire case must see none. On a mismatch the actual file is written under
 * {@code actualDir}, and its line diff against the golden file and the command that accepts it are in
 * the error.
 */
public final class GoldenRunner {
    private GoldenRunner() {}

    /**
     * @param golden    the golden file
     * @param actualDir where the actual results go when a case fails
     * @param module    the module folder the paths are relative to, for the accept command
     * @param rewriters the rewriter each case runs with (the facts its rules read: calibration, parameters)
     */
    public static void run(Path golden, Path actualDir, String module, Program program,
                           Function<GoldenFile.Case, Rewriter> rewriters) throws IOException {
        String goldenName = golden.getFileName().toString();
        GoldenFile file = GoldenFile.parse(Files.readString(golden));
        if (file.cases().isEmpty()) {
            throw new AssertionError(goldenName + " has no cases");
        }
        List<String> actualAfter = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<Boolean> passed = new ArrayList<>();
        for (GoldenFile.Case c : file.cases()) {
            String where = goldenName + ":" + c.line() + " (" + c.title() + ")";
            int failuresBefore = failures.size();
            Model before = GraphText.parse(c.before(), where, 1);
            Model model = GraphText.parse(c.before(), where, 1);
            Trace trace = new Trace(false);
            int applied = rewriters.apply(c).run(model, program, trace);
            List<org.onnx2trt.ir.Problem> invalid = GraphValidator.errors(model);
            if (!invalid.isEmpty()) {
                failures.add(where + ": the result does not validate: " + invalid);
            }
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
                try {
                    Numerics.assertSameOutputs(before, model, c.tolerance(), where);
                    if (!c.after().contains("random")) {
                        // the golden text's own constants must be right too, not only its structure
                        Numerics.assertSameOutputs(before, GraphText.parse(c.after(), where + " after", 1), c.tolerance(),
                                where + " (the golden after-graph itself)");
                    }
                } catch (AssertionError e) {
                    failures.add(e.getMessage());
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
            Files.createDirectories(actualDir);
            Path actual = actualDir.resolve(goldenName);
            String actualText = file.withActual(actualAfter, passed);
            Files.writeString(actual, actualText, StandardCharsets.UTF_8);
            String diff = LineDiff.unified(Files.readString(golden), actualText, 3);
            throw new AssertionError(String.join("\n", failures) + "\n\n" + (diff.isEmpty() ? "" : "diff golden actual:\n" + diff)
                    + "\nthe actual results are in " + module + "/" + actual
                    + "; if they are right, accept them with:\n  cp " + module + "/" + actual + " " + module + "/" + golden);
        }
    }

    /** Graph outputs declared with a shape other than the one the graph computes (by shape inference); null if none. */
    private static String wrongOutputDeclarations(Model m) {
        ShapeInference.Result facts = ShapeInference.infer(m);
        List<String> wrong = new ArrayList<>();
        for (Port p : m.graph().outputs()) {
            List<Types.Dim> declared = Types.shape(p.declaration().getType());
            TensorFacts computed = facts.of(p.value());
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
