package org.onnx2trt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Model;
import org.onnx2trt.pipeline.Pipeline;
import org.onnx2trt.pipeline.RuleSets;
import org.onnx2trt.pipeline.RunOptions;
import org.onnx2trt.pipeline.RunReport;
import org.onnx2trt.pipeline.SampleSource;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.verify.Tolerance;

/**
 * One model through {@link Pipeline} for {@code run}, {@code optimize} and {@code demo}: reads and
 * validates the file, prints the run as it goes, writes {@code --report} and {@code --trace}, and
 * writes the result only when every verify stage passed (or {@code force}). The stages themselves
 * are the pipeline's.
 */
final class RecipeRun {
    /** What the command line adds to a recipe. */
    record Settings(SampleSource samples, Map<String, Tolerance> perOutput, String explain, Path traceFile,
                    Path reportFile, boolean force, Map<String, long[]> pinnedShapes, RunOptions.DataSource calibration,
                    RunOptions.DataSource evaluation, org.onnx2trt.quant.calib.CalibrationTable importedTable,
                    CacheOptions cache, Map<String, Path> dataFiles) {
        Settings(SampleSource samples, Map<String, Tolerance> perOutput, String explain, Path traceFile, Path reportFile,
                 boolean force, Map<String, long[]> pinnedShapes, RunOptions.DataSource calibration,
                 RunOptions.DataSource evaluation, org.onnx2trt.quant.calib.CalibrationTable importedTable, CacheOptions cache) {
            this(samples, perOutput, explain, traceFile, reportFile, force, pinnedShapes, calibration, evaluation, importedTable,
                    cache, Map.of());
        }

        Settings(SampleSource samples, Map<String, Tolerance> perOutput, String explain, Path traceFile, Path reportFile,
                 boolean force, Map<String, long[]> pinnedShapes, RunOptions.DataSource calibration,
                 RunOptions.DataSource evaluation) {
            this(samples, perOutput, explain, traceFile, reportFile, force, pinnedShapes, calibration, evaluation, null, null);
        }

        /** Settings without data: recipes of simplify, rules and verify stages. */
        Settings(SampleSource samples, Map<String, Tolerance> perOutput, String explain, Path traceFile, Path reportFile,
                 boolean force, Map<String, long[]> pinnedShapes) {
            this(samples, perOutput, explain, traceFile, reportFile, force, pinnedShapes, null, null, null, null);
        }

        /**
         * These settings with the data files the run reads by option ({@code --calib} → its path; null paths
         * left out): no output may be written over one.
         */
        Settings readingData(Map<String, Path> files) {
            Map<String, Path> present = new java.util.LinkedHashMap<>();
            files.forEach((option, path) -> {
                if (path != null) {
                    present.put(option, path);
                }
            });
            return new Settings(samples, perOutput, explain, traceFile, reportFile, force, pinnedShapes, calibration, evaluation,
                    importedTable, cache, Map.copyOf(present));
        }
    }

    private final Path in;
    private final Recipe recipe;
    private final Settings settings;
    private final RuleSets rules;
    private final PrintWriter out;
    private final PrintWriter err;

    /** A run whose rules come from {@code rules} (one load shared by the models of a batch). */
    RecipeRun(Path in, Recipe recipe, Settings settings, RuleSets rules, PrintWriter out, PrintWriter err) {
        this.in = in;
        this.recipe = recipe;
        this.settings = settings;
        this.rules = rules;
        this.out = out;
        this.err = err;
    }

    /** Runs the recipe and writes {@code output}; exit code, or a {@link CheckFailed} / {@link UserError}. */
    int run(Path output) throws IOException {
        if (settings.cache() != null) {
            settings.cache().check();
        }
        Model model = ModelLoader.loadValid(in, err);
        VerifyOptions.checkOutputNames(settings.perOutput().keySet(), model);
        PathGuard guard = new PathGuard().readsModel("the input model", in, model);
        settings.dataFiles().forEach((option, file) -> guard.reads("the data given with " + option, file));
        guard.writes("the output model", output)
                .writes("the output model's external data", PathGuard.dataFileOf(output, null))
                .writes("--report", settings.reportFile())
                .writes("--trace", settings.traceFile())
                .writes("--calibration-cache", settings.cache() == null ? null : settings.cache().file);
        RunPrinter printer = new RunPrinter(in.toString(), out).withProgress(new ProgressBar(err));
        RunOptions options = new RunOptions(in.toString(), settings.samples(), settings.perOutput(), settings.pinnedShapes(),
                settings.explain(), settings.calibration(), settings.evaluation(), settings.importedTable());
        RunReport report = new Pipeline(rules).run(model, recipe, options, printer);
        printer.summary(report, settings.explain());
        boolean writes = report.ok() || settings.force();
        if (settings.reportFile() != null && settings.reportFile().getFileName().toString().endsWith(".html")) {
            Files2.writeReport(settings.reportFile(), HtmlReport.of(report, recipe, in.toString(), writes ? output.toString() : null)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else if (settings.reportFile() != null) { // Jackson starts only when asked for: it costs a cold command ~0.1 s
            Files2.writeJson(settings.reportFile(), RunReportJson.of(report, recipe, in.toString(),
                    writes ? output.toString() : null));
        }
        if (settings.traceFile() != null) {
            Files2.writeJson(settings.traceFile(), report.trace().events().stream().map(RunReportJson::json).toList());
        }
        if (!writes) {
            out.flush();
            throw new CheckFailed(report.failure() + "; nothing was written (--force writes it anyway)");
        }
        org.onnx2trt.quant.calib.CalibrationTable table = settings.cache() != null && settings.cache().file != null
                ? CacheOptions.table(report) : null;
        if (settings.cache() != null && settings.cache().file != null && table == null) {
            throw new UserError("--calibration-cache: the recipe " + recipe.name() + " has no calibrate or import_qdq stage,"
                    + " so there are no scales to write; nothing was written");
        }
        ModelWriter.write(report.model(), output, WriteOptions.keep());
        out.printf("wrote %s%n", output);
        if (table != null) {
            settings.cache().write(table, out);
        }
        out.flush();
        if (!report.ok()) {
            throw new CheckFailed(report.failure() + "; written anyway (--force)");
        }
        return ExitCode.OK;
    }
}
