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
 * One rule file shipped with the quantization recipes (beside the placement rules), compiled once and
 * run to a fixpoint with a calibration table as its facts ({@code hasCalib(x)}, {@code calib(x).amax},
 * {@code calib(x).mean}) and a stage's parameters ({@code excluded(n)}).
 */
final class ShippedRuleFile {
    private final String file;
    private final String stageName;
    private Program program;

    ShippedRuleFile(String file, String stageName) {
        this.file = file;
        this.stageName = stageName;
    }

    /** Runs the rules over {@code model} (changed in place); the rewrites made and the trace. */
    QdqPlacement.Result run(Model model, CalibrationTable table, Map<String, Object> parameters) {
        Rewriter rewriter = new Rewriter(EvaluatorExpressions.withFacts(TableFacts.of(table).withParameters(parameters)),
                SchemaTable.builtin());
        Trace trace = new Trace(false);
        int applied = rewriter.run(model, program(), trace);
        return new QdqPlacement.Result(applied, trace);
    }

    /** The rules, compiled once. */
    synchronized List<CompiledRule> rules() {
        return program().stages().get(0).rules();
    }

    private synchronized Program program() {
        if (program == null) {
            RuleFrontEnd.Result r = RuleFrontEnd.load(QdqPlacement.read(file), file);
            if (!r.ok()) { // a bug in a shipped file: the tests catch it first
                throw new IllegalStateException(file + " is invalid:\n" + r.diagnostics().format());
            }
            program = new Program(List.of(new Stage(stageName,
                    r.file().rules().stream().map(CompiledRule::compile).toList(), true, -1)));
        }
        return program;
    }
}
