package org.onnx2trt.bench;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.onnx2trt.builder.SyntheticModels;
import org.onnx2trt.ir.Model;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.rules.RuleLibrary;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.transform.Canonicalize;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.ModelRunner;
import org.onnx2trt.verify.Tolerance;

/**
 * {@code bench verify}: what optimize's check costs on a ResNet-18-shaped model with 8 samples,
 * against plain onnxruntime inference of the same 8 samples on the input model (issue 4's bar: at
 * most 2× plus session creation). Sessions are timed apart: the check opens two, inference one.
 */
public final class VerifyBenchmark {
    private static final int SAMPLES = 8;
    private final PrintWriter out;
    private final int repeat;

    public VerifyBenchmark(PrintWriter out, int repeat) {
        this.out = out;
        this.repeat = repeat;
    }

    public void run() {
        Model original = SyntheticModels.resnet18();
        Model optimized = Model.fromProto(original.toProto());
        Canonicalize.forRewriting(optimized, false);
        int applied;
        try {
            applied = new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin()).run(optimized,
                    Program.fixpoint("default", RuleLibrary.builtin().select(List.of(), List.of())), new Trace(false));
        } catch (RuleLibrary.RuleLoadException e) {
            throw new IllegalStateException(e);
        }
        List<Map<String, Tensor>> samples = Samples.random(original, 1, SAMPLES, InputShapes.DEFAULT);
        out.printf(Locale.ROOT, "ResNet-18-shaped model: %d nodes, %d after optimize (%d rewrites); %d samples of"
                + " 1×3×224×224%n", original.graph().nodeCount(), optimized.graph().nodeCount(), applied, SAMPLES);
        double[] session = new double[repeat];
        double[] inference = new double[repeat];
        double[] check = new double[repeat];
        double[] checkSessions = new double[repeat];
        double[] refRuns = new double[repeat];
        double[] optimizedInference = new double[repeat];
        double[] candRuns = new double[repeat];
        for (int r = 0; r < repeat + 1; r++) { // the first round warms up and is not counted
            long t0 = System.nanoTime();
            try (ModelRunner plain = ModelRunner.open(original)) {
                long t1 = System.nanoTime();
                for (Map<String, Tensor> s : samples) {
                    plain.run(s);
                }
                long t2 = System.nanoTime();
                if (r > 0) {
                    session[r - 1] = (t1 - t0) / 1e6;
                    inference[r - 1] = (t2 - t1) / 1e6;
                }
            }
            try (ModelRunner plain = ModelRunner.open(optimized)) {
                long t1 = System.nanoTime();
                for (Map<String, Tensor> s : samples) {
                    plain.run(s);
                }
                if (r > 0) {
                    optimizedInference[r - 1] = (System.nanoTime() - t1) / 1e6;
                }
            }
            // What optimize's gate does: the input model's outputs, then the optimized model's, compared.
            long t3 = System.nanoTime();
            Equivalence.Report report = Equivalence.check(original, optimized, samples, Map.of(), Tolerance.DEFAULT);
            long t4 = System.nanoTime();
            if (!report.passed()) {
                throw new IllegalStateException("the optimized model failed its check: " + report.firstFailure().describe());
            }
            if (r > 0) {
                refRuns[r - 1] = report.referenceMs();
                candRuns[r - 1] = report.candidateMs();
                check[r - 1] = report.referenceMs() + report.candidateMs();
                checkSessions[r - 1] = (t4 - t3) / 1e6 - check[r - 1];
            }
        }
        double inf = median(inference);
        double chk = median(check);
        out.printf(Locale.ROOT, "plain inference:  %7.1f ms for %d samples (+ %.0f ms session)%n", inf, SAMPLES, median(session));
        out.printf(Locale.ROOT, "optimize's check: %7.1f ms for %d samples, both models, compared (+ %.0f ms for two"
                + " sessions)%n", chk, SAMPLES, median(checkSessions));
        out.printf(Locale.ROOT, "plain inference of the optimized model: %.1f ms%n", median(optimizedInference));
        out.printf(Locale.ROOT, "  of which: input model %.1f ms, optimized model + comparisons %.1f ms%n",
                median(refRuns), median(candRuns));
        out.printf(Locale.ROOT, "check / inference: ×%.2f excluding sessions; ×%.2f including them (medians of %d)%n",
                chk / inf, (chk + median(checkSessions)) / (inf + median(session)), repeat);
        out.flush();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
