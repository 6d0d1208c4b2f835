package org.onnx2trt.quant.place;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;

/**
 * The QDQ placement stage: runs a target's placement rules ({@code qdq_tensorrt.rw}) to a fixpoint
 * with the calibration table as facts ({@code calib(x).amax}), and the recipe's parameters
 * ({@code exclude}, {@code conv_transpose_axis}).
 */
public final class QdqPlacement {
    /** Where the quantized model will run; each target has its rule file. */
    public enum Target {
        TENSORRT("qdq_tensorrt.rw");

        private final String file;
        private List<RuleDecl> rules;
        private List<CompiledRule> compiled;

        Target(String file) {
            this.file = file;
        }

        /** The target named as on the command line ({@code tensorrt}). */
        public static Target parse(String name) {
            for (Target t : values()) {
                if (t.id().equals(name.toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown target `" + name + "`; use `tensorrt`");
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
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

        /** The placement rules compiled, once: the fallback places a model once per layer group. */
        synchronized List<CompiledRule> compiled() {
            if (compiled == null) {
                compiled = rules().stream().map(CompiledRule::compile).toList();
            }
            return compiled;
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
        List<CompiledRule> rules = target.compiled();
        Trace trace = new Trace(true);
        int applied = rewriter.run(model, Program.fixpoint("place QDQ (" + target.id() + ")", rules), trace);
        return new Result(applied, trace);
    }

    private static String read(String name) {
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
