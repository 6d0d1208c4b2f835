package org.onnx2trt.bench;

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
import org.onnx2trt.pipeline.Pipeline;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.rules.RuleLibrary;
import org.onnx2trt.verify.OnnxRuntime;
import org.onnx2trt.verify.OrtBasicOffline;
import org.onnx2trt.verify.OrtLatency;

/**
 * {@code bench optimize FILE...}: node counts and time of our default recipe without its verify
 * stage (simplify, then the default rules alternating with re-simplification, as {@code optimize} runs them), beside onnxruntime's offline graph optimization at BASIC level (constant folding and
 * redundant-node elimination, written out with {@code setOptimizedModelFilePath}) on the same files.
 */
public final class OptimizeVsOrtBenchmark {
    private final PrintWriter out;
    private final int repeat;

    public OptimizeVsOrtBenchmark(PrintWriter out, int repeat) {
        this.out = out;
        this.repeat = repeat;
    }

    public void run(List<Path> files) throws IOException, RuleLibrary.RuleLoadException {
        Program program = Program.fixpoint("default", RuleLibrary.builtin().select(List.of(), List.of()));
        Rewriter rewriter = new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin());
        Recipe.Simplify simplify = new Recipe.Simplify(false, Recipe.Simplify.DEFAULT_MAX_FOLDED_SIZE, "bench");
        Path scratch = Files.createTempDirectory("onnx2trt-bench-ort");
        // Whole commands first, while this JVM is idle (later, its JIT threads would compete for the cores).
        ColdStartComparison.Times cold;
        try {
            cold = ColdStartComparison.measure(files, scratch, 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int n = files.size();
        int[] before = new int[n];
        int[] ours = new int[n];
        int[] ortNodes = new int[n];
        // Round 0 is this JVM's first pass (the cold start of a whole command is timed apart, in new processes); rounds 1-2 warm up;
        // then `repeat` timed rounds, each model's time the median over them.
        int rounds = 3 + repeat;
        double[][] oursMs = new double[n][rounds];
        double[][] ortMs = new double[n][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < n; i++) {
                Path f = files.get(i);
                Path mine = scratch.resolve("ours-" + f.getFileName());
                long t0 = System.nanoTime();
                Model m = ModelReader.read(f);
                before[i] = m.graph().nodeCount();
                Pipeline.simplify(m, simplify, Map.of(), OnnxRuntime.EXECUTOR);
                Pipeline.rulesWithSimplify(m, rewriter, program, simplify, Map.of(), OnnxRuntime.EXECUTOR, new Trace(false), Integer.MAX_VALUE,
                        new int[1]);
                ModelWriter.write(m, mine, WriteOptions.keep());
                oursMs[i][round] = (System.nanoTime() - t0) / 1e6;
                ours[i] = m.graph().nodeCount();

                Path optimized = scratch.resolve(f.getFileName().toString());
                long t1 = System.nanoTime();
                OrtBasicOffline.optimize(f, optimized);
                ortMs[i][round] = (System.nanoTime() - t1) / 1e6;
                ortNodes[i] = ModelReader.read(optimized).graph().nodeCount();
            }
        }
        out.printf(Locale.ROOT, "%-40s %7s %7s %9s %9s %9s %12s%n", "model", "nodes", "ours", "ORT BASIC", "ours ms", "ORT ms",
                "latency o/i [quartiles]");
        List<Double> latencyRatios = new java.util.ArrayList<>();
        double oursTotal = 0;
        double ortTotal = 0;
        double oursCold = 0;
        double ortCold = 0;
        for (int i = 0; i < n; i++) {
            Path f = files.get(i);
            double o = OrtLatency.median(java.util.Arrays.copyOfRange(oursMs[i], 3, rounds));
            double r = OrtLatency.median(java.util.Arrays.copyOfRange(ortMs[i], 3, rounds));
            oursTotal += o;
            ortTotal += r;
            oursCold += oursMs[i][0];
            ortCold += ortMs[i][0];
            double[] blocks = OrtLatency.blockRatios(scratch.resolve("ours-" + f.getFileName()), f);
            double ratio = OrtLatency.median(blocks);
            latencyRatios.add(ratio);
            double[] sorted = blocks.clone();
            java.util.Arrays.sort(sorted);
            out.printf(Locale.ROOT, "%-40s %7d %7d %9d %9.1f %9.1f %8.2f× [%.2f–%.2f]%n", f.getFileName(), before[i], ours[i],
                    ortNodes[i], o, r, ratio, sorted[sorted.length / 4], sorted[sorted.length * 3 / 4]);
        }
        out.printf(Locale.ROOT, "total time, warm (median of %d rounds after 3): ours %.1f ms, onnxruntime BASIC %.1f ms (×%.2f)%n",
                repeat, oursTotal, ortTotal, oursTotal / ortTotal);
        out.printf(Locale.ROOT, "total time, first round (this JVM's first pass, rules already loaded): ours %.1f ms,"
                + " onnxruntime BASIC %.1f ms (×%.2f)%n", oursCold, ortCold, oursCold / ortCold);
        out.printf(Locale.ROOT, "both include reading the file and writing the result; ours runs simplify and the default"
                + " rules alternating, as optimize --no-verify does%n");
        if (cold == null) {
            out.printf(Locale.ROOT, "one command over all the files from a cold start: not measured, two files share a"
                    + " name (one optimize call writes its results into one folder)%n");
        } else {
            out.printf(Locale.ROOT, "one command over all the files from a cold start (new processes, wall time, median of"
                    + " 3): ours %.0f ms, onnxruntime BASIC in a JVM of its own %.0f ms (×%.2f); ours ran `%s`%n", cold.ours(),
                    cold.onnxruntime(), cold.ours() / cold.onnxruntime(), cold.oursCommand());
        }
        out.printf(Locale.ROOT, "latency o/i: onnxruntime inference time of our output over the input (default session"
                + " options, batch 1; both open, 15 alternating blocks of 20 runs; median and quartiles of the"
                + " block ratios: a range that holds 1.00 is no measurable difference); geometric mean ×%.2f%n",
                Math.exp(latencyRatios.stream().mapToDouble(Math::log).average().orElse(0)));
        out.flush();
        try (java.util.stream.Stream<Path> all = Files.walk(scratch)) { // the outputs of every round: gone
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
