package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onnx2trt.exec.RunException;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.calib.Calibration;
import org.onnx2trt.quant.calib.CalibrationMethod;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.quant.data.DataException;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.verify.OnnxRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt calibrate MODEL --calib DATA -o TABLE [--method entropy] [--max-samples N] [image options]}. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Measure each activation of a model on calibration data, for INT8 quantization.",
                "The data runs through onnxruntime with every intermediate value exposed; each float tensor gets a"
                        + " clipping threshold amax (int8 scale = amax / 127, zero point 0, as TensorRT quantizes),"
                        + " written as a JSON table stamped with the model's SHA-256."})
final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the float model (.onnx)")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "TABLE", required = true, description = "the table to write (.json)")
    Path output;

    @Option(names = "--method", paramLabel = "METHOD",
            description = "minmax, percentile (99.99), entropy (TensorRT's KL method, the default) or mse")
    String method = "entropy";

    @Option(names = "--all", description = "print every tensor (default: the 10 most clipped)")
    boolean all;

    @Mixin
    DataOptions data;

    @Mixin
    InputShapeOptions shapes;

    @Mixin
    CacheOptions cache = new CacheOptions();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CalibrationMethod m;
        try {
            m = CalibrationMethod.parse(method);
        } catch (IllegalArgumentException e) {
            throw new UserError("--method: " + e.getMessage());
        }
        if (!Files2.differ(model, output)) {
            throw new UserError(output + ": this is the input model; write the table to another file");
        }
        cache.check();
        Model loaded = ModelLoader.loadValid(model, err);
        new PathGuard().readsModel("the input model", model, loaded).reads("--calib", data.data).writes("the table (-o)", output)
                .writes("--calibration-cache", cache.file);
        CalibrationTable table;
        try (DataSet set = data.open(loaded, shapes.inputShapes)) {
            out.printf("calibrating %s on %s, method %s%n", model, set.describe(), m.id());
            out.flush();
            table = Calibration.run(loaded, set, new Calibration.Settings(m, CalibrationMethod.DEFAULT_BINS, data.maxSamples),
                    OnnxRuntime.EXECUTOR, new ProgressBar(err));
        } catch (DataException | RunException e) {
            throw new UserError(e.getMessage());
        }
        print(table, all, out);
        Files2.writeReport(output, table.toJson().getBytes(StandardCharsets.UTF_8));
        out.printf("wrote %s%n", output);
        if (cache.file != null) {
            cache.write(table, out);
        }
        out.flush();
        return ExitCode.OK;
    }

    /** The per-tensor table: every tensor, or the ten with the largest clipped fraction. */
    static void print(CalibrationTable table, boolean all, PrintWriter out) {
        List<Map.Entry<String, CalibrationTable.Range>> rows = new ArrayList<>(table.tensors().entrySet());
        if (!all) {
            rows.sort(Comparator.comparingDouble((Map.Entry<String, CalibrationTable.Range> e) -> -e.getValue().clippedFraction()));
            rows = rows.subList(0, Math.min(10, rows.size()));
        }
        int width = Math.max(6, rows.stream().mapToInt(e -> e.getKey().length()).max().orElse(6));
        out.printf(Locale.ROOT, "%-" + width + "s %11s %11s %11s %9s%n", "tensor", "min", "max", "amax", "clipped");
        for (Map.Entry<String, CalibrationTable.Range> e : rows) {
            CalibrationTable.Range r = e.getValue();
            out.printf(Locale.ROOT, "%-" + width + "s %11.4g %11.4g %11.4g %8.4f%%%s%n", e.getKey(), r.min(), r.max(), r.amax(),
                    100 * r.clippedFraction(), r.choice().equals(table.method()) ? "" : "  " + r.choice());
        }
        int n = table.tensors().size();
        out.printf("%d tensor%s measured on %d sample%s, method %s%s%n", n, n == 1 ? "" : "s", table.samples(),
                table.samples() == 1 ? "" : "s", table.method(), all || n <= 10 ? "" : " (the 10 most clipped shown; --all for"
                        + " every one)");
    }
}
