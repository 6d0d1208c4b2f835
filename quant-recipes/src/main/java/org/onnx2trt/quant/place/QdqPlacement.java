package org.onnx2trt.quant.place;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.RuleFacts;
import org.onnx2trt.rewrite.Stage;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;

/**
 * The QDQ placement stage: runs a target's placement rules ({@code qdq_tensorrt.rw}, {@code qdq_ort_cpu.rw}) to a fixpoint
 * with the calibration table as facts ({@code calib(x).amax}), and the recipe's parameters
 * ({@code exclude}, {@code conv_transpose_axis}).
 */
public final class QdqPlacement {
    /** Where the quantized model will run; each target has its rule file. */
    public enum Target {
        TENSORRT("qdq_tensorrt.rw"),
        /** onnxruntime's CPU provider: QDQ placed so that its fusions run int8 kernels (QLinearConv, QGemm). */
        ORT_CPU("qdq_ort_cpu.rw");

        private final String file;
        private List<RuleDecl> rules;
        private Program program;

        Target(String file) {
            this.file = file;
        }

        /** The target named as on the command line ({@code tensorrt}). */
        public static Target parse(String name) {
            for (Target t : values()) {
                if (t.id().equals(name.toLowerCase(Locale.ROOT).replace('_', '-'))) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown target `" + name + "`; use `tensorrt` or `ort-cpu`");
        }

        /** The name on the command line and in recipes: {@code tensorrt}, {@code ort-cpu}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The shipped rule file's name, for messages and docs. */
        public String ruleFile() {
            return file;
        }

        /** The placement rules, parsed once. */
        public synchronized List<RuleDecl> rules() {
            if (rules == null) {
                RuleFrontEnd.Result r = RuleFrontEnd.load(read(file), file);
                if (!r.ok()) { // a bug in a shipped file: the tests catch it first
                    throw new IllegalStateException("placement rule file " + file + " is invalid:\n" + r.diagnostics().format());
                }
                rules = r.file().rules();
            }
            return rules;
        }

        /**
         * The placement rules compiled, once (the fallback places a model once per layer group), as a
         * program: the rules tagged {@code outputs_first} to a fixpoint first, then the others. A target whose
         * layers need their outputs quantized (onnxruntime fuses DQ → Conv → Q) places those first, so
         * that the next layer finds its input dequantized and reuses that scale instead of adding a
         * quantize of its own that the fusion cannot use.
         */
        synchronized Program program() {
            if (program == null) {
                List<CompiledRule> all = rules().stream().map(CompiledRule::compile).toList();
                List<CompiledRule> outputs = all.stream().filter(r -> r.decl().metadata().tags().contains("outputs_first")).toList();
                List<CompiledRule> rest = all.stream().filter(r -> !outputs.contains(r)).toList();
                List<Stage> stages = new ArrayList<>();
                if (!outputs.isEmpty()) {
                    stages.add(new Stage("place QDQ on outputs (" + id() + ")", outputs, true, -1));
                }
                stages.add(new Stage("place QDQ (" + id() + ")", rest, true, -1));
                program = new Program(stages);
            }
            return program;
        }
    }

    /** What the placement did: the rewrites applied, and the trace (declines included) for --explain. */
    public record Result(int applied, Trace trace) {}

    private QdqPlacement() {}

    /**
     * Places QDQ pairs in {@code model} (changed in place) for {@code target}.
     *
     * @param parameters what the rules read with {@code param(...)}: {@code exclude} (a list of node name
     *                   globs and op types), {@code conv_transpose_axis} (0 or 1)
     */
    public static Result place(Model model, CalibrationTable table, Target target, Map<String, Object> parameters) {
        RuleFacts facts = TableFacts.of(table).withParameters(parameters);
        Rewriter rewriter = new Rewriter(EvaluatorExpressions.withFacts(facts), SchemaTable.builtin());
        Trace trace = new Trace(false); // the checks' declines only: a pattern that does not match is no reason
        int applied = rewriter.run(model, target.program(), trace);
        return new Result(applied, trace);
    }

    static String read(String name) {
        try (InputStream in = QdqPlacement.class.getResourceAsStream("/org/onnx2trt/quant/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing placement rule file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
