package org.onnx2trt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.pipeline.RuleSets;
import org.onnx2trt.recipe.BuiltinRecipes;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.recipe.RecipeException;
import org.onnx2trt.rules.RuleLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt run RECIPE [--model M] [-o OUT] [--rules F ...] [--inputs P] [--input-shape ...] [--trace T] [--explain N] [--force]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a recipe: a YAML file of stages (simplify, rules, verify, calibrate, quantize, evaluate, fp16, lint, ...),"
                + " or a built-in recipe by name (./onnx2trt recipes list). Calibration data: --calib; held-out data: --eval.",
                "A verify stage checks the model so far against the input in onnxruntime; when it fails, the run is "
                        + "bisected to the rewrite that broke it and nothing is written unless --force."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECIPE", description = "a recipe .yaml file, or a built-in recipe's name")
    String recipeName;

    @Option(names = "--model", paramLabel = "M", description = "the model to read (default: the built-in sample model)")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "the model to write (default: MODEL.RECIPE.onnx in the current folder)")
    Path out;

    @Option(names = "--rules", paramLabel = "FILE_OR_DIR", description = "rule files or folders of *.rw files to add")
    List<Path> ruleFiles = new ArrayList<>();

    @Option(names = "--inputs", paramLabel = "PATH", description = "verify with these samples (.npz, .npy, or a folder)")
    Path inputs;

    @Option(names = "--input-shape", paramLabel = "NAME:D0,D1,..", description = "the shape of an input with symbolic dims")
    List<String> inputShapes = new ArrayList<>();

    @Option(names = "--trace", paramLabel = "FILE", description = "write every application and decline as JSON")
    Path traceFile;

    @Option(names = "--explain", paramLabel = "NODE", description = "print why each rule did or did not fire at this node")
    String explain;

    @Option(names = "--report", paramLabel = "FILE", description = "write what each stage did, and the verification figures, as JSON, or as one self-contained HTML page when FILE ends in .html")
    Path report;

    @Option(names = "--force", description = "write OUT even when a verify stage fails (it still exits 1)")
    boolean force;

    @Option(names = "--eval", paramLabel = "DATA",
            description = "held-out data (same forms as --calib; labels give accuracy) that evaluate and align_qdq stages"
                    + " judge the model on (default: the calibration data)")
    Path evalData;

    @picocli.CommandLine.Mixin
    DataOptions data;

    @picocli.CommandLine.Mixin
    PrecisionOptions precision = new PrecisionOptions();

    @picocli.CommandLine.Mixin
    CacheOptions cache = new CacheOptions();

    @Override
    public Integer call() throws IOException {
        Recipe recipe;
        try {
            recipe = BuiltinRecipes.resolve(recipeName, RuleLibrary.withFiles(ruleFiles).namesAndTags());
        } catch (RecipeException | RuleLibrary.RuleLoadException e) {
            throw new UserError(e.getMessage());
        }
        Recipe.Float16 fp16 = precision.stage("--precision fp16");
        if (fp16 != null) {
            List<Recipe.Stage> stages = new java.util.ArrayList<>(recipe.stages());
            stages.add(fp16);
            recipe = new Recipe(recipe.name() + "-fp16", recipe.description(), stages, recipe.source());
        }
        data.checkExists("--calib", data.data);
        data.checkExists("--eval", evalData);
        Path in = model != null ? model : builtinModel();
        String stem = in.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path target = out != null ? out : Path.of(stem + "." + recipe.name() + ".onnx");
        if (!Files2.differ(in, target)) {
            throw new UserError(target + ": OUT is the input model; choose another output file");
        }
        spec.commandLine().getOut().printf("recipe %s (%s): %d stages on %s%n", recipe.name(), recipe.source(),
                recipe.stages().size(), in);
        VerifyOptions samples = new VerifyOptions();
        samples.inputs = inputs;
        samples.inputShapes = inputShapes;
        RecipeRun.Settings settings = new RecipeRun.Settings(samples.sampleSource(), java.util.Map.of(), explain,
                traceFile, report, force, samples.pinnedShapes(), data.data == null ? null : m -> data.open(m, inputShapes),
                evalData == null ? null : m -> data.openAt(evalData, m, inputShapes), null, cache)
                .readingData(dataFiles());
        return new RecipeRun(in, recipe, settings, RuleSets.of(ruleFiles), spec.commandLine().getOut(), spec.commandLine().getErr()).run(target);
    }

    private java.util.Map<String, Path> dataFiles() {
        java.util.Map<String, Path> files = new java.util.HashMap<>();
        files.put("--calib", data.data);
        files.put("--eval", evalData);
        files.put("--inputs", inputs);
        return files;
    }

    /** The built-in sample model, written once to a temporary folder (the run reads it from a file). */
    private static Path builtinModel() throws IOException {
        Path dir = Files.createTempDirectory("onnx2trt-run");
        Path file = dir.resolve("sample.onnx");
        ModelWriter.write(SampleModels.classifier(), file, WriteOptions.inline());
        file.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return file;
    }
}
