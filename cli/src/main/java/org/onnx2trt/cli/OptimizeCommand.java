package org.onnx2trt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.onnx2trt.pipeline.RuleSets;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.verify.Tolerance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt optimize IN... -o OUT [--rules F ...] [--only R,..] [--disable R,..] [--trace T] [--explain NODE]}. */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = {"Apply rewrite rules to a model until none applies.",
                "Built-in rules by default (quantization rules only when named with --only); your own "
                        + ".rw files load at run time with --rules. Prints the before/after op counts.",
                "The result is then checked against IN in onnxruntime (--no-verify skips it); when it "
                        + "differs, the run is bisected to the first rewrite that broke it, which is reported, "
                        + "and nothing is written unless --force."})
final class OptimizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IN",
            description = "the model to read; several models run one after another in this one process")
    List<Path> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "the model to write; with several IN, or when OUT is a folder or ends in /, a folder (made if "
                    + "missing) that receives each result under its input's file name")
    String output;

    @Option(names = "--rules", paramLabel = "FILE_OR_DIR", description = "rule files or folders of *.rw files to add")
    List<Path> ruleFiles = new ArrayList<>();

    @Option(names = "--only", split = ",", paramLabel = "RULE_OR_TAG", description = "run only these rules (names or tags)")
    List<String> only = new ArrayList<>();

    @Option(names = "--enable", split = ",", paramLabel = "RULE_OR_TAG",
            description = "also run these opt-in rules (names or tags, e.g. head, EliminateSigmoidHead)")
    List<String> enable = new ArrayList<>();

    @Option(names = "--disable", split = ",", paramLabel = "RULE_OR_TAG", description = "do not run these rules (names or tags)")
    List<String> disable = new ArrayList<>();

    @Option(names = "--trace", paramLabel = "FILE", description = "write every application and decline as JSON")
    Path traceFile;

    @Option(names = "--explain", paramLabel = "NODE",
            description = "print why each rule did or did not fire at this node (name, or first output's name)")
    String explain;

    @Option(names = "--keep-initializer-inputs",
            description = "keep initializers that are also graph inputs overridable (and so untouched by fusions); "
                    + "by default they become constants, as onnx-simplifier does")
    boolean keepInitializerInputs;

    @Option(names = "--max-folded-size", paramLabel = "N",
            description = "fold values computed from constants only up to N elements (default: ${DEFAULT-VALUE})")
    long maxFoldedSize = Recipe.Simplify.DEFAULT_MAX_FOLDED_SIZE;

    @picocli.CommandLine.Mixin
    PrecisionOptions precision = new PrecisionOptions();

    @Option(names = "--no-verify", description = "skip the numeric check of the result against IN")
    boolean noVerify;

    @Option(names = "--force", description = "write OUT even when the numeric check fails (it still exits 1)")
    boolean force;

    @Mixin
    VerifyOptions verify;

    @Override
    public Integer call() throws IOException {
        Recipe recipe = recipe();
        RuleSets rules = RuleSets.of(ruleFiles);
        Path out = Path.of(output);
        boolean intoFolder = inputs.size() > 1 || Files.isDirectory(out) || output.endsWith("/")
                || output.endsWith(java.io.File.separator);
        if (!intoFolder) {
            Path in = inputs.get(0);
            if (!Files2.differ(in, out)) {
                throw new UserError(out + ": OUT is the input model; choose another output file");
            }
            return run(in, out, recipe, rules);
        }
        return new OptimizeBatch(inputs, out, spec.commandLine().getOut(), spec.commandLine().getErr())
                .run(batchOnlyOptions(), (in, target) -> run(in, target, recipe, rules));
    }

    /**
     * The options that name one model's nodes or files, and so cannot apply to a batch, by whether
     * each was given. (--input-shape can: each model with that input is pinned, one without it fails.)
     */
    private java.util.Map<String, Boolean> batchOnlyOptions() {
        java.util.Map<String, Boolean> given = new java.util.LinkedHashMap<>();
        given.put("--explain", explain != null);
        given.put("--trace", traceFile != null);
        given.put("--inputs", verify.inputs != null);
        return given;
    }

    private int run(Path in, Path target, Recipe recipe, RuleSets rules) throws IOException {
        RecipeRun.Settings settings = new RecipeRun.Settings(verify.sampleSource(), verify.perOutput(), explain,
                traceFile, null, force, verify.pinnedShapes()).readingData(java.util.Collections.singletonMap("--inputs", verify.inputs));
        return new RecipeRun(in, recipe, settings, rules, spec.commandLine().getOut(), spec.commandLine().getErr()).run(target);
    }

    private Recipe recipe() {
        if (verify.samples < 1) {
            throw new UserError("--samples " + verify.samples + ": give at least 1");
        }
        Tolerance tol = verify.fallback();
        List<Recipe.Stage> stages = new ArrayList<>();
        if (maxFoldedSize < 0) {
            throw new UserError("--max-folded-size " + maxFoldedSize + ": give 0 or more elements");
        }
        stages.add(new Recipe.Simplify(keepInitializerInputs, maxFoldedSize, "optimize"));
        stages.add(new Recipe.Rules(only, enable, disable, true, -1, "optimize"));
        if (!noVerify) {
            stages.add(new Recipe.Verify(verify.samples, verify.seed, tol.atol(), tol.rtol(), verify.noiseFloor(), "optimize"));
        }
        Recipe.Float16 fp16 = precision.stage("--precision fp16");
        if (fp16 != null) {
            stages.add(fp16);
        }
        return new Recipe("optimize", "the default recipe, as the options shape it", stages, "optimize");
    }
}
