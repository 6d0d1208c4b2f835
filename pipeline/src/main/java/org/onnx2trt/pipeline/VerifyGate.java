package org.onnx2trt.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.onnx2trt.exec.RunException;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.Bisection;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.ModelRunner;
import org.onnx2trt.verify.NoiseFloor;
import org.onnx2trt.verify.OutputComparison;
import org.onnx2trt.verify.Tolerance;

/**
 * A verify stage: the rewritten model against the input model in onnxruntime. On a failure the run
 * is bisected (replaying the first k applications on a fresh copy of the input) to the first
 * application that broke equivalence, and that rule, node, output and error are reported.
 */
final class VerifyGate {
    private final String inputLabel;
    private final List<Map<String, Tensor>> samples;
    private final Map<String, Tolerance> perOutput;
    private final Tolerance fallback;
    private final boolean noiseFloor;
    private final RunListener listener;
    private NoiseFloor floor = NoiseFloor.NONE;

    /**
     * @param samples the samples for the input model (random, or read from files)
     * @param perOutput tolerances by output name; the others use {@code fallback}
     * @param noiseFloor measure the input model's own float32 rounding and allow for it ({@link NoiseFloor})
     */
    VerifyGate(String inputLabel, List<Map<String, Tensor>> samples, Map<String, Tolerance> perOutput, Tolerance fallback,
               boolean noiseFloor, RunListener listener) {
        this.inputLabel = inputLabel;
        this.samples = samples;
        this.perOutput = perOutput;
        this.fallback = fallback;
        this.noiseFloor = noiseFloor;
        this.listener = listener;
    }

    /** The stage's figures, and what broke equivalence (null when nothing did). */
    record Outcome(StageReport.Verified report, String failure) {}

    /**
     * Verifies {@code rewritten} against {@code reference}.
     *
     * @param replay the input model after the first k applications of the same run
     */
    Outcome check(Model reference, Model rewritten, Trace trace, int applied, IntFunction<Model> replay) {
        List<Map<String, Tensor>> samples = new ArrayList<>(this.samples);
        Map<String, Tensor> wide = symbolicSample(reference, rewritten);
        // three runs of onnxruntime (the input, the input rounded otherwise, the result): on a big model each
        // takes seconds, so a terminal shows where the check is
        org.onnx2trt.quant.data.Progress progress = listener.progress();
        progress.begin("verify", noiseFloor ? 3 : 2, "model runs");
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
                    listener.note("verify: the input model does not run with its symbolic dims at "
                            + InputShapes.describe(InputShapes.distinctSymbolSizes(reference)) + "; checked with them at 1 only");
                }
            }
            expected = e != null ? e : Equivalence.Expected.of(ref, samples);
        } catch (RunException e) {
            throw new PipelineInputException(inputLabel + ": cannot verify, " + e.getMessage()
                    + "; --no-verify skips the check");
        }
        progress.advance(1);
        if (noiseFloor) {
            try {
                floor = NoiseFloor.measure(withSharedConstants(reference), List.of(), expected, NoiseFloor.SEED);
            } catch (RunException e) {
                listener.note("verify: no noise floor (onnxruntime cannot run the input with its own optimizations: "
                        + e.getMessage() + "); judged by the tolerance alone");
            }
            progress.advance(2);
        }
        Equivalence.Report report = verify(expected, rewritten);
        progress.advance(noiseFloor ? 3 : 2);
        progress.end();
        StageReport.Verified figures = new StageReport.Verified(asked,
                asked < samples.size() ? InputShapes.distinctSymbolSizes(reference) : null, report, noiseFloor);
        listener.stageDone(figures);
        if (report.passed()) {
            return new Outcome(figures, null);
        }
        listener.note("verify: the result differs from the input; bisecting " + applied + " application"
                + (applied == 1 ? "" : "s"));
        int[] replays = {0};
        int most = 2 + (int) Math.ceil(Math.log(applied + 1.0) / Math.log(2)); // the empty prefix, the halvings, the last
        progress.begin("verify: bisecting", most, "replays");
        Bisection.Culprit c = Bisection.firstFailing(applied, k -> {
            Equivalence.Report r = verify(expected, replay.apply(k));
            progress.advance(Math.min(++replays[0], most));
            return r;
        });
        progress.end();
        OutputComparison failure = c.report().firstFailure();
        if (failure == null) { // no prefix of the applications reproduces it: say what the full run showed
            return new Outcome(figures, "the result differs from the input, and replaying the stages with fewer rule"
                    + " applications did not reproduce it: " + report.firstFailure().describe());
        }
        if (c.application() == 0) {
            return new Outcome(figures, "the model differs before any rule ran (making constants of Constant nodes and"
                    + " initializer inputs): " + failure.describe());
        }
        Trace.Applied a = trace.applications().get(c.application() - 1);
        return new Outcome(figures, "rule " + a.rule() + " at node `" + a.node() + "` (application " + c.application()
                + " of " + applied + ", matched " + a.matchedNodes() + ") broke " + failure.describe());
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

    /** Models with fewer initializers than this are not worth copying for the noise floor. */
    private static final int SHARE_CONSTANTS_FROM = 1000;

    /**
     * The model the noise floor runs with onnxruntime's optimizations on: the input itself, or, when it
     * repeats constants, a copy with each repeated initializer shared. Bitwise equal constants compute
     * exactly the same, and onnxruntime's optimizer spends far less time on the shared form: on a
     * 32,500-node Conv-BN-Relu chain whose BN statistics repeat 43,000 times, creating the optimized
     * session took 40 s from the input and 20 s from the copy.
     */
    private static Model withSharedConstants(Model reference) {
        if (reference.graph().initializers().size() < SHARE_CONSTANTS_FROM) {
            return reference;
        }
        Model copy = Model.fromProto(reference.toProto());
        return org.onnx2trt.transform.Deduplicate.initializers(copy.graph()) > 0 ? copy : reference;
    }

    private Equivalence.Report verify(Equivalence.Expected expected, Model candidate) {
        try (ModelRunner cand = ModelRunner.open(candidate)) {
            return Equivalence.check(expected, cand, perOutput, fallback, floor);
        } catch (RunException e) {
            OutputComparison c = new OutputComparison("(model)", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0,
                    fallback, null, "onnxruntime cannot run the rewritten model: " + e.getMessage());
            return new Equivalence.Report(List.of(c), expected.samples().size(), 0, 0, floor);
        }
    }
}
