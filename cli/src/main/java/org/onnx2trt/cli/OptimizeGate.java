package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.Bisection;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.ModelRunner;
import org.onnx2trt.verify.OutputComparison;
import org.onnx2trt.verify.RunException;
import org.onnx2trt.verify.Tolerance;

/**
 * The check {@code optimize} runs before writing: the rewritten model against the input model in
 * onnxruntime. On a failure the run is bisected (replaying the first k applications on a fresh copy
 * of the input) to the first application that broke equivalence, and that rule, node, output and
 * error are reported.
 */
final class OptimizeGate {
    private final Path input;
    private final Function<Model, List<Map<String, Tensor>>> samples;
    private final Map<String, Tolerance> perOutput;
    private final Tolerance fallback;
    private final PrintWriter out;
    private Equivalence.Report report;

    /**
     * @param samples the samples for the input model (random, or read from files)
     * @param perOutput tolerances by output name; the others use {@code fallback}
     */
    OptimizeGate(Path input, Function<Model, List<Map<String, Tensor>>> samples, Map<String, Tolerance> perOutput,
                 Tolerance fallback, PrintWriter out) {
        this.input = input;
        this.samples = samples;
        this.perOutput = perOutput;
        this.fallback = fallback;
        this.out = out;
    }

    /**
     * Verifies {@code rewritten}; null when equivalent, else what broke it.
     *
     * @param replay the input model after the first k applications of the same run
     */
    String check(Model rewritten, Trace trace, int applied, IntFunction<Model> replay) {
        Model reference = ModelReader.read(input); // validated when optimize loaded it
        List<Map<String, Tensor>> samples = this.samples.apply(reference);
        Equivalence.Expected expected;
        try (ModelRunner ref = ModelRunner.open(reference)) {
            expected = Equivalence.Expected.of(ref, samples); // once: every check below reuses it
        } catch (RunException e) {
            throw new UserError(input + ": cannot verify, " + e.getMessage() + "; --no-verify skips the check");
        }
        report = verify(expected, rewritten);
        out.printf("verify: %d sample%s against %s%n", samples.size(), samples.size() == 1 ? "" : "s", input);
        EquivalenceReport.printTable(report.outputs(), out);
        if (report.passed()) {
            return null;
        }
        out.printf("verify: the result differs from the input; bisecting %d application%s%n", applied,
                applied == 1 ? "" : "s");
        out.flush();
        Bisection.Culprit c = Bisection.firstFailing(applied, k -> verify(expected, replay.apply(k)));
        OutputComparison failure = c.report().firstFailure();
        if (c.application() == 0) {
            return "the model differs before any rule ran (making constants of Constant nodes and initializer"
                    + " inputs): " + failure.describe();
        }
        Trace.Applied a = trace.applications().get(c.application() - 1);
        return "rule " + a.rule() + " at node `" + a.node() + "` (application " + c.application() + " of " + applied
                + ", matched " + a.matchedNodes() + ") broke " + failure.describe();
    }

    /** The check of the rewritten model (before any bisection), once {@link #check} ran. */
    Equivalence.Report report() {
        return report;
    }

    private Equivalence.Report verify(Equivalence.Expected expected, Model candidate) {
        try (ModelRunner cand = ModelRunner.open(candidate)) {
            return Equivalence.check(expected, cand, perOutput, fallback);
        } catch (RunException e) {
            OutputComparison c = new OutputComparison("(model)", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0,
                    fallback, null, "onnxruntime cannot run the rewritten model: " + e.getMessage());
            return new Equivalence.Report(List.of(c), expected.samples().size(), 0, 0);
        }
    }
}
