package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.Bisection;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.InputShapes;
import org.onnx2trt.verify.ModelRunner;
import org.onnx2trt.verify.OutputComparison;
import org.onnx2trt.verify.RandomInputs;
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
        List<Map<String, Tensor>> samples = new ArrayList<>(this.samples.apply(reference));
        Map<String, Tensor> wide = symbolicSample(reference, rewritten);
        int asked = samples.size();
        Equivalence.Expected expected;
        try (ModelRunner ref = ModelRunner.open(reference)) {
            Equivalence.Expected e = null;
            if (wide != null) {
                samples.add(wide);
                try {
                    e = Equivalence.Expected.of(ref, samples); // once: every check below reuses it
                } catch (RunException notAtThoseSizes) {
                    samples.remove(asked);
                    out.printf("verify: the input model does not run with its symbolic dims at %s; checked with"
                            + " them at 1 only%n", describeSizes(reference));
                }
            }
            expected = e != null ? e : Equivalence.Expected.of(ref, samples);
        } catch (RunException e) {
            throw new UserError(input + ": cannot verify, " + e.getMessage() + "; --no-verify skips the check");
        }
        report = verify(expected, rewritten);
        out.printf("verify: %d sample%s%s against %s%n", asked, asked == 1 ? "" : "s", asked < samples.size()
                ? ", and one more with the symbolic dims at " + describeSizes(reference) : "", input);
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

    /**
     * One more random sample with every symbolic input dim at a size of its own (2, 3, 5, ...), so that
     * a rewrite that took the batch for 1, or mixed up two symbols, shows; other samples give them
     * all 1. Null when the input has no symbolic dims, or the rewritten model pinned them.
     */
    private static Map<String, Tensor> symbolicSample(Model reference, Model rewritten) {
        Map<String, Long> sizes = InputShapes.distinctSymbolSizes(reference);
        if (sizes.isEmpty()) {
            return null;
        }
        for (Port p : rewritten.graph().inputs()) {
            Value declared = reference.graph().lookup(p.name());
            if (declared != null && !Types.describe(declared.type()).equals(Types.describe(p.value().type()))) {
                return null; // --input-shape pinned this input: the rewritten model takes only that shape
            }
        }
        return RandomInputs.forModel(reference, 99, sizes, 1);
    }

    private static String describeSizes(Model m) {
        return InputShapes.distinctSymbolSizes(m).toString().replace("=", " = ");
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
