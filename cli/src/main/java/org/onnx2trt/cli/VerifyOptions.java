package org.onnx2trt.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Model;
import org.onnx2trt.pipeline.SampleSource;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.SampleException;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.Tolerance;
import picocli.CommandLine.Option;

/** The options that say how two models are compared: samples, shapes, tolerances (verify, optimize). */
final class VerifyOptions {
    @Option(names = "--samples", paramLabel = "N", description = "random samples to run (default: ${DEFAULT-VALUE})")
    int samples = 4;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the random samples (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--inputs", paramLabel = "PATH",
            description = "samples instead of random ones: a .npz, a .npy, or a folder of .npz files (one per sample)")
    Path inputs;

    @Option(names = "--input-shape", paramLabel = "NAME:D0,D1,..",
            description = "the shape of an input with symbolic dims (default: every unknown dim 1)")
    List<String> inputShapes = new ArrayList<>();

    @Option(names = "--atol", paramLabel = "X|OUTPUT=X",
            description = "absolute tolerance, for all outputs or one (default: 1e-5)")
    List<String> atol = new ArrayList<>();

    @Option(names = "--rtol", paramLabel = "Y|OUTPUT=Y",
            description = "relative tolerance, for all outputs or one (default: 1e-4)")
    List<String> rtol = new ArrayList<>();

    @Option(names = "--no-noise-floor",
            description = "judge by --atol/--rtol alone; by default each output may also differ by 4x the model's own"
                    + " float32 rounding, measured by running it with onnxruntime's fusions and inputs one ulp away"
                    + " (also off when --atol or --rtol is given)")
    boolean noNoiseFloor;

    /** The samples for {@code model}: loaded from --inputs, else random. */
    List<Map<String, Tensor>> samples(Model model) {
        if (samples < 1) {
            throw new UserError("--samples " + samples + ": give at least 1");
        }
        checkNames(model);
        return sampleSource().samples(model, samples, seed);
    }

    /** Samples for a recipe's verify stage: --inputs when given, else random ones of the stage's count and seed. */
    SampleSource sampleSource() {
        return (model, count, stageSeed) -> {
            try {
                if (inputs != null) {
                    return Samples.load(inputs, model);
                }
                return Samples.random(model, stageSeed, count, InputShapes.parse(inputShapes));
            } catch (SampleException | IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        };
    }

    /** The --input-shape options by input name. */
    Map<String, long[]> pinnedShapes() {
        try {
            return InputShapes.parse(inputShapes).shapes();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * Refuses an --atol/--rtol output name or an --input-shape input name the model does not have (with the
     * closest name it does have): a tolerance or shape for a name that is not there would be ignored.
     */
    void checkNames(Model model) {
        checkOutputNames(union(named(atol, "--atol"), named(rtol, "--rtol")), model);
        List<String> inputs = model.graph().runtimeInputs().stream().map(org.onnx2trt.ir.Value::name).toList();
        for (String name : pinnedShapes().keySet()) {
            if (!inputs.contains(name)) {
                throw new UserError("--input-shape " + name + ":...: the model has no input `" + name + "`"
                        + org.onnx2trt.dsl.diag.Suggestions.didYouMean(name, inputs) + "; its inputs are " + inputs);
            }
        }
    }

    /** Refuses a per-output tolerance for an output {@code model} does not have, naming the ones it has. */
    static void checkOutputNames(java.util.Collection<String> names, Model model) {
        List<String> outputs = model.graph().outputs().stream().map(org.onnx2trt.ir.Port::name).toList();
        for (String name : names) {
            if (!outputs.contains(name)) {
                throw new UserError("--atol/--rtol " + name + "=...: the model has no output `" + name + "`"
                        + org.onnx2trt.dsl.diag.Suggestions.didYouMean(name, outputs) + "; its outputs are " + outputs);
            }
        }
    }

    /** Whether checks measure the model's noise floor and allow for it (see --no-noise-floor). */
    boolean noiseFloor() {
        return !noNoiseFloor && atol.isEmpty() && rtol.isEmpty();
    }

    Tolerance fallback() {
        return new Tolerance(global(atol, "--atol", Tolerance.DEFAULT.atol()), global(rtol, "--rtol", Tolerance.DEFAULT.rtol()));
    }

    /** Per-output tolerances from {@code --atol OUT=X} / {@code --rtol OUT=Y}. */
    Map<String, Tolerance> perOutput() {
        Tolerance base = fallback();
        Map<String, Double> a = named(atol, "--atol");
        Map<String, Double> r = named(rtol, "--rtol");
        Map<String, Tolerance> out = new HashMap<>();
        for (String name : union(a, r)) {
            out.put(name, new Tolerance(a.getOrDefault(name, base.atol()), r.getOrDefault(name, base.rtol())));
        }
        return out;
    }

    private static List<String> union(Map<String, Double> a, Map<String, Double> b) {
        List<String> names = new ArrayList<>(a.keySet());
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(names::add);
        return names;
    }

    private static double global(List<String> values, String option, double fallback) {
        double v = fallback;
        for (String s : values) {
            if (!s.contains("=")) {
                v = number(s, option, s);
            }
        }
        return v;
    }

    private static Map<String, Double> named(List<String> values, String option) {
        Map<String, Double> out = new HashMap<>();
        for (String s : values) {
            int eq = s.lastIndexOf('=');
            if (eq > 0) {
                out.put(s.substring(0, eq), number(s.substring(eq + 1), option, s));
            }
        }
        return out;
    }

    private static double number(String text, String option, String whole) {
        try {
            double v = Double.parseDouble(text.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError(option + " " + whole + ": expected a non-negative number, or OUTPUT=number");
    }
}
