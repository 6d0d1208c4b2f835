package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.onnx2trt.ir.Model;
import org.onnx2trt.trt.build.BuildPlan;
import org.onnx2trt.trt.build.EngineBuilder;
import org.onnx2trt.trt.build.TrtProbe;
import org.onnx2trt.trt.lint.TrtLint;
import org.onnx2trt.trt.lint.TrtVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt build MODEL -o model.engine [trtexec's options] [--dry-run]}. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build a TensorRT 11.2 engine from an ONNX model (JavaCPP presets), with trtexec's option names.",
                "The model is linted first (an error stops the build). TensorRT 11 builds strongly typed networks:",
                "there are no precision flags; FP16 is `--precision fp16` and INT8 is `quantize`, before the build.",
                "--dry-run prints the TensorRT calls the build would make, without a GPU. Without TensorRT, exit 5",
                "and one line that says what is missing and how to get it."})
final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the .onnx file")
    Path model;

    @Option(names = {"-o", "--saveEngine"}, paramLabel = "ENGINE", required = true, description = "where the engine goes")
    Path engine;

    @Option(names = "--minShapes", paramLabel = "SPEC", description = "input:1x3x224x224[,input2:...]: the smallest shapes")
    String minShapes;

    @Option(names = "--optShapes", paramLabel = "SPEC", description = "the shapes to tune for (alone: min = opt = max)")
    String optShapes;

    @Option(names = "--maxShapes", paramLabel = "SPEC", description = "the largest shapes")
    String maxShapes;

    @Option(names = "--memPoolSize", paramLabel = "POOL:SIZE", description = "workspace:1024M[,tacticSharedMemory:48K]; MiB without a unit")
    String memPoolSize;

    @Option(names = "--builderOptimizationLevel", paramLabel = "0-5", description = "TensorRT's default is 3")
    int optimizationLevel = -1;

    @Option(names = "--timingCacheFile", paramLabel = "FILE", description = "read and update a timing cache")
    Path timingCache;

    @Option(names = "--useDLACore", paramLabel = "N", description = "refused: TensorRT 11.2 has no DLA")
    Integer dlaCore;

    @Option(names = "--allowGPUFallback", description = "refused with --useDLACore")
    boolean allowGpuFallback;

    @Option(names = "--dry-run", description = "print the plan (profiles, pools, calls) and build nothing")
    boolean dryRun;

    @Option(names = "--no-lint", description = "build even when the lint finds errors (TensorRT will say the same)")
    boolean noLint;

    @Option(names = "--report", paramLabel = "FILE", description = "write the lint's findings, the plan and the outcome as JSON,"
            + " or as one self-contained HTML page when FILE ends in .html")
    Path report;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Model m = ModelLoader.loadValid(model, spec.commandLine().getErr());
        // the timing cache is read and written back: it may be itself, but no other file
        new PathGuard().readsModel("the input model", model, m).writes("the engine (-o)", engine).writes("--report", report)
                .writes("--timingCacheFile", timingCache);
        BuildPlan plan;
        try {
            plan = BuildPlan.of(model, m, new BuildPlan.Options(minShapes, optShapes, maxShapes, memPoolSize, optimizationLevel,
                    timingCache, dlaCore, allowGpuFallback, engine));
        } catch (BuildPlan.PlanException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        TrtLint.Result lint = TrtLint.lint(Model.fromProto(m.toProto()), TrtVersion.DEFAULT);
        if (lint.errors() > 0 || lint.warnings() > 0) {
            LintReport.print(model.toString(), lint, out);
        }
        out.println("plan: TensorRT " + TrtVersion.DEFAULT + ", strongly typed");
        plan.calls().forEach(c -> out.println("  " + c));
        if (lint.errors() > 0 && !noLint) {
            out.flush();
            report(lint, plan, "not built: the lint found errors");
            throw new CheckFailed("the lint found " + lint.errors() + " error" + (lint.errors() == 1 ? "" : "s")
                    + " TensorRT's parser would reject; nothing was built (--no-lint builds anyway)");
        }
        if (dryRun) {
            report(lint, plan, "dry run: nothing built");
            out.println("dry run: nothing built");
            out.flush();
            return ExitCode.OK;
        }
        TrtProbe.Availability trt = TrtProbe.probe();
        if (!trt.available()) {
            report(lint, plan, "not built: " + trt.message());
            out.flush();
            spec.commandLine().getErr().println("error: " + trt.message());
            return ExitCode.TENSORRT_MISSING;
        }
        try {
            EngineBuilder.Result r = EngineBuilder.build(plan);
            String done = String.format(Locale.ROOT, "built %s: %.1f MiB in %.1f s (%d TensorRT warnings)", r.engine(),
                    r.bytes() / 1048576.0, r.seconds(), r.warnings().size());
            report(lint, plan, done);
            out.println(done);
        } catch (EngineBuilder.BuildFailed e) {
            report(lint, plan, "not built: " + e.getMessage());
            throw new CheckFailed(e.getMessage() + "; nothing was written");
        }
        out.flush();
        return ExitCode.OK;
    }

    private void report(TrtLint.Result lint, BuildPlan plan, String outcome) {
        if (report == null) {
            return;
        }
        if (report.getFileName().toString().endsWith(".html")) {
            Files2.writeReport(report, HtmlReport.build(model.toString(), lint, plan.calls(), outcome)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else {
            java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("model", model.toString());
            json.put("engine", engine.toString());
            json.put("outcome", outcome);
            json.put("lint", java.util.Map.of("errors", lint.errors(), "warnings", lint.warnings(), "findings", lint.findings()));
            json.put("plan", plan.calls());
            Files2.writeJson(report, json);
        }
    }
}
