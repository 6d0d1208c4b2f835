package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.util.List;
import org.onnx2trt.pipeline.RunListener;
import org.onnx2trt.pipeline.RunReport;
import org.onnx2trt.pipeline.StageReport;
import org.onnx2trt.rewrite.LogitOutputs;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.shape.ShapeInference;
import org.onnx2trt.transform.Simplify;

/** Prints a pipeline run for a person: each stage's figures as it ends, then the summary. */
final class RunPrinter implements RunListener {
    private final String inputLabel;
    private final PrintWriter out;

    RunPrinter(String inputLabel, PrintWriter out) {
        this.inputLabel = inputLabel;
        this.out = out;
    }

    @Override
    public void note(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void stageDone(StageReport report) {
        if (report instanceof StageReport.Simplified s) {
            simplified(s.passes(), s.maxFoldedSize());
        } else if (report instanceof StageReport.RulesApplied r) {
            if (r.rounds() > 1) {
                out.printf("rules: simplify and rules alternated %d times to reach a fixpoint%n", r.rounds());
            }
            out.printf("rules: %d rewrite%s with %d rules in %.0f ms%n", r.applied(), r.applied() == 1 ? "" : "s", r.rules(),
                    r.ms());
        } else if (report instanceof StageReport.Verified v) {
            out.printf("verify: %d sample%s%s against %s%n", v.asked(), v.asked() == 1 ? "" : "s", v.symbolicSizes() != null
                    ? ", and one more with the symbolic dims at " + InputShapes.describe(v.symbolicSizes()) : "",
                    inputLabel);
            EquivalenceReport.printTable(v.equivalence().outputs(), v.equivalence().floor(), v.noiseFloor(), out);
        } else if (report instanceof StageReport.Calibrated c) {
            out.printf(java.util.Locale.ROOT, "calibrate: %d activations measured on %d samples (%s), method %s, %.1f s%n",
                    c.table().tensors().size(), c.table().samples(), c.table().data(), c.table().method(), c.seconds());
        } else if (report instanceof StageReport.Quantized q) {
            out.printf("quantize: %d QDQ pairs placed for %s by %d rule applications%n", q.pairs(), q.target(), q.applied());
            q.declined().forEach((reason, nodes) -> out.printf("  left in float %d× : %s (%s)%n", nodes.size(), reason,
                    nodes.size() <= 3 ? String.join(", ", nodes)
                            : String.join(", ", nodes.subList(0, 3)) + " and " + (nodes.size() - 3) + " more"));
            if (!q.ortKernels().isEmpty()) {
                java.util.List<String> int8 = new java.util.ArrayList<>();
                q.ortKernels().forEach((op, n) -> {
                    if (org.onnx2trt.verify.OrtKernels.int8Count(java.util.Map.of(op, n)) > 0) {
                        int8.add(n + " " + op.substring(op.lastIndexOf(':') + 1));
                    }
                });
                out.printf("  onnxruntime (CPU) runs %s in int8%s%n", int8.isEmpty() ? "nothing" : String.join(", ", int8),
                        int8.isEmpty() ? ": its QDQ fusions did not take" : "");
            }
        } else if (report instanceof StageReport.BiasCorrected b) {
            QuantReport.printBiasCorrection(b, out);
        } else if (report instanceof StageReport.QdqAligned a) {
            QuantReport.printAlignment(a, out);
        } else if (report instanceof StageReport.QdqImported q) {
            if (q.opsetFrom() < 13) {
                out.printf("import_qdq: opset %d -> 13 (per-channel QDQ needs it)%n", q.opsetFrom());
            }
            out.printf("import_qdq: %d quantizers: %d weights per channel, %d per tensor, %d activations; %d pairs copied"
                    + " so that each reader has its own%n", q.result().quantizers(), q.result().weightsPerChannel(),
                    q.result().weightsPerTensor(), q.result().activations(), q.result().pairsCopied());
            if (!q.result().notSymmetricInt8().isEmpty()) {
                out.printf("  %d not symmetric int8 (zero point not int8 0), which TensorRT cannot run as trained: %s%n",
                        q.result().notSymmetricInt8().size(), q.result().notSymmetricInt8());
            }
        } else if (report instanceof StageReport.Linted l) {
            LintReport.print("the model", l.result(), out);
        } else if (report instanceof StageReport.Float16 f) {
            out.printf("fp16: %d nodes in float16, %d weights converted, %d casts added; kept float32: %s%n",
                    f.conversion().float16Nodes(), f.conversion().initializersConverted(), f.conversion().casts(),
                    f.conversion().keptFloat32().isEmpty() ? "nothing" : f.conversion().keptFloat32());
            out.printf("fp16: against the float32 model (bound %.1f dB)%n", f.minSnrDb());
            out.printf("  %-10s %8s %10s %10s%n", "output", "SNR dB", "cosine", "max abs");
            for (org.onnx2trt.verify.OutputComparison o : f.outputs()) {
                out.printf(java.util.Locale.ROOT, "  %-10s %8s %10s %10.3g%n", o.name(),
                        org.onnx2trt.verify.OutputComparison.snrText(o.snrDb()),
                        String.format(java.util.Locale.ROOT, "%.6f", o.cosine()), o.maxAbs());
            }
        } else if (report instanceof StageReport.Evaluated e) {
            if (e.fallback() != null) {
                QuantReport.printFallback(e.fallback(), out);
            }
            QuantReport.printEvaluation(e.result(), out);
        }
    }

    @Override
    public org.onnx2trt.quant.data.Progress progress() {
        return progress;
    }

    /** Where passes over data draw their bars (stderr); none unless the command sets one. */
    private org.onnx2trt.quant.data.Progress progress = org.onnx2trt.quant.data.Progress.NONE;

    RunPrinter withProgress(org.onnx2trt.quant.data.Progress p) {
        this.progress = p;
        return this;
    }

    private void simplified(Simplify.Report done, long maxFoldedSize) {
        if (!done.shapes().pinnedInputs().isEmpty()) {
            out.printf("simplify: inputs %s pinned to the shapes given (the written model takes only those)%n",
                    done.shapes().pinnedInputs());
        }
        if (done.shapes().inferredFolded() > 0) {
            out.printf("simplify: %d shape values known from shape inference made constants or merged (%d nodes"
                    + " removed)%n", done.shapes().inferredFolded(), done.shapes().removedNodes());
        }
        if (done.shapes().notDone() != null) {
            out.printf("simplify: Shape nodes left as they are: %s%n", done.shapes().notDone());
        } else if (done.shapes().shapesFolded() > 0) {
            out.printf("simplify: %d Shape nodes made constants by running the model%n", done.shapes().shapesFolded());
        }
        ShapeInference.Result types = done.types();
        out.printf("simplify: types and shapes of %d values inferred%s%n", types.annotated(),
                types.unknownOps().isEmpty() ? "" : "; no inference rule for " + types.unknownOps());
        for (String conflict : types.conflicts()) {
            out.printf("simplify: warning: %s%n", conflict);
        }
        if (done.concatsSpliced() > 0) {
            out.printf("simplify: %d Concats spliced into the Concat that reads them (FuseConsecutiveConcats)%n",
                    done.concatsSpliced());
        }
        if (done.merged().initializers() + done.merged().nodes() > 0) {
            out.printf("simplify: %d duplicate initializers and %d duplicate nodes merged%n", done.merged().initializers(),
                    done.merged().nodes());
        }
        out.printf("simplify: %d initializers made constants, %d Constant nodes made initializers, %d values folded"
                + " (%d nodes), %d dead nodes and %d unused initializers removed%n",
                done.canonical().initializerInputsDemoted(), done.canonical().constantNodesConverted(),
                done.folded().foldedValues(), done.folded().removedNodes(), done.removed().nodes(),
                done.removed().initializers());
        if (!done.folded().tooLarge().isEmpty()) {
            out.printf("simplify: not folded, over the size guard of %d elements: %s%n", maxFoldedSize,
                    String.join(", ", done.folded().tooLarge()));
        }
    }

    /** The summary after the stages: foreign ops, the sweep, the op table, what fired, logits, and --explain. */
    void summary(RunReport report, String explain) {
        if (!report.foreignOps().isEmpty()) {
            out.printf("note: the input already holds ops outside the ONNX default domain, which TensorRT's parser may"
                    + " not read: %s%n", report.foreignOps());
        }
        Trace trace = report.trace();
        if (!trace.swept().isEmpty()) {
            out.printf("removed %d dead nodes and %d unused initializers after the rules%n", trace.swept().nodes(),
                    trace.swept().initializers());
        }
        OpCountTable.print(report.opsBefore(), report.opsAfter(), out);
        report.fired().forEach((rule, n) -> out.printf("  %-32s fired %d×%n", rule, n));
        trace.events().stream().filter(e -> e instanceof Trace.BoundReached).forEach(e ->
                out.printf("warning: stopped at the bound of %d applications (rule %s at %s): rules may loop%n",
                        ((Trace.BoundReached) e).bound(), e.rule(), e.node()));
        if (!report.newLogitOutputs().isEmpty()) {
            out.printf("outputs %s are now logits (recorded in the model's metadata, %s): compare them with"
                    + " logit(t) for a threshold t; ./onnx2trt logit-threshold t prints it%n", report.newLogitOutputs(),
                    LogitOutputs.METADATA_KEY);
        }
        if (report.explainNode() != null) {
            explain(trace, report.explainNode(), explain);
        }
    }

    private void explain(Trace trace, String node, String asked) {
        List<Trace.Event> events = trace.about(node);
        out.printf("%nat `%s`%s:%n", node, node.equals(asked) ? "" : " (the node that makes `" + asked + "`)");
        if (events.isEmpty()) {
            out.println("  no rule starts at this node's op, or no node has this name");
        }
        for (Trace.Event e : events) {
            if (e instanceof Trace.Applied a) {
                out.printf("  %s fired (matched %s)%n", a.rule(), String.join(", ", a.matchedNodes()));
            } else if (e instanceof Trace.Declined d) {
                out.printf("  %s did not fire: %s%n", d.rule(), d.reason());
            }
        }
    }
}
