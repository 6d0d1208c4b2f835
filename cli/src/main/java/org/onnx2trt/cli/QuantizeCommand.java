package org.onnx2trt.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onnx2trt.pipeline.RuleSets;
import org.onnx2trt.recipe.BuiltinRecipes;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.recipe.RecipeException;
import org.onnx2trt.rules.RuleLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code onnx2trt quantize IN -o OUT --calib DATA [--method entropy] [--target tensorrt|ort-cpu] [--exclude ...]
 * [--min-snr DB] [--max-drop POINTS] [--report r.json]}: the built-in recipe {@code int8-tensorrt} with
 * the command's settings.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantize a float model to INT8 for TensorRT: an explicit QDQ model (standard ONNX, opset 13+).",
                "Runs the built-in recipe int8-tensorrt: simplify and fuse (checked against the input), calibrate on"
                        + " --calib, place QuantizeLinear/DequantizeLinear pairs (symmetric int8, zero point 0, activations"
                        + " per tensor, weights per output channel, bias float), then compare with the float model on the"
                        + " calibration data: SNR per output, top-1 agreement, and accuracy when the data has labels.",
                "With --min-snr or --max-drop, each layer group (what one rule quantized) is measured alone and the most"
                        + " sensitive go back to float until the bounds hold; exit 1 when even that does not meet them"
                        + " (nothing is written)."})
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "the float model (.onnx)")
    Path in;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", required = true, description = "the quantized model to write")
    Path out;

    @Option(names = "--method", paramLabel = "METHOD",
            description = "calibration: minmax, percentile (99.99), entropy (TensorRT's, the default) or mse")
    String method;

    @Option(names = "--target", paramLabel = "TARGET", description = "where the model runs: tensorrt (the default; QDQ as TensorRT fuses it) or ort-cpu"
            + " (QDQ as onnxruntime's CPU fusions need it: int32 bias, quantized outputs)")
    String target;

    @Option(names = "--equalize", description = "cross-layer equalization before calibration (the rules tagged cle: exact,"
            + " checked by the verify stage): channels whose ranges differ by orders of magnitude share one scale")
    boolean equalize;

    @Option(names = "--bias-correct", paramLabel = "METHOD", arity = "0..1", fallbackValue = "both",
            description = "after quantizing, correct each quantized layer's bias for the mean error its int8 rounding adds:"
                    + " analytic (from the weights' rounding and the calibration's channel means), empirical (measured on"
                    + " --calib layer by layer, kept only where the output SNR does not drop) or both (the default)")
    String biasCorrect;

    @Option(names = "--explain", paramLabel = "NODE",
            description = "print why each rule (fusions, then QDQ placement) did or did not fire at this node")
    String explain;

    @Option(names = "--exclude", paramLabel = "NAME_OR_OP", split = ",",
            description = "leave these in float: node name globs (* and ?) or op types, e.g. --exclude 'head*',Gemm")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--min-snr", paramLabel = "DB", description = "the lowest SNR an output may keep (default: 10 dB)")
    Double minSnr;

    @Option(names = "--max-drop", paramLabel = "POINTS",
            description = "the most points of top-1 that may be lost: accuracy with labels, agreement with the float"
                    + " model without (default: no bound)")
    Double maxDrop;

    @Option(names = "--sensitivity",
            description = "report what each layer group costs quantized alone (SNR, top-1), most sensitive first")
    boolean sensitivity;

    @Option(names = "--no-fallback",
            description = "with --min-snr/--max-drop, stop when they are not met instead of giving the most sensitive"
                    + " layers back to float until they are")
    boolean noFallback;

    @Option(names = "--eval", paramLabel = "DATA",
            description = "held-out data (same forms and preprocessing as --calib; labels give accuracy) to judge the"
                    + " int8 model on, and the fallback by (default: the calibration data)")
    Path evalData;

    @Option(names = "--report", paramLabel = "FILE", description = "write what each stage did and the figures as JSON, or as one self-contained HTML page when FILE ends in .html")
    Path report;

    @Mixin
    InputShapeOptions shapes;

    @Mixin
    DataOptions data;

    @Mixin
    CacheOptions cache = new CacheOptions();

    @Option(names = "--use-calibration-cache", paramLabel = "FILE",
            description = "take the activation scales from a TensorRT calibration cache (TRT-<version>-EntropyCalibration2)"
                    + " instead of measuring them; --calib is then needed only to compare with the float model")
    Path useCache;

    @Override
    public Integer call() throws IOException {
        if (!Files2.differ(in, out)) {
            throw new UserError(out + ": OUT is the input model; choose another output file");
        }
        if (data.data == null && useCache == null) {
            throw new UserError("quantize needs calibration data: give --calib DATA (a .npz/.npy of samples, a folder of"
                    + " .npz files, or a folder of images), or the scales of a TensorRT calibration cache with"
                    + " --use-calibration-cache FILE");
        }
        data.checkExists("--calib", data.data);
        data.checkExists("--eval", evalData);
        data.checkExists("--use-calibration-cache", useCache);
        org.onnx2trt.quant.calib.CalibrationTable imported = null;
        if (useCache != null) {
            try {
                imported = org.onnx2trt.quant.calib.CalibrationCache.read(useCache).table();
            } catch (org.onnx2trt.quant.calib.CalibrationCache.CacheException e) {
                throw new UserError(e.getMessage());
            }
        }
        Recipe recipe = recipe();
        if (data.data == null) { // scales from the cache, and no data to compare the float and int8 models on
            recipe = new Recipe(recipe.name(), recipe.description(),
                    recipe.stages().stream().filter(s -> !(s instanceof Recipe.Evaluate)).toList(), recipe.source());
            spec.commandLine().getOut().println("evaluate: left out: no data to compare the float and int8 models on (give"
                    + " --calib DATA to measure the accuracy the cache's scales keep)");
        }
        spec.commandLine().getOut().printf("recipe %s: %d stages on %s%n", recipe.name(), recipe.stages().size(), in);
        VerifyOptions verify = new VerifyOptions();
        verify.inputShapes = shapes.inputShapes;
        Map<String, Path> dataFiles = new java.util.HashMap<>(); // no output may overwrite them
        dataFiles.put("--calib", data.data);
        dataFiles.put("--eval", evalData);
        dataFiles.put("--use-calibration-cache", useCache);
        RecipeRun.Settings settings = new RecipeRun.Settings(verify.sampleSource(), Map.of(), explain, null, report, false,
                verify.pinnedShapes(), data.data == null ? null : m -> data.open(m, shapes.inputShapes),
                evalData == null ? null : m -> data.openAt(evalData, m, shapes.inputShapes), imported, cache)
                .readingData(dataFiles);
        return new RecipeRun(in, recipe, settings, RuleSets.builtin(), spec.commandLine().getOut(),
                spec.commandLine().getErr()).run(out);
    }

    /** The built-in int8-tensorrt recipe with this command's settings in its stages. */
    private Recipe recipe() {
        Recipe base;
        try {
            base = BuiltinRecipes.load("int8-tensorrt", RuleLibrary.builtin().namesAndTags());
        } catch (RecipeException e) {
            throw new IllegalStateException("the built-in int8-tensorrt recipe does not load: " + e.getMessage(), e);
        }
        if (method != null && !List.of("minmax", "percentile", "entropy", "mse").contains(method)) {
            throw new UserError("--method " + method + ": give minmax, percentile, entropy or mse"
                    + org.onnx2trt.dsl.diag.Suggestions.didYouMean(method, List.of("minmax", "percentile", "entropy", "mse")));
        }
        if (target != null && !target.equals("tensorrt") && !target.equals("ort-cpu")) {
            throw new UserError("--target " + target + ": give tensorrt or ort-cpu"
                    + org.onnx2trt.dsl.diag.Suggestions.didYouMean(target, List.of("tensorrt", "ort-cpu")));
        }
        if (biasCorrect != null && !List.of("analytic", "empirical", "both").contains(biasCorrect)) {
            throw new UserError("--bias-correct " + biasCorrect + ": give analytic, empirical or both"
                    + org.onnx2trt.dsl.diag.Suggestions.didYouMean(biasCorrect, List.of("analytic", "empirical", "both")));
        }
        if (biasCorrect != null && !biasCorrect.equals("analytic") && data.data == null) {
            throw new UserError("--bias-correct " + biasCorrect + " measures the layers on data: give --calib DATA (or use"
                    + " --bias-correct analytic)");
        }
        if (minSnr != null && !(minSnr >= 0) || maxDrop != null && !(maxDrop >= 0)) {
            throw new UserError("--min-snr and --max-drop take non-negative numbers");
        }
        List<Recipe.Stage> stages = new ArrayList<>();
        for (Recipe.Stage s : base.stages()) {
            if (s instanceof Recipe.Rules r && equalize) {
                List<String> enable = new ArrayList<>(r.enable());
                enable.add("cle");
                s = new Recipe.Rules(r.only(), enable, r.disable(), r.fixpoint(), r.maxApplications(), r.where());
            } else if (s instanceof Recipe.Calibrate c) {
                s = new Recipe.Calibrate(method != null ? method : c.method(), data.maxSamples, c.where());
            } else if (s instanceof Recipe.Quantize q) {
                s = new Recipe.Quantize(target != null ? target : q.target(), exclude, q.convTransposeAxis(), q.weights(), q.where());
                if (biasCorrect != null) {
                    stages.add(s);
                    s = new Recipe.BiasCorrect(biasCorrect, 64, "--bias-correct");
                }
            } else if (s instanceof Recipe.Evaluate e) {
                boolean bounded = minSnr != null || maxDrop != null;
                s = new Recipe.Evaluate(e.samples(), minSnr != null ? minSnr : e.minSnrDb(),
                        maxDrop != null ? maxDrop : e.maxDrop(), bounded ? !noFallback : e.fallback(),
                        sensitivity || e.sensitivity(), e.where());
            } else if (s instanceof Recipe.Lint && "ort-cpu".equals(target)) {
                continue; // the lint is TensorRT's; a model for onnxruntime's CPU kernels is not meant for it
            }
            stages.add(s);
        }
        return new Recipe(base.name(), base.description(), stages, base.source());
    }
}
