package org.onnx2trt.quant.place;

import java.util.List;
import java.util.Map;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Stage;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;

/**
 * The analytic bias correction of a quantized model: the rules of {@code bias_correction.rw} (tag
 * bias_correction), with the calibration table's per-channel means as facts ({@code calib(x).mean}).
 */
public final class AnalyticBiasCorrection {
    /** The shipped rule file. */
    public static final String FILE = "bias_correction.rw";

    private static Program program;

    private AnalyticBiasCorrection() {}

    /** Corrects the biases of {@code model}'s quantized Convs and Gemms (changed in place); the rewrites made and the trace. */
    public static QdqPlacement.Result run(Model model, CalibrationTable table, Map<String, Object> parameters) {
        Rewriter rewriter = new Rewriter(EvaluatorExpressions.withFacts(TableFacts.of(table).withParameters(parameters)),
                SchemaTable.builtin());
        Trace trace = new Trace(false);
        int applied = rewriter.run(model, program(), trace);
        return new QdqPlacement.Result(applied, trace);
    }

    /** The rules, compiled once. */
    public static synchronized List<CompiledRule> rules() {
        return program().stages().get(0).rules();
    }

    private static synchronized Program program() {
        if (program == null) {
            RuleFrontEnd.Result r = RuleFrontEnd.load(QdqPlacement.read(FILE), FILE);
            if (!r.ok()) { // a bug in a shipped file: the tests catch it first
                throw new IllegalStateException(FILE + " is invalid:\n" + r.diagnostics().format());
            }
            program = new Program(List.of(new Stage("bias correction (analytic)",
                    r.file().rules().stream().map(CompiledRule::compile).toList(), true, -1)));
        }
        return program;
    }
}
