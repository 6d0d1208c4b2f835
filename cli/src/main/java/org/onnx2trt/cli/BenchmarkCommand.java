package org.onnx2trt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onnx2trt.bench.BenchSuites;
import org.onnx2trt.bench.VariantLatency;
import org.onnx2trt.verify.OrtLatencyProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt benchmark MODEL... [--calib DATA] [--runs N] [--no-int8] [--report r.json]}. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Latency of a model as given, optimized, in FP16 and in INT8, in onnxruntime on this CPU.",
                "The variants are made with the built-in recipes (default; default + fp16; int8 placed for",
                "onnxruntime's CPU kernels), then timed in interleaved runs: p50/p90/p99, throughput, and the",
                "ratio to the original, with each variant's output SNR against it. Without --calib the int8",
                "variant is calibrated on random samples: its timing holds, its SNR is no accuracy figure.",
                "Where TensorRT can run, the optimized model's engine is timed on the GPU too (one more row)."})
final class BenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", arity = "1..*", description = "the .onnx files")
    List<Path> models = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "N", description = "timed runs of each variant (default: ${DEFAULT-VALUE})",
            defaultValue = "100")
    int runs;

    @Option(names = "--no-int8", description = "leave the int8 variant out")
    boolean noInt8;

    @Option(names = "--report", paramLabel = "FILE", description = "write the figures as JSON, or as one HTML page with latency charts when FILE ends in .html")
    Path report;

    @Mixin
    DataOptions data;

    @Mixin
    InputShapeOptions shapes;

    @Override
    public Integer call() throws IOException {
        if (runs < 5) {
            throw new UserError("--runs " + runs + ": give at least 5");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> json = new ArrayList<>();
        List<VariantLatency.Result> results = new ArrayList<>();
        PathGuard guard = new PathGuard();
        for (Path model : models) { // one clear line for a bad file, and no report over an input, before any work
            guard.readsModel("model", model, ModelLoader.loadValid(model, spec.commandLine().getErr()));
        }
        guard.reads("--calib", data.data).writes("--report", report);
        for (Path model : models) {
            Path scratch = Files.createTempDirectory("onnx2trt-benchmark");
            try {
                VariantLatency.Result r = VariantLatency.run(model, scratch,
                        data.data == null ? null : m -> data.open(m, shapes.inputShapes), !noInt8, shapes.inputShapes(), runs);
                print(model, r, out);
                json.add(json(model, r));
                results.add(r);
            } finally {
                BenchSuites.deleteTree(scratch);
            }
        }
        if (report != null && report.getFileName().toString().endsWith(".html")) {
            Files2.writeReport(report, HtmlReport.benchmark(results, models.stream().map(Path::toString).toList())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else if (report != null) {
            Files2.writeJson(report, Map.of("models", json));
        }
        out.flush();
        return ExitCode.OK;
    }

    private static void print(Path model, VariantLatency.Result r, PrintWriter out) {
        out.printf("%s: onnxruntime on this CPU, batch %d, %d interleaved runs each%n", model, r.batch(),
                r.figures().get(0).runs());
        out.printf("  %-16s %9s %9s %9s %11s %9s %9s%n", "variant", "p50 ms", "p90 ms", "p99 ms", "per second", "× p50", "SNR dB");
        double base = r.figures().get(0).p50();
        for (int i = 0; i < r.variants().size(); i++) {
            VariantLatency.Variant v = r.variants().get(i);
            OrtLatencyProfile.Figures f = r.figures().get(i);
            out.printf(Locale.ROOT, "  %-16s %9.3f %9.3f %9.3f %11.1f %9.2f %9s%s%n", v.name(), f.p50(), f.p90(), f.p99(),
                    f.throughput(r.batch()), f.p50() / base, snr(v.snrDb()), v.note().isEmpty() ? "" : "  (" + v.note() + ")");
        }
    }

    private static String snr(double db) {
        return Double.isNaN(db) ? "-" : Double.isInfinite(db) ? "∞" : String.format(Locale.ROOT, "%.1f", db);
    }

    private static Map<String, Object> json(Path model, VariantLatency.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.toString());
        m.put("batch", r.batch());
        List<Map<String, Object>> variants = new ArrayList<>();
        for (int i = 0; i < r.variants().size(); i++) {
            OrtLatencyProfile.Figures f = r.figures().get(i);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("variant", r.variants().get(i).name());
            v.put("p50_ms", f.p50());
            v.put("p90_ms", f.p90());
            v.put("p99_ms", f.p99());
            v.put("per_second", f.throughput(r.batch()));
            double snr = r.variants().get(i).snrDb();
            v.put("snr_db", Double.isFinite(snr) ? snr : null);
            variants.add(v);
        }
        m.put("variants", variants);
        return m;
    }
}
