package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.onnx2trt.ir.Model;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.trt.build.EngineBuilder;
import org.onnx2trt.trt.build.EngineRunner;
import org.onnx2trt.trt.build.TrtProbe;
import org.onnx2trt.verify.ModelRunner;
import org.onnx2trt.verify.OutputComparison;
import org.onnx2trt.verify.Tolerance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt run-engine ENGINE --model MODEL [--runs N] [--atol A --rtol R]}. */
@Command(name = "run-engine", mixinStandardHelpOptions = true,
        description = {"Run a TensorRT engine on the GPU beside onnxruntime on its ONNX model, as Polygraphy does.",
                "Seeded samples go to both; each output is compared (max abs/rel, cosine, SNR); the engine's layers",
                "are summarized from its inspector (precisions, reformats); latency from CUDA events: p50/p90/p99",
                "and throughput. Needs a GPU with TensorRT 11.2 (exit 5 and one line without)."})
final class RunEngineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ENGINE", description = "the engine file (built by `build` with TensorRT 11.2)")
    Path engineFile;

    @Option(names = "--model", paramLabel = "MODEL", required = true, description = "the ONNX model the engine was built from")
    Path model;

    @Option(names = "--samples", paramLabel = "N", description = "seeded samples to compare (default: ${DEFAULT-VALUE})",
            defaultValue = "4")
    int samples;

    @Option(names = "--runs", paramLabel = "N", description = "timed inferences (default: ${DEFAULT-VALUE})", defaultValue = "200")
    int runs;

    @Option(names = "--atol", description = "absolute tolerance (default: ${DEFAULT-VALUE}; an fp16 or int8 engine needs more)",
            defaultValue = "1e-3")
    double atol;

    @Option(names = "--rtol", description = "relative tolerance (default: ${DEFAULT-VALUE})", defaultValue = "1e-3")
    double rtol;

    @picocli.CommandLine.Mixin
    InputShapeOptions shapes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Model m = ModelLoader.loadValid(model, spec.commandLine().getErr());
        if (!java.nio.file.Files.isRegularFile(engineFile)) {
            throw new UserError(engineFile + ": no such engine file (build one with ./onnx2trt build MODEL -o ENGINE)");
        }
        TrtProbe.Availability trt = TrtProbe.probe();
        if (!trt.available()) {
            spec.commandLine().getErr().println("error: " + trt.message());
            return ExitCode.TENSORRT_MISSING;
        }
        InputShapes given = shapes.inputShapes();
        Tolerance tol = new Tolerance(atol, rtol);
        Map<String, OutputComparison> worst = new LinkedHashMap<>();
        try (EngineRunner engine = EngineRunner.open(engineFile); ModelRunner ort = ModelRunner.open(m)) {
            Map<String, Tensor> first = null;
            for (int s = 0; s < samples; s++) {
                Map<String, Tensor> inputs = RandomInputs.forModel(m, s + 1, given);
                first = first == null ? inputs : first;
                Map<String, Tensor> expected = ort.run(inputs);
                Map<String, Tensor> actual = engine.run(inputs);
                for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                    Tensor a = actual.get(e.getKey());
                    OutputComparison c = a == null ? OutputComparison.of(e.getKey(), e.getValue(), e.getValue(), tol)
                            : OutputComparison.of(e.getKey(), e.getValue(),
                            org.onnx2trt.tensor.HalfFloat.widened(a), tol);
                    worst.merge(e.getKey(), c, OutputComparison::merge);
                }
            }
            out.printf("%s against onnxruntime on %s, %d seeded samples%n", engineFile, model, samples);
            EquivalenceReport.printTable(new ArrayList<>(worst.values()), out);
            out.println("layers: " + summary(engine.layers()));
            EngineRunner.Latency l = engine.time(first, Math.max(10, runs / 10), runs);
            long batch = first.values().stream().findFirst().map(t -> t.dims().length > 0 ? t.dims()[0] : 1).orElse(1L);
            out.printf(Locale.ROOT, "latency (GPU, CUDA events around enqueueV3): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms; %.1f"
                    + " inferences/s at batch %d%n", l.p50(), l.p90(), l.p99(), 1000.0 * batch / l.mean(), batch);
        } catch (EngineBuilder.BuildFailed e) {
            throw new CheckFailed(e.getMessage());
        }
        out.flush();
        boolean ok = worst.values().stream().allMatch(OutputComparison::passed);
        if (!ok) {
            throw new CheckFailed("the engine's outputs differ from onnxruntime's beyond atol " + atol + ", rtol " + rtol);
        }
        return ExitCode.OK;
    }

    /** Layer count and the precisions and reformats TensorRT's inspector names. */
    static String summary(String json) {
        int layers = 0;
        Matcher names = Pattern.compile("\"Name\"\\s*:").matcher(json);
        while (names.find()) {
            layers++;
        }
        Map<String, Integer> formats = new TreeMap<>();
        Matcher f = Pattern.compile("\"Format/Datatype\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        while (f.find()) {
            formats.merge(f.group(1), 1, Integer::sum);
        }
        int reformats = 0;
        Matcher r = Pattern.compile("\"LayerType\"\\s*:\\s*\"Reformat\"").matcher(json);
        while (r.find()) {
            reformats++;
        }
        return layers + " layers, " + reformats + " reformats; tensor formats " + (formats.isEmpty() ? "(not recorded)" : formats);
    }

}
