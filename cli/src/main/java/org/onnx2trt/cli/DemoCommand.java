package org.onnx2trt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.inspect.ModelSummary;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.io.WriteResult;
import org.onnx2trt.ir.Model;
import org.onnx2trt.pipeline.RuleSets;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.quant.data.NumpyDataSet;
import org.onnx2trt.recipe.BuiltinRecipes;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.recipe.RecipeException;
import org.onnx2trt.rules.RuleLibrary;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.sample.npy.Npz;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.OnnxRuntime;
import org.onnx2trt.verify.Outputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code onnx2trt demo}: the main job on built-in sample models. Write the sample, inspect it, and
 * prove a round trip through external data lossless, both as protobuf and as onnxruntime outputs;
 * then optimize a deployment model that holds every pattern of the default rules with the default
 * recipe, verified against its input; then quantize it to INT8 for TensorRT on seeded calibration
 * images, and show what that cost against the float model; last, convert it to float16 and lint it for
 * TensorRT's ONNX parser. The engine build joins with a later issue.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the main job on the built-in sample models.",
                "Writes the sample, inspects it, and checks that a round trip through external data and back "
                        + "is lossless: protobuf-equal, and bit-identical outputs in onnxruntime on seeded inputs.",
                "Then optimizes a deployment model with the default recipe: the before/after table, the rules "
                        + "that fired and the verification figures; and quantizes it to INT8 for TensorRT (recipe "
                        + "int8-tensorrt): calibration, QDQ placement, and its accuracy against the float model; then "
                        + "converts it to FP16 (checked against float32) and lints it for TensorRT's ONNX parser."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "onnx2trt-demo",
            description = "where to write the sample and its copies (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--samples", defaultValue = "3", description = "seeded inputs to compare (default: ${DEFAULT-VALUE})")
    int samples;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(outDir);
        Path sample = outDir.resolve("sample.onnx");
        Path external = outDir.resolve("sample.external.onnx");
        Path back = outDir.resolve("sample.roundtrip.onnx");

        out.println("== 1. built-in sample model");
        ModelWriter.write(SampleModels.classifier(), sample, WriteOptions.inline());
        Model model = ModelLoader.loadValid(sample, spec.commandLine().getErr());
        SummaryTable.print(sample, ModelSummary.of(model), out);

        out.println();
        out.println("== 2. round trip: inline -> external data -> inline");
        WriteResult ext = ModelWriter.write(model, external, WriteOptions.external(0));
        out.printf("wrote %s + %s (%d tensors external)%n", ext.modelFile(), ext.dataFile(), ext.externalTensors());
        WriteResult in = ModelWriter.write(ModelReader.read(external), back, WriteOptions.inline());
        out.printf("wrote %s (%d tensors inline)%n", in.modelFile(), in.inlineTensors());

        out.println();
        out.println("== 3. checks");
        ModelProto original = ModelReader.parse(sample);
        if (!original.equals(ModelReader.parse(back))) {
            throw new CheckFailed(back + " is not protobuf-equal to " + sample);
        }
        out.println("ok  protobuf-equal to the original after the round trip");
        for (int seed = 0; seed < samples; seed++) {
            Map<String, Tensor> inputs = RandomInputs.forModel(model, seed, Map.of("batch", 2L), 1);
            Map<String, Tensor> expected = OnnxRuntime.run(sample, inputs);
            for (Path copy : new Path[] {external, back}) {
                String diff = Outputs.bitDifference(expected, OnnxRuntime.run(copy, inputs));
                if (diff != null) {
                    throw new CheckFailed(copy + " (seed " + seed + "): " + diff);
                }
            }
        }
        out.printf("ok  onnxruntime outputs bit-identical on %d seeded inputs (batch 2), for both copies%n", samples);

        out.println();
        out.println("== 4. optimize a deployment model with the default recipe");
        Path deploy = outDir.resolve("deployment.onnx");
        ModelWriter.write(SampleModels.deployment(), deploy, WriteOptions.inline());
        out.printf("wrote %s: input normalization, BNs before and after convs, a RepVGG block, a shape chain, a Gemm+BN,"
                + " a Sigmoid head%n", deploy);
        Recipe recipe;
        try {
            recipe = BuiltinRecipes.load("default", RuleLibrary.builtin().namesAndTags());
        } catch (RecipeException e) {
            throw new IllegalStateException("the built-in default recipe does not load: " + e.getMessage(), e);
        }
        VerifyOptions verify = new VerifyOptions(); // the batch stays symbolic: the written model takes any
        RecipeRun.Settings settings = new RecipeRun.Settings(verify.sampleSource(), Map.of(), null, null, null,
                false, verify.pinnedShapes());
        new RecipeRun(deploy, recipe, settings, RuleSets.builtin(), out, spec.commandLine().getErr()).run(outDir.resolve("deployment.default.onnx"));
        out.println("not done by the default recipe: the Sigmoid head is opt-in (./onnx2trt run aggressive makes it a"
                + " logit). The shape chain folded with the batch left symbolic: shape inference made the Reshape"
                + " target [0, -1] (copy the batch, infer the rest)");

        out.println();
        out.println("== 5. quantize the deployment model to INT8 for TensorRT (recipe int8-tensorrt)");
        Path calib = outDir.resolve("calib.npz");
        Files.write(calib, Npz.write(Map.of("images", imageLikeSamples(32))));
        out.printf("wrote %s: 32 seeded images (pixels 0-1; with real data: --calib images/ --preprocess imagenet)%n", calib);
        Recipe int8;
        try {
            int8 = BuiltinRecipes.load("int8-tensorrt", RuleLibrary.builtin().namesAndTags());
        } catch (RecipeException e) {
            throw new IllegalStateException("the built-in int8-tensorrt recipe does not load: " + e.getMessage(), e);
        }
        RecipeRun.Settings quantize = new RecipeRun.Settings(verify.sampleSource(), Map.of(), null, null, null, false,
                verify.pinnedShapes(), m -> NumpyDataSet.open(calib, m), null);
        new RecipeRun(deploy, int8, quantize, RuleSets.builtin(), out, spec.commandLine().getErr())
                .run(outDir.resolve("deployment.int8.onnx"));
        out.println("the same as: ./onnx2trt quantize " + deploy + " -o " + outDir.resolve("deployment.int8.onnx") + " --calib "
                + calib);

        out.println();
        out.println("== 6. the deployment model in FP16 (TensorRT 11 builds the precision the graph has), then linted");
        List<Recipe.Stage> stages = new java.util.ArrayList<>(recipe.stages());
        stages.add(new PrecisionOptions().fp16Stage("demo"));
        stages.add(new Recipe.Lint(org.onnx2trt.trt.lint.TrtVersion.DEFAULT.toString(), "demo"));
        Recipe fp16 = new Recipe("default-fp16", "the default recipe, then float16 and the TensorRT lint", stages, "demo");
        new RecipeRun(deploy, fp16, settings, RuleSets.builtin(), out, spec.commandLine().getErr())
                .run(outDir.resolve("deployment.fp16.onnx"));
        out.println("the same as: ./onnx2trt optimize " + deploy + " -o " + outDir.resolve("deployment.fp16.onnx")
                + " --precision fp16 && ./onnx2trt lint " + outDir.resolve("deployment.fp16.onnx"));

        out.println();
        out.println("== 7. the INT8 model read back as a QDQ model (recipe qat-tensorrt, as for a quantization-aware-trained"
                + " export), with a legacy calibration cache for TensorRT 10 (Jetson)");
        Recipe qat;
        try {
            qat = BuiltinRecipes.load("qat-tensorrt", RuleLibrary.builtin().namesAndTags());
        } catch (RecipeException e) {
            throw new IllegalStateException("the built-in qat-tensorrt recipe does not load: " + e.getMessage(), e);
        }
        CacheOptions cache = new CacheOptions();
        cache.file = outDir.resolve("deployment.int8.cache");
        RecipeRun.Settings imported = new RecipeRun.Settings(verify.sampleSource(), Map.of(), null, null, null, false,
                verify.pinnedShapes(), null, null, null, cache);
        new RecipeRun(outDir.resolve("deployment.int8.onnx"), qat, imported, RuleSets.builtin(), out, spec.commandLine().getErr())
                .run(outDir.resolve("deployment.int8.trt.onnx"));
        out.println("the same as: ./onnx2trt run qat-tensorrt --model " + outDir.resolve("deployment.int8.onnx") + " -o "
                + outDir.resolve("deployment.int8.trt.onnx") + " --calibration-cache " + cache.file);
        out.flush();
        return ExitCode.OK;
    }

    /** {@code count} images of [1, 3, 32, 32] with pixels in [0, 1), stacked along the first axis, seeded. */
    private static Tensor imageLikeSamples(int count) {
        float[] v = new float[count * 3 * 32 * 32];
        java.util.Random r = new java.util.Random(2025);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return Tensor.ofFloats("images", new long[] {count, 3, 32, 32}, v);
    }
}
