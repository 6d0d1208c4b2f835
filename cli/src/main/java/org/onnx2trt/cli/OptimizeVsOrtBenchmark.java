package org.onnx2trt.cli;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Model;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaDefaults;
import org.onnx2trt.rules.RuleLibrary;
import org.onnx2trt.verify.OnnxRuntime;

/**
 * {@code bench optimize FILE...}: node counts and time of our default recipe without its verify
 * stage (simplify, then the default rules alternating with re-simplification, as {@code optimize} runs them), beside onnxruntime's offline graph optimization at BASIC level (constant folding and
 * redundant-node elimination, written out with {@code setOptimizedModelFilePath}) on the same files.
 */
final class OptimizeVsOrtBenchmark {
    private final PrintWriter out;

    OptimizeVsOrtBenchmark(PrintWriter out) {
        this.out = out;
    }

    void run(List<Path> files) throws IOException, OrtException, RuleLibrary.RuleLoadException {
        Program program = Program.fixpoint("default", RuleLibrary.builtin().select(List.of(), List.of()));
        Rewriter rewriter = new Rewriter(EvaluatorExpressions.standard(), SchemaDefaults.builtin());
        Path scratch = Files.createTempDirectory("onnx2trt-bench-ort");
        out.printf(Locale.ROOT, "%-40s %7s %7s %9s %9s %9s %12s%n", "model", "nodes", "ours", "ORT BASIC", "ours ms", "ORT ms",
                "latency o/i");
        List<Double> latencyRatios = new java.util.ArrayList<>();
        double oursTotal = 0;
        double ortTotal = 0;
        for (int round = 0; round < 2; round++) { // the first round warms both up and is not counted
            for (Path f : files) {
                long t0 = System.nanoTime();
                Model m = ModelReader.read(f);
                int before = m.graph().nodeCount();
                Recipe.Simplify simplify = new Recipe.Simplify(false, Recipe.Simplify.DEFAULT_MAX_FOLDED_SIZE, "bench");
                RecipeRun.simplify(m, simplify, Map.of());
                RecipeRun.rulesWithSimplify(m, rewriter, program, simplify, Map.of(), new Trace(false), Integer.MAX_VALUE,
                        new int[1]);
                double ours = (System.nanoTime() - t0) / 1e6;

                Path optimized = scratch.resolve(f.getFileName().toString());
                long t1 = System.nanoTime();
                try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
                    o.setOptimizedModelFilePath(optimized.toString());
                    OnnxRuntime.environment().createSession(f.toString(), o).close();
                }
                double ort = (System.nanoTime() - t1) / 1e6;
                int ortNodes = ModelReader.read(optimized).graph().nodeCount();
                if (round == 1) {
                    oursTotal += ours;
                    ortTotal += ort;
                    Path mine = scratch.resolve("ours-" + f.getFileName());
                    ModelWriter.write(m, mine, WriteOptions.keep());
                    double ratio = latency(mine) / latency(f);
                    latencyRatios.add(ratio);
                    out.printf(Locale.ROOT, "%-40s %7d %7d %9d %9.1f %9.1f %11.2f×%n", f.getFileName(), before,
                            m.graph().nodeCount(), ortNodes, ours, ort, ratio);
                }
            }
        }
        out.printf(Locale.ROOT, "total time: ours %.1f ms, onnxruntime BASIC %.1f ms (×%.2f); ours includes reading the"
                + " file and one onnxruntime run for constant folding, onnxruntime's includes writing its result%n",
                oursTotal, ortTotal, oursTotal / ortTotal);
        out.printf(Locale.ROOT, "latency o/i: median onnxruntime inference time (default session options, batch 1, 30"
                + " runs after 5) of our output over the input; geometric mean ×%.2f%n",
                Math.exp(latencyRatios.stream().mapToDouble(Math::log).average().orElse(0)));
        out.flush();
    }

    /** Median time of one inference with onnxruntime's default options, on seeded random inputs. */
    private static double latency(Path model) throws OrtException {
        Model m = ModelReader.read(model);
        java.util.Map<String, org.onnx2trt.tensor.Tensor> inputs = org.onnx2trt.verify.RandomInputs.forModel(m, 1,
                org.onnx2trt.verify.InputShapes.DEFAULT);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession s = OnnxRuntime.environment().createSession(model.toString(), o)) {
            java.util.Map<String, ai.onnxruntime.OnnxTensor> feeds = new java.util.LinkedHashMap<>();
            for (var e : inputs.entrySet()) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(e.getValue().bytes().remaining())
                        .order(java.nio.ByteOrder.nativeOrder());
                b.put(e.getValue().bytes()).flip();
                feeds.put(e.getKey(), ai.onnxruntime.OnnxTensor.createTensor(OnnxRuntime.environment(), b.asFloatBuffer(),
                        e.getValue().dims()));
            }
            double[] t = new double[30];
            for (int i = 0; i < 35; i++) {
                long t0 = System.nanoTime();
                s.run(feeds).close();
                if (i >= 5) {
                    t[i - 5] = (System.nanoTime() - t0) / 1e6;
                }
            }
            feeds.values().forEach(ai.onnxruntime.OnnxTensor::close);
            java.util.Arrays.sort(t);
            return t[t.length / 2];
        }
    }
}
