package org.onnx2trt.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.onnx2trt.builder.SyntheticModels;
import org.onnx2trt.ir.Model;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.rules.RuleLibrary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The default rules on generated Conv→BN→Relu(+Add) chains, for issue 3's bars: 10k nodes under
 * 100 ms; 160k no more than 5× 40k (no quadratic work); a no-op pass a fraction of a full pass.
 * Each invocation rewrites its own copy of the graph, imported outside the timed region.
 *
 * <p>The heap is fixed and pre-touched: letting it grow adds page faults to whichever invocations
 * first use the new memory, which doubled some timings here. Each setup ends with a full GC, so the
 * timed pass does not also pay for copying the graph it was just handed out of the young
 * generation (at 160k nodes a few hundred MB, which made single invocations vary by 2×).
 *
 * <p>Run: {@code mvn -q -B -DskipTests package && java -cp "bench/target/classes:bench/target/lib/*"
 * org.openjdk.jmh.Main RewriteBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-XX:NewRatio=1", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class RewriteBenchmark {

    /** The chain, the default rules and the driver, made once per trial. */
    @State(Scope.Benchmark)
    public static class Setting {
        @Param({"10000", "40000", "160000"})
        int nodes;

        ModelProto source;
        Program program;
        Rewriter rewriter;

        @Setup(Level.Trial)
        public void prepare() throws RuleLibrary.RuleLoadException {
            source = SyntheticModels.convChain(nodes).toProto();
            program = Program.fixpoint("default", RuleLibrary.builtin().select(List.of(), List.of()));
            rewriter = new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin());
        }

        int run(Model m) {
            return rewriter.run(m, program, new Trace(false));
        }
    }

    /** A fresh copy of the unoptimized chain for each invocation. */
    @State(Scope.Thread)
    public static class Fresh {
        Model model;

        @Setup(Level.Invocation)
        public void importIt(Setting s) {
            model = Model.fromProto(s.source);
            System.gc(); // see the class comment
        }
    }

    /** A fresh copy of the chain, already optimized, for each invocation. */
    @State(Scope.Thread)
    public static class Optimized {
        Model model;

        @Setup(Level.Invocation)
        public void importAndOptimize(Setting s) {
            model = Model.fromProto(s.source);
            s.run(model);
            System.gc();
        }
    }

    /** Every rule to fixpoint on the unoptimized chain (2,500 fusions per 10k nodes), then the sweep. */
    @Benchmark
    public int fullPass(Setting s, Fresh f) {
        return s.run(f.model);
    }

    /** The same program over the already optimized chain, where nothing applies. */
    @Benchmark
    public int noOpPass(Setting s, Optimized o) {
        return s.run(o.model);
    }
}
