package org.onnx2trt.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Model;
import org.onnx2trt.pipeline.Pipeline;
import org.onnx2trt.pipeline.RuleSets;
import org.onnx2trt.pipeline.RunListener;
import org.onnx2trt.pipeline.RunOptions;
import org.onnx2trt.pipeline.RunReport;
import org.onnx2trt.pipeline.StageReport;
import org.onnx2trt.recipe.BuiltinRecipes;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.recipe.RecipeException;
import org.onnx2trt.rules.RuleLibrary;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.transform.Float16Conversion;
import org.onnx2trt.verify.OrtLatencyProfile;

/**
 * {@code ./onnx2trt benchmark MODEL}: the model as given, optimized (the default recipe), in float16
 * and in int8 for onnxruntime's CPU kernels, timed against each other in onnxruntime on this CPU
 * (interleaved runs, p50/p90/p99), each with what it cost against the original (output SNR).
 */
public final class VariantLatency {
    /** One variant: its name, its file, what it cost (output SNR against the original; NaN where not measured). */
    public record Variant(String name, Path file, double snrDb, String note) {}

    /** The variants and their figures, in the same order. */
    public record Result(List<Variant> variants, List<OrtLatencyProfile.Figures> figures, long batch) {}

    private VariantLatency() {}

    /**
     * Builds the variants of {@code model} under {@code scratch} and times them.
     *
     * @param calibration the int8 variant's calibration data; null calibrates on random samples (the int8
     *                    timing holds, its accuracy does not mean anything)
     * @param int8        whether to make and time the int8 variant
     */
    public static Result run(Path model, Path scratch, RunOptions.DataSource calibration, boolean int8, InputShapes shapes,
                             int runs) {
        try {
            Model original = ModelReader.read(model);
            List<Variant> variants = new ArrayList<>();
            variants.add(new Variant("original", model, Double.NaN, "the reference"));
            Recipe defaults = BuiltinRecipes.load("default", RuleLibrary.builtin().namesAndTags());
            RunReport optimized = run(original, defaults, RunOptions.defaults(model.toString()));
            variants.add(new Variant("optimized", write(optimized.model(), scratch.resolve("optimized.onnx")),
                    Double.NaN, "checked equal to the original by the recipe's verify stage"));

            List<Recipe.Stage> stages = new ArrayList<>(defaults.stages());
            stages.add(new Recipe.Float16(List.copyOf(new java.util.TreeSet<>(Float16Conversion.DEFAULT_KEEP_FLOAT32)), true, 0, 4,
                    "benchmark"));
            RunReport fp16 = run(original, new Recipe("fp16", "", stages, "benchmark"), RunOptions.defaults(model.toString()));
            double fp16Snr = fp16.stages().stream().filter(s -> s instanceof StageReport.Float16).map(s -> (StageReport.Float16) s)
                    .flatMap(f -> f.outputs().stream()).mapToDouble(o -> o.snrDb()).min().orElse(Double.NaN);
            variants.add(new Variant("fp16", write(fp16.model(), scratch.resolve("fp16.onnx")), fp16Snr, ""));

            if (int8) {
                Recipe base = BuiltinRecipes.load("int8-tensorrt", RuleLibrary.builtin().namesAndTags());
                List<Recipe.Stage> q = new ArrayList<>();
                for (Recipe.Stage s : base.stages()) {
                    if (s instanceof Recipe.Quantize quantize) {
                        q.add(new Recipe.Quantize("ort-cpu", quantize.exclude(), quantize.convTransposeAxis(), quantize.weights(),
                                quantize.where()));
                    } else if (s instanceof Recipe.Evaluate e) {
                        q.add(new Recipe.Evaluate(e.samples(), 0, 100, false, false, e.where()));
                    } else if (!(s instanceof Recipe.Lint)) {
                        q.add(s);
                    }
                }
                RunOptions options = RunOptions.defaults(model.toString()).withCalibration(calibration != null ? calibration
                        : m -> RandomData.of(m, 16, shapes));
                RunReport quantized = run(original, new Recipe("int8-cpu", "", q, "benchmark"), options);
                double snr = quantized.stages().stream().filter(s -> s instanceof StageReport.Evaluated)
                        .map(s -> ((StageReport.Evaluated) s).result().worstSnrDb()).findFirst().orElse(Double.NaN);
                variants.add(new Variant("int8 (ort-cpu)", write(quantized.model(), scratch.resolve("int8.onnx")), snr,
                        calibration == null ? "random calibration: its SNR is not the model's accuracy" : ""));
            }
            Map<String, Tensor> inputs = RandomInputs.forModel(original, 1, shapes);
            List<OrtLatencyProfile.Figures> figures = OrtLatencyProfile.measure(variants.stream().map(Variant::file).toList(),
                    inputs, Math.max(5, runs / 10), runs);
            long batch = inputs.values().stream().findFirst().map(t -> t.dims().length > 0 ? t.dims()[0] : 1).orElse(1L);
            if (org.onnx2trt.trt.build.TrtProbe.probe().available()) {
                figures = new ArrayList<>(figures);
                tensorRt(variants, figures, inputs, scratch, runs);
            }
            return new Result(variants, figures, batch);
        } catch (RecipeException e) {
            throw new IllegalStateException("a built-in recipe does not load: " + e.getMessage(), e);
        }
    }

    /**
     * Where TensorRT can run: the optimized model built at the sample's shapes and timed on the GPU
     * (CUDA events), one more row; its latency is GPU time, the others' host time in onnxruntime.
     */
    private static void tensorRt(List<Variant> variants, List<OrtLatencyProfile.Figures> figures, Map<String, Tensor> inputs,
                                 Path scratch, int runs) {
        Map<String, org.onnx2trt.trt.build.BuildPlan.Profile> profiles = new java.util.LinkedHashMap<>();
        inputs.forEach((name, t) -> profiles.put(name, new org.onnx2trt.trt.build.BuildPlan.Profile(t.dims(), t.dims(), t.dims())));
        var plan = new org.onnx2trt.trt.build.BuildPlan(variants.get(1).file(), profiles, Map.of(), -1, null, List.of(),
                scratch.resolve("optimized.engine"));
        org.onnx2trt.trt.build.EngineBuilder.build(plan);
        try (var engine = org.onnx2trt.trt.build.EngineRunner.open(scratch.resolve("optimized.engine"))) {
            var l = engine.time(inputs, Math.max(10, runs / 10), runs);
            variants.add(new Variant("tensorrt (GPU)", scratch.resolve("optimized.engine"), Double.NaN,
                    "GPU time from CUDA events; run-engine compares its outputs"));
            figures.add(new OrtLatencyProfile.Figures(l.p50(), l.p90(), l.p99(), l.mean(), l.runs()));
        }
    }

    private static RunReport run(Model model, Recipe recipe, RunOptions options) {
        RunReport r = new Pipeline(RuleSets.builtin()).run(Model.fromProto(model.toProto()), recipe, options, RunListener.NONE);
        if (r.failure() != null) {
            throw new IllegalStateException(recipe.name() + ": " + r.failure());
        }
        return r;
    }

    private static Path write(Model m, Path file) {
        ModelWriter.write(m, file, WriteOptions.inline());
        return file;
    }
}
