package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onnx2trt.exec.RunException;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.data.DataException;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.quant.eval.Evaluation;
import org.onnx2trt.verify.OnnxRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt evaluate MODEL --data DATA [--reference FLOAT.onnx] [--report r.json]}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measure a model's accuracy on data: top-1 and top-5 against the labels (class folders of images,"
                + " or `labels` in the .npz).",
                "With --reference, compare it with that model (the float one) as well: SNR per output, top-1 agreement,"
                        + " and both accuracies side by side."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the model to evaluate (a quantized one, say)")
    Path model;

    @Option(names = "--reference", paramLabel = "FLOAT", description = "the model to compare with (the float original)")
    Path reference;

    @Option(names = "--report", paramLabel = "FILE", description = "write the figures as JSON")
    Path report;

    @Mixin
    InputShapeOptions shapes;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Model m = ModelLoader.loadValid(model, err);
        Model ref = reference == null ? m : ModelLoader.loadValid(reference, err);
        PathGuard guard = new PathGuard().readsModel("the model", model, m).reads("--data", data.data);
        if (reference != null) {
            guard.readsModel("the reference model", reference, ref);
        }
        guard.writes("--report", report);
        Evaluation.Result r;
        try (DataSet set = data.open(ref, shapes.inputShapes)) {
            if (reference == null && !set.hasLabels()) {
                throw new UserError(set.describe() + " has no labels: give class folders of images or `labels` in the .npz,"
                        + " or --reference FLOAT.onnx to compare with");
            }
            out.printf("evaluating %s on %s%s%n", model, set.describe(), reference == null ? "" : " against " + reference);
            out.flush();
            r = Evaluation.run(ref, m, set, data.maxSamples, OnnxRuntime.EXECUTOR, new ProgressBar(err));
        } catch (DataException | RunException e) {
            throw new UserError(e.getMessage());
        }
        if (reference != null) {
            QuantReport.printEvaluation(r, out);
        } else {
            for (Evaluation.OutputFigures o : r.outputs()) {
                Evaluation.Agreement a = o.agreement();
                if (a != null && !Double.isNaN(a.floatTop1())) {
                    out.printf(Locale.ROOT, "  %s: top-1 %.2f%%%s on %d samples%n", o.name(), 100 * a.floatTop1(),
                            Double.isNaN(a.floatTop5()) ? "" : String.format(Locale.ROOT, ", top-5 %.2f%%", 100 * a.floatTop5()),
                            a.rows());
                }
            }
        }
        if (report != null) {
            Map<String, Object> json = QuantReport.json(r);
            json.put("model", model.toString());
            json.put("reference", reference == null ? null : reference.toString());
            Files2.writeJson(report, json);
        }
        out.flush();
        return ExitCode.OK;
    }
}
