package org.onnx2trt.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;
import org.onnx2trt.pipeline.Pipeline;
import org.onnx2trt.pipeline.RuleSets;
import org.onnx2trt.pipeline.RunListener;
import org.onnx2trt.pipeline.RunOptions;
import org.onnx2trt.pipeline.RunReport;
import org.onnx2trt.pipeline.StageReport;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.NoiseFloor;
import org.onnx2trt.verify.OutputComparison;
import org.onnx2trt.verify.models.DeepModels;

/**
 * {@code bench gate}: how well the verify gate tells rounding from error. The default recipe runs on
 * each model (the exports given, and deep ResNet-50, RegNetX-400MF and EfficientNet-B0 shapes with
 * trained-looking statistics): a failure there is a false alarm, counted with the noise floor and with
 * the plain {@code atol 1e-5, rtol 1e-4}. Then each planted wrong rule ({@code planted.rw}) runs alone
 * on the deep models: a pass is a miss when the rule's error exceeds the floor.
 */
public final class GateBenchmark {
    private final PrintWriter out;

    public GateBenchmark(PrintWriter out) {
        this.out = out;
    }

    /** One check: the largest error of the output that failed first (or of the first output), its floor, the verdict. */
    private record Verdict(int applied, double maxAbs, double floor, boolean passed, String failure) {}

    /**
     * @param exports model files for the false-alarm count
     * @param divisor width divisor of the deep models (1: full width)
     * @param size input height and width of the deep models
     */
    public void run(List<Path> exports, int divisor, int size) throws IOException {
        Map<String, Model> models = new LinkedHashMap<>();
        for (Path p : exports) {
            models.put(p.getFileName().toString(), ModelReader.read(p));
        }
        Map<String, Model> deep = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        deep.put("resnet50/" + divisor + "@" + size, DeepModels.resnet50(divisor, size, 1));
        deep.put("regnetx400mf/" + divisor + "@" + size, DeepModels.regnetX400mf(divisor, size, 2));
        deep.put("efficientnetb0/" + divisor + "@" + size, DeepModels.efficientnetB0(divisor, size, 3));
        out.printf(Locale.ROOT, "deep models built and calibrated in %.1f s (width divisor %d, input %dx%d)%n",
                (System.nanoTime() - t0) / 1e9, divisor, size, size);
        models.putAll(deep);

        Path planted = Files.createTempFile("planted", ".rw");
        try (InputStream in = GateBenchmark.class.getResourceAsStream("planted.rw")) {
            Files.write(planted, in.readAllBytes());
        }
        try {
            Pipeline pipeline = new Pipeline(RuleSets.of(List.of(planted)));
            falseAlarms(pipeline, models);
            detections(pipeline, deep, plantedRules(planted));
        } finally {
            Files.deleteIfExists(planted);
        }
    }

    private void falseAlarms(Pipeline pipeline, Map<String, Model> models) {
        out.println();
        out.println("correct rewrites (the default recipe): a FAIL is a false alarm");
        out.printf("%-34s %6s %10s %10s %8s %12s %12s%n", "model", "rules", "max abs", "floor", "err/fl", "atol/rtol", "noise-aware");
        int strictAlarms = 0;
        int noiseAlarms = 0;
        double worstRatio = 0;
        for (Map.Entry<String, Model> e : models.entrySet()) {
            Verdict noise = check(pipeline, e.getValue(), List.of(), true);
            Verdict strict = check(pipeline, e.getValue(), List.of(), false);
            strictAlarms += strict.passed ? 0 : 1;
            noiseAlarms += noise.passed ? 0 : 1;
            worstRatio = noise.floor > 0 ? Math.max(worstRatio, noise.maxAbs / noise.floor) : worstRatio;
            out.printf(Locale.ROOT, "%-34s %6d %10.3g %10.3g %8s %12s %12s%n", e.getKey(), noise.applied, noise.maxAbs,
                    noise.floor, ratio(noise), strict.passed ? "ok" : "FAIL", noise.passed ? "ok" : "FAIL");
        }
        out.printf(Locale.ROOT, "false alarms: %d of %d with atol/rtol alone, %d of %d with the noise floor; the largest error"
                + " of a correct rewrite is %.2f× its floor%n", strictAlarms, models.size(), noiseAlarms, models.size(), worstRatio);
    }

    private void detections(Pipeline pipeline, Map<String, Model> deep, List<String> rules) {
        out.println();
        out.printf(Locale.ROOT, "planted wrong rules, each alone: a pass is a miss when the error exceeds the allowance (%.0f× the"
                + " floor)%n", NoiseFloor.FACTOR);
        out.printf("%-34s %-34s %6s %10s %8s %12s%n", "rule", "model", "rules", "max abs", "err/fl", "noise-aware");
        int detectable = 0;
        int caught = 0;
        int withinAllowance = 0;
        int belowFloor = 0;
        for (String rule : rules) {
            for (Map.Entry<String, Model> e : deep.entrySet()) {
                Verdict v = check(pipeline, e.getValue(), List.of(rule), true);
                if (v.applied == 0) {
                    out.printf("%-34s %-34s %6d %10s %8s %12s%n", rule, e.getKey(), 0, "-", "-", "not applied");
                    continue;
                }
                boolean beyond = !(v.maxAbs <= NoiseFloor.FACTOR * v.floor); // NaN and ∞ are beyond too
                detectable += beyond ? 1 : 0;
                caught += beyond && !v.passed ? 1 : 0;
                withinAllowance += !beyond && v.maxAbs > v.floor ? 1 : 0;
                belowFloor += v.maxAbs <= v.floor ? 1 : 0;
                out.printf(Locale.ROOT, "%-34s %-34s %6d %10.3g %8s %12s%n", rule, e.getKey(), v.applied, v.maxAbs, ratio(v),
                        v.passed ? (beyond ? "MISSED" : "passed") : "caught");
            }
        }
        out.printf("detected: %d of %d planted rule runs whose error exceeds the allowance; %d within the allowance and %d"
                + " below the floor (rounding-sized errors, which a correct rewrite also makes)%n", caught, detectable,
                withinAllowance, belowFloor);
        out.printf(Locale.ROOT, "the gate allows %.0f× the floor on top of atol/rtol; the floor is the largest difference of"
                + " the input run with onnxruntime's own fusions and inputs one ulp away%n", NoiseFloor.FACTOR);
    }

    private static String ratio(Verdict v) {
        return v.floor > 0 ? String.format(Locale.ROOT, "%.2f", v.maxAbs / v.floor) : "-";
    }

    /** Simplify, the rules ({@code only}, or the default set when empty), verify; on a copy of {@code model}. */
    private static Verdict check(Pipeline pipeline, Model model, List<String> only, boolean noiseFloor) {
        Recipe recipe = new Recipe("gate", "bench gate", List.of(
                new Recipe.Simplify(false, Recipe.Simplify.DEFAULT_MAX_FOLDED_SIZE, "gate"),
                new Recipe.Rules(only, List.of(), List.of(), true, -1, "gate"),
                new Recipe.Verify(4, 1, 1e-5, 1e-4, noiseFloor, "gate")), "gate");
        RunReport r = pipeline.run(Model.fromProto(model.toProto()), recipe, RunOptions.defaults("model"), RunListener.NONE);
        int applied = r.trace().applications().size();
        for (StageReport s : r.stages()) {
            if (s instanceof StageReport.Verified v) {
                Equivalence.Report eq = v.equivalence();
                OutputComparison c = eq.firstFailure() != null ? eq.firstFailure() : eq.outputs().get(0);
                return new Verdict(applied, c.maxAbs(), eq.floor().of(c.name()), r.ok(), r.failure());
            }
        }
        throw new IllegalStateException("the recipe has a verify stage");
    }

    private static List<String> plantedRules(Path file) throws IOException {
        return RuleFrontEnd.load(Files.readString(file), file.toString()).file().rules().stream().map(RuleDecl::name).toList();
    }
}
