package org.onnx2trt.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.onnx2trt.builder.SyntheticModels;
import org.onnx2trt.inspect.Sizes;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Model;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.rules.RuleLibrary;

/**
 * The in-process suites of {@code onnx2trt bench}: {@code io} (load + save of a many-node model, and
 * of large weights inline and as external data, beside a plain file copy of the same bytes) and
 * {@code rewrite} (the default rules on Conv-BN-Relu(+Add) chains of growing size), each figure
 * the median of {@code repeat} timed runs after warm-up.
 */
public final class BenchSuites {
    private final PrintWriter out;
    private final int repeat;

    /** Puts constants where rules look for them and runs the default rules to a fixpoint: the model as optimize leaves it. */
    static void fuseWithDefaultRules(Model model) {
        org.onnx2trt.transform.Canonicalize.forRewriting(model, false);
        try {
            new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin()).run(model,
                    Program.fixpoint("default", RuleLibrary.builtin().select(List.of(), List.of())), new Trace(false));
        } catch (RuleLibrary.RuleLoadException e) {
            throw new IllegalStateException(e);
        }
    }

    public BenchSuites(PrintWriter out, int repeat) {
        this.out = out;
        this.repeat = repeat;
    }

    /**
     * The default rules on generated Conv→BN→Relu(+Add) chains: a full pass on a fresh copy, then a
     * pass over the already optimized graph (where nothing applies), in-process after warm-up.
     */
    public void rewrite(List<Integer> sizes) {
        List<CompiledRule> rules;
        try {
            rules = RuleLibrary.builtin().select(List.of(), List.of());
        } catch (RuleLibrary.RuleLoadException e) {
            throw new IllegalStateException(e);
        }
        Program program = Program.fixpoint("default", rules);
        Rewriter rewriter = new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin());
        ModelProto warm = SyntheticModels.convChain(10_000).toProto();
        for (int i = 0; i < 5; i++) {
            rewriter.run(Model.fromProto(warm), program, new Trace(false));
        }
        double previous = 0;
        for (int size : sizes) {
            ModelProto source = SyntheticModels.convChain(size).toProto();
            double[] full = new double[repeat];
            double[] noop = new double[repeat];
            int applied = 0;
            for (int i = 0; i < repeat; i++) {
                Model m = Model.fromProto(source);
                long t0 = System.nanoTime();
                applied = rewriter.run(m, program, new Trace(false));
                long t1 = System.nanoTime();
                rewriter.run(m, program, new Trace(false));
                long t2 = System.nanoTime();
                full[i] = (t1 - t0) / 1e6;
                noop[i] = (t2 - t1) / 1e6;
            }
            double med = median(full);
            out.printf(Locale.ROOT, "%,7d nodes: full pass %7.1f ms (%,d rewrites)   no-op pass %6.1f ms (%.2f of full)%s%n",
                    size, med, applied, median(noop), median(noop) / med,
                    previous > 0 ? String.format(Locale.ROOT, "   ×%.2f the previous size", med / previous) : "");
            previous = med;
            out.flush();
        }
    }

    public void nodes(Path scratch, int count) throws IOException {
        Path in = scratch.resolve("chain" + count + ".onnx");
        Path outFile = scratch.resolve("chain" + count + ".out.onnx");
        Model m = SyntheticModels.convChain(count);
        ModelWriter.write(m, in, WriteOptions.inline());
        int actual = m.graph().nodeCount();
        double[] load = new double[repeat];
        double[] save = new double[repeat];
        for (int i = -2; i < repeat; i++) { // two warm-up rounds
            long t0 = System.nanoTime();
            Model read = ModelReader.read(in);
            long t1 = System.nanoTime();
            ModelWriter.write(read, outFile, WriteOptions.keep());
            long t2 = System.nanoTime();
            if (i >= 0) {
                load[i] = (t1 - t0) / 1e6;
                save[i] = (t2 - t1) / 1e6;
            }
        }
        out.printf(Locale.ROOT, "graph of %,d nodes (%s): load %.1f ms + save %.1f ms = %.1f ms (median of %d)%n",
                actual, Sizes.bytes(Files.size(in)), median(load), median(save), median(sum(load, save)), repeat);
        out.flush();
    }

    public void weights(Path scratch, long weightsMib) throws IOException {
        Path inline = scratch.resolve("weights.onnx");
        Path external = scratch.resolve("weights.ext.onnx");
        long bytes = weightsMib << 20;
        boolean fitsInline = bytes < (2047L << 20);
        {
            Model m = SyntheticModels.bigWeights(bytes);
            if (fitsInline) {
                ModelWriter.write(m, inline, WriteOptions.inline());
            }
            ModelWriter.write(m, external, WriteOptions.external(1024));
        }
        Path source = fitsInline ? inline : external.resolveSibling(external.getFileName() + ".data");
        out.printf(Locale.ROOT, "model with %s of weights; each figure is the median of %d runs, each run beside"
                + " a plain copy of the same bytes (%s) made just before it%n", Sizes.bytes(Files.size(source)), repeat, source.getFileName());
        Path target = scratch.resolve("out.onnx");
        if (fitsInline) {
            measure("inline   -> inline  ", source, () -> ModelWriter.write(ModelReader.read(inline), target, WriteOptions.inline()));
            measure("inline   -> external", source, () -> ModelWriter.write(ModelReader.read(inline), target, WriteOptions.external(1024)));
        }
        measure("external -> external", source, () -> ModelWriter.write(ModelReader.read(external), target, WriteOptions.keep()));
        if (fitsInline) {
            measure("external -> inline  ", source, () -> ModelWriter.write(ModelReader.read(external), target, WriteOptions.inline()));
        } else {
            out.println("  (inline cases skipped: over 2 GiB cannot be written inline)");
        }
    }

    private interface Job {
        void run() throws IOException;
    }

    /**
     * Times {@code job} and a plain copy of {@code source} made just before each run, so that both
     * meet the same state of the page cache and the disk; reports medians and the job's peak heap.
     */
    private void measure(String label, Path source, Job job) throws IOException {
        Path copy = source.resolveSibling("copy.bin");
        long bytes = Files.size(source);
        job.run();
        double[] ms = new double[repeat];
        double[] copyMs = new double[repeat];
        long peak = 0;
        for (int i = 0; i < repeat; i++) {
            long c0 = System.nanoTime();
            Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
            copyMs[i] = (System.nanoTime() - c0) / 1e6;
            Files.delete(copy);
            long base = HeapPeak.reset();
            long t0 = System.nanoTime();
            job.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            peak = Math.max(peak, HeapPeak.peak() - base);
        }
        double med = median(ms);
        double copyMed = median(copyMs);
        out.printf(Locale.ROOT, "  %s  %6.0f ms  %5.0f MB/s   plain copy %6.0f ms  %5.0f MB/s   ratio %.2f   peak heap +%s%n",
                label, med, bytes / 1e6 / (med / 1e3), copyMed, bytes / 1e6 / (copyMed / 1e3), med / copyMed,
                Sizes.bytes(Math.max(0, peak)));
        out.flush();
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    public static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
