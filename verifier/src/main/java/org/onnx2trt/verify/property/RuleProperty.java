package org.onnx2trt.verify.property;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.onnx2trt.dsl.ast.Check;
import org.onnx2trt.exec.RunException;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Problem;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.LogitOutputs;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.RuleFacts;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.text.GraphText;
import org.onnx2trt.verify.ModelRunner;
import org.onnx2trt.verify.OutputComparison;
import org.onnx2trt.verify.Outputs;
import org.onnx2trt.verify.Tolerance;

/**
 * The property every rule must have: on any instance of its own pattern it either fires and the
 * graph computes the same function (onnxruntime before and after, on seeded random inputs), or it
 * declines for one of the reasons its checks give (or for a safety reason of the engine's). A
 * failure is shrunk to a small counterexample and printed with the seed that replays it.
 *
 * <p>Exact rules must agree within rtol 1e-4 and atol 1e-5·max(1, max|expected|) (reordered float32
 * arithmetic on values up to 1e3). Rules tagged {@code quant} are approximate by design: every
 * element must be within 5% of max(1, max|expected|), or the output as a whole must keep a cosine
 * similarity of at least 0.99 with the expected one; a heuristic for int8 weights. Each weight is
 * off by at most half a step, max|w|/254, so outputs typically move by under 1% of their scale; a
 * shrunk instance sums a few products of standard normal inputs and has measured 2.4% at worst;
 * with weights near 1e3 and outputs that cancel, 9% of the largest output was seen at cosine 0.996.
 * An SNR bar would fail on outputs that cancel to near zero, where the absolute error is as small
 * as ever. A rule that states its bound ({@code approx snr 30}) is held to it: each output keeps that
 * SNR, or (an output that cancels) every element stays within 5% of its scale.
 *
 * <p>A rule that reads calibration facts ({@code hasCalib(x)}, {@code calib(x).amax}) sees each
 * instance calibrated on the samples it runs on (minmax), as a quantization recipe would.
 */
public final class RuleProperty {
    static final double APPROXIMATE_FRACTION = 0.05;
    static final double APPROXIMATE_COSINE = 0.99;
    private static final int INPUT_SAMPLES = 2;

    /**
     * @param tries instances to generate; instance i uses seed {@code seed + i}
     * @param shrinkSteps the most replays spent shrinking a failure
     */
    public record Settings(int tries, long seed, int shrinkSteps) {}

    /** What the tries showed. */
    public record Outcome(String rule, int tries, int fired, Map<String, Integer> declined, Map<String, Integer> skipped,
                          String notCovered, Counterexample counterexample) {
        public boolean passed() {
            return notCovered == null && counterexample == null && fired > 0;
        }

        /** Whether an instance showed the rule wrong. */
        public boolean refuted() {
            return counterexample != null;
        }

        /** {@code ok}, {@code FAIL} (a counterexample) or {@code NOT VERIFIED} (no instance could be built, or none fired). */
        public String status() {
            return passed() ? "ok" : refuted() ? "FAIL" : "NOT VERIFIED";
        }

        /** One paragraph for a report: figures, and the counterexample when there is one. */
        public String describe() {
            if (notCovered != null) {
                return rule + ": not verified: no instance could be built: " + notCovered;
            }
            String figures = rule + ": " + tries + " instances, fired " + fired + ", declined " + declined.values().stream()
                    .mapToInt(Integer::intValue).sum() + (declined.isEmpty() ? "" : " " + declined) + ", skipped "
                    + skipped.values().stream().mapToInt(Integer::intValue).sum() + (skipped.isEmpty() ? "" : " " + skipped);
            if (counterexample != null) {
                return figures + "\n" + counterexample.describe();
            }
            if (fired == 0) {
                String hardest = declined.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
                return figures + "\nnot verified: no instance fired" + (hardest == null ? "" : "; could not satisfy \"" + hardest
                        + "\" (the check that declined most)");
            }
            return figures;
        }
    }

    /** A shrunk failing instance. */
    public record Counterexample(String rule, long seed, int shrinkSteps, String problem, String before, String after) {
        public String describe() {
            return "counterexample (seed " + seed + ", shrunk in " + shrinkSteps + " steps): " + problem
                    + "\nbefore:\n" + indent(before) + (after == null ? "" : "after " + rule + ":\n" + indent(after));
        }

        private static String indent(String text) {
            return text.lines().map(l -> "  " + l).collect(Collectors.joining("\n", "", "\n"));
        }
    }

    private sealed interface Verdict {}

    private record Fired() implements Verdict {}

    private record Declined(String reason) implements Verdict {}

    private record Skipped(String reason) implements Verdict {}

    private record Failed(String problem, Model before, Model after) implements Verdict {}

    private final CompiledRule rule;
    private final Set<String> checkMessages;
    private final boolean approximate;
    /** The SNR an {@code approx snr N} rule promises, or null. */
    private final Double snrBound;
    /** Whether the rule reads calibration facts: each instance is then calibrated on its own samples. */
    private final boolean readsCalibration;

    private RuleProperty(CompiledRule rule) {
        this.rule = rule;
        this.checkMessages = rule.decl().checks().stream().map(Check::message).collect(Collectors.toSet());
        this.snrBound = rule.decl().metadata().approxSnrDb();
        this.approximate = snrBound != null || rule.decl().metadata().tags().contains("quant");
        this.readsCalibration = InstanceCalibration.readsCalibration(rule);
    }

    /** Checks {@code rule} on {@code settings.tries()} generated instances. */
    public static Outcome check(CompiledRule rule, Settings settings) {
        return new RuleProperty(rule).run(settings);
    }

    private Outcome run(Settings s) {
        int fired = 0;
        Map<String, Integer> skipped = new LinkedHashMap<>();
        Map<String, Integer> declined = new LinkedHashMap<>();
        for (int i = 0; i < s.tries(); i++) {
            long seed = s.seed() + i;
            InstanceGenerator.Instance inst;
            try {
                inst = InstanceGenerator.generate(rule, Choices.fresh(seed));
            } catch (UnsupportedPattern e) {
                return new Outcome(rule.name(), i, fired, declined, skipped, e.getMessage(), null);
            } catch (UnsupportedInstance e) {
                skipped.merge(e.getMessage(), 1, Integer::sum);
                continue;
            }
            Verdict v = evaluate(inst.model(), inst.parameters(), seed);
            if (v instanceof Failed f) {
                int firedWithFailure = fired + (f.after() != null ? 1 : 0);
                return new Outcome(rule.name(), i + 1, firedWithFailure, declined, skipped, null, shrink(inst, f, seed, s));
            } else if (v instanceof Declined d) {
                declined.merge(d.reason(), 1, Integer::sum);
            } else if (v instanceof Skipped k) {
                skipped.merge(k.reason(), 1, Integer::sum);
            } else {
                fired++;
            }
        }
        return new Outcome(rule.name(), s.tries(), fired, declined, skipped, null, null);
    }

    private Verdict evaluate(Model before, Map<String, Object> parameters, long seed) {
        if (!GraphValidator.errors(before).isEmpty()) {
            return new Skipped("generator made an invalid graph: " + GraphValidator.errors(before));
        }
        List<Map<String, Tensor>> samples;
        try {
            samples = Samples.random(before, seed, INPUT_SAMPLES, InputShapes.DEFAULT);
        } catch (IllegalArgumentException e) {
            return new Skipped(e.getMessage());
        }
        List<Map<String, Tensor>> expected = new ArrayList<>();
        try (ModelRunner ref = ModelRunner.open(before)) {
            for (Map<String, Tensor> sample : samples) {
                expected.add(ref.run(sample));
            }
        } catch (RunException e) {
            return new Skipped("onnxruntime cannot run the instance: " + e.getMessage());
        }
        Model after = Model.fromProto(before.toProto());
        Trace trace = new Trace(true);
        RuleFacts facts;
        try {
            facts = (readsCalibration ? InstanceCalibration.minmax(before, samples) : RuleFacts.NONE)
                    .withParameters(parameters);
        } catch (RunException e) {
            return new Skipped("onnxruntime cannot run the instance: " + e.getMessage());
        }
        int applied = new Rewriter(EvaluatorExpressions.withFacts(facts), SchemaTable.builtin())
                .run(after, new Program(List.of(new org.onnx2trt.rewrite.Stage("property", List.of(rule), true, 64))), trace);
        List<String> logits = LogitOutputs.of(after); // outputs that became logits by design (`effect logits`)
        if (applied == 0) {
            return declineVerdict(trace, before);
        }
        List<Problem> errors = GraphValidator.errors(after);
        if (!errors.isEmpty()) {
            return new Failed("the rewritten graph is invalid: " + errors, before, after);
        }
        int grown = after.graph().nodeCount() - before.graph().nodeCount();
        if (trace.events().stream().anyMatch(e -> e instanceof Trace.BoundReached) && grown >= 32) {
            // the same function, but no fixpoint: its result matches it again, one more node each time
            return new Failed("the rule matches its own result: " + applied + " applications added " + grown
                    + " nodes without reaching a fixpoint (in a pipeline it would grow the graph until the node budget"
                    + " stops it)", before, after);
        }
        try (ModelRunner cand = ModelRunner.open(after)) {
            for (int i = 0; i < samples.size(); i++) {
                Map<String, Tensor> actual = cand.run(samples.get(i));
                for (Map.Entry<String, Tensor> e : expected.get(i).entrySet()) {
                    Tensor got = actual.get(e.getKey());
                    if (got == null) {
                        return new Failed("graph output `" + e.getKey() + "` is gone", before, after);
                    }
                    if (logits.contains(e.getKey())) {
                        got = Outputs.sigmoid(got);
                    }
                    String problem = compare(e.getKey(), e.getValue(), got);
                    if (problem != null) {
                        return new Failed(problem, before, after);
                    }
                }
            }
        } catch (RunException e) {
            return new Failed("onnxruntime cannot run the rewritten graph: " + e.getMessage(), before, after);
        }
        return new Fired();
    }

    private Verdict declineVerdict(Trace trace, Model before) {
        List<Trace.Declined> declines = trace.events().stream().filter(e -> e instanceof Trace.Declined)
                .map(e -> (Trace.Declined) e).toList();
        if (declines.isEmpty()) {
            return new Failed("did not fire and gave no reason", before, null);
        }
        Trace.Declined d = declines.get(declines.size() - 1);
        if (rule.patterns().size() > 1) { // another form's structural mismatch may come last: a check's reason is the answer
            for (int i = declines.size() - 1; i >= 0; i--) {
                if (!isStructural(declines.get(i).reason())) {
                    d = declines.get(i);
                    break;
                }
            }
        }
        String reason = d.reason();
        if (checkMessages.contains(reason)) {
            return new Declined(reason);
        }
        if (reason.startsWith("cannot compute") || reason.contains("(cannot evaluate") || reason.startsWith("check at ")) {
            return new Failed("declined for a reason that is none of its checks: " + reason, before, null);
        }
        if (isStructural(reason)) {
            return new Failed("did not match an instance of its own pattern: " + reason, before, null);
        }
        return new Declined("engine: " + reason); // a rewrite the engine refuses as unsafe
    }

    /** A matcher's reason (op type, wiring, input count), not a check's or the engine's. */
    private static boolean isStructural(String reason) {
        return reason.startsWith("`") && (reason.contains(" needs ") || reason.contains(" is not computed by ")
                || reason.contains(" has ") || reason.contains(" is absent"));
    }

    private String compare(String name, Tensor expected, Tensor actual) {
        double scale = 1;
        var view = expected.view();
        for (int i = 0; i < view.size(); i++) {
            double v = Math.abs(view.getDouble(i));
            if (Double.isFinite(v)) {
                scale = Math.max(scale, v);
            }
        }
        Tolerance tol = approximate ? new Tolerance(APPROXIMATE_FRACTION * scale, 0) : new Tolerance(1e-5 * scale, 1e-4);
        OutputComparison c = OutputComparison.of(name, expected, actual, tol);
        if (snrBound != null && c.problem() == null) {
            // the stated bound; an output that cancels to near zero has no meaningful SNR, and passes
            // when every element is within 5% of the output's scale
            return c.snrDb() >= snrBound || c.passed() ? null : String.format(java.util.Locale.ROOT,
                    "output `%s` keeps %.1f dB SNR, below the %.1f dB the rule states (approx snr); %s", name, c.snrDb(),
                    snrBound, c.describe());
        }
        if (approximate && c.problem() == null && c.cosine() >= APPROXIMATE_COSINE) {
            return null;
        }
        return c.passed() ? null : c.describe();
    }

    /** Edits the failing draws towards 0 while the instance still fails: each draw to 0, halved, less one. */
    private Counterexample shrink(InstanceGenerator.Instance failing, Failed failure, long seed, Settings s) {
        int[] best = failing.draws();
        Failed bestFailure = failure;
        int steps = 0;
        boolean improved = true;
        while (improved && steps < s.shrinkSteps()) {
            improved = false;
            for (int i = 0; i < best.length && steps < s.shrinkSteps(); i++) {
                if (best[i] == 0) {
                    continue;
                }
                for (int candidate : new int[] {0, best[i] / 2, best[i] - 1}) {
                    if (candidate >= best[i]) {
                        continue;
                    }
                    int[] trial = best.clone();
                    trial[i] = candidate;
                    steps++;
                    Failed f = failedReplay(trial, seed);
                    if (f != null) {
                        best = trial;
                        bestFailure = f;
                        improved = true;
                        break;
                    }
                }
            }
        }
        String after = bestFailure.after() == null ? null : GraphText.print(bestFailure.after());
        return new Counterexample(rule.name(), seed, steps, bestFailure.problem(), GraphText.print(bestFailure.before()), after);
    }

    private Failed failedReplay(int[] draws, long seed) {
        try {
            InstanceGenerator.Instance inst = InstanceGenerator.generate(rule, Choices.replay(draws));
            return evaluate(inst.model(), inst.parameters(), seed) instanceof Failed f ? f : null;
        } catch (UnsupportedPattern | UnsupportedInstance | IllegalArgumentException | IllegalStateException e) {
            return null;
        }
    }
}
