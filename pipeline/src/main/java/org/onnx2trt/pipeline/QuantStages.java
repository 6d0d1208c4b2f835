package org.onnx2trt.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Problem;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.quant.calib.Calibration;
import org.onnx2trt.quant.calib.CalibrationMethod;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.quant.eval.Evaluation;
import org.onnx2trt.quant.eval.FloatFallback;
import org.onnx2trt.quant.place.QdqPlacement;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.transform.OpsetUpgrade;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.Tolerance;

/**
 * The quantization stages of one run: {@code calibrate} measures the model as it is then and keeps
 * the table, {@code quantize} keeps the float model it starts from and places QDQ pairs,
 * {@code evaluate} compares the two on data.
 */
final class QuantStages {
    private final ModelExecutor executor;
    private CalibrationTable table;
    private ModelProto floatModel;
    private Recipe.Quantize quantize;

    QuantStages(ModelExecutor executor) {
        this.executor = executor;
    }

    void calibrate(Model model, Recipe.Calibrate c, RunOptions options, RunListener listener, List<StageReport> reports) {
        long t0 = System.nanoTime();
        if (options.importedTable() != null) { // a user's calibration cache: its scales, measured elsewhere
            table = options.importedTable();
            StageReport r = new StageReport.Calibrated(table, 0);
            listener.stageDone(r);
            reports.add(r);
            long covered = model.graph().nodeList().stream().flatMap(n -> n.outputs().stream())
                    .filter(v -> v != null && table.range(v.name()).isPresent()).count()
                    + model.graph().runtimeInputs().stream().filter(v -> table.range(v.name()).isPresent()).count();
            listener.note("calibrate: " + covered + " of the model's tensors have a scale in the cache; a layer whose input"
                    + " has none stays float (quantize --explain NODE says which)");
            return;
        }
        try (DataSet data = open(model, options, c.where(), "calibrate")) {
            table = Calibration.run(model, data, new Calibration.Settings(CalibrationMethod.parse(c.method()),
                    CalibrationMethod.DEFAULT_BINS, c.maxSamples()), executor, listener.progress());
        }
        StageReport r = new StageReport.Calibrated(table, (System.nanoTime() - t0) / 1e9);
        listener.stageDone(r);
        reports.add(r);
    }

    /**
     * The import_qdq stage: reads the model's QDQ pairs (dedicating shared ones); its activation scales
     * become the run's calibration table. Fails when the model has no QDQ pair at all.
     */
    String importQdq(Model model, Recipe.ImportQdq s, long opsetFrom, RunListener listener, List<StageReport> reports) {
        org.onnx2trt.quant.qat.QdqImport.Result result = org.onnx2trt.quant.qat.QdqImport.run(model, s.dedicatedPairs());
        table = org.onnx2trt.quant.qat.QdqImport.ranges(model, "the model's QDQ scales");
        StageReport r = new StageReport.QdqImported(result, table, opsetFrom);
        listener.stageDone(r);
        reports.add(r);
        if (result.quantizers() == 0) {
            return "import_qdq (" + s.where() + "): the model has no QuantizeLinear/DequantizeLinear pair: it is a float"
                    + " model; quantize it with `onnx2trt quantize MODEL --calib DATA -o OUT`";
        }
        return null;
    }

    /** The quantize stage; its failure (nothing could be quantized), or null. Its placement's events go to {@code runTrace} (--explain). */
    String quantize(Model model, Recipe.Quantize q, RunListener listener, List<StageReport> reports, Trace runTrace) {
        floatModel = model.toProto();
        quantize = q;
        long quantizersBefore = quantizers(model);
        QdqPlacement.Result placed = QdqPlacement.place(model, table, QdqPlacement.Target.parse(q.target()),
                placementParameters(q));
        runTrace.addAll(placed.trace());
        List<Problem> errors = GraphValidator.errors(model);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the quantized graph is invalid, nothing was written: " + errors);
        }
        // Why nodes stayed float: each node of the result that reads no dequantized value and whose output
        // is not quantized, with the first reason a placement rule gave at it (a node no rule looked at
        // has none and is not listed).
        Map<String, String> firstDecline = new LinkedHashMap<>();
        for (Trace.Event e : placed.trace().events()) {
            if (e instanceof Trace.Declined d) {
                firstDecline.putIfAbsent(d.node(), d.reason());
            }
        }
        Map<String, List<String>> declined = new TreeMap<>();
        for (org.onnx2trt.ir.Node n : model.graph().nodeList()) {
            String reason = firstDecline.get(org.onnx2trt.rewrite.Rewriter.label(n));
            boolean quantizedNode = n.inputs().stream().anyMatch(v -> v != null && v.producer() != null
                    && v.producer().opType().equals("DequantizeLinear"))
                    || !n.outputs().isEmpty() && !n.output(0).uses().isEmpty()
                    && n.output(0).uses().stream().allMatch(u -> u.user().opType().equals("QuantizeLinear"));
            if (reason != null && !quantizedNode && !n.opType().equals("QuantizeLinear") && !n.opType().equals("DequantizeLinear")) {
                declined.computeIfAbsent(reason, k -> new ArrayList<>()).add(org.onnx2trt.rewrite.Rewriter.label(n));
            }
        }
        int pairs = (int) (quantizers(model) - quantizersBefore);
        Map<String, Integer> kernels = QdqPlacement.Target.parse(q.target()) == QdqPlacement.Target.ORT_CPU && pairs > 0
                ? ortKernels(model) : Map.of();
        StageReport r = new StageReport.Quantized(q.target(), placed.applied(), pairs, declined, kernels);
        listener.stageDone(r);
        reports.add(r);
        if (pairs == 0) { // a "quantized" model that is still all float must not pass for one
            String why = declined.entrySet().stream().max(java.util.Comparator.comparingInt(e -> e.getValue().size()))
                    .map(Map.Entry::getKey)
                    .orElse("the model has no op the placement rules quantize (Conv, ConvTranspose, Gemm, MatMul, Add, pools)");
            return "nothing was quantized (" + q.where() + "): " + why;
        }
        return null;
    }

    /**
     * The bias_correct stage: the analytic rules (with the table's per-channel means), then the empirical
     * pass on the calibration data against the float model the quantize stage started from.
     */
    void biasCorrect(Model model, Recipe.BiasCorrect b, RunOptions options, RunListener listener, List<StageReport> reports,
                     Trace runTrace) {
        int analytic = 0;
        if (!b.method().equals("empirical")) {
            org.onnx2trt.quant.place.QdqPlacement.Result r = org.onnx2trt.quant.place.AnalyticBiasCorrection.run(model, table,
                    placementParameters(quantize));
            runTrace.addAll(r.trace());
            analytic = r.applied();
        }
        org.onnx2trt.quant.eval.BiasCorrection.Result empirical = null;
        if (!b.method().equals("analytic")) {
            try (DataSet data = open(model, options, b.where(), "bias_correct")) {
                empirical = org.onnx2trt.quant.eval.BiasCorrection.run(Model.fromProto(floatModel), model, data, b.samples(),
                        executor, listener.progress());
            }
        }
        StageReport r = new StageReport.BiasCorrected(analytic, empirical);
        listener.stageDone(r);
        reports.add(r);
    }

    /** What onnxruntime's CPU provider runs {@code model} as after its fusions: shows whether int8 kernels took. */
    private static Map<String, Integer> ortKernels(Model model) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("onnx2trt-ort-cpu", ".onnx");
            try {
                org.onnx2trt.io.ModelWriter.write(model, file, org.onnx2trt.io.WriteOptions.inline());
                return org.onnx2trt.verify.OrtKernels.afterFusion(file);
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long quantizers(Model model) {
        return model.graph().nodeList().stream().filter(n -> n.opType().equals("QuantizeLinear")).count();
    }

    /** What an evaluate stage decided: its failure (null when the bounds hold) and the model to go on with. */
    record Evaluated(String failure, Model model) {}

    /**
     * The evaluate stage: the quantized model against the float one; with {@code fallback}, when the
     * bounds are not met, the most sensitive layer groups go back to float until they are.
     */
    Evaluated evaluate(Model model, Recipe.Evaluate e, RunOptions options, RunListener listener, List<StageReport> reports) {
        Model reference = Model.fromProto(floatModel);
        Evaluation.Result result;
        try (DataSet data = openEvaluation(reference, options, e.where())) {
            result = Evaluation.run(reference, model, data, e.samples(), executor, listener.progress());
        }
        FloatFallback.Budget budget = r -> violation(r, e);
        String failure = budget.violation(result);
        FloatFallback.Result fallback = null;
        if (failure != null && e.fallback()) {
            try (DataSet data = openEvaluation(reference, options, e.where())) {
                fallback = FloatFallback.run(floatModel, table, QdqPlacement.Target.parse(quantize.target()),
                        placementParameters(quantize), data, e.samples(), budget, executor, listener.progress());
            }
            model = fallback.model();
            result = fallback.evaluation();
            failure = fallback.violation() == null ? null
                    : fallback.violation() + "; giving back to float every layer group but the least sensitive did not"
                    + " meet the bounds (the calibration method, or excluding whole op types, may)";
        } else if (e.sensitivity()) {
            try (DataSet data = openEvaluation(reference, options, e.where())) {
                List<FloatFallback.Sensitivity> ranking = FloatFallback.rank(floatModel, table,
                        QdqPlacement.Target.parse(quantize.target()), placementParameters(quantize), data, e.samples(),
                        executor, listener.progress());
                fallback = new FloatFallback.Result(model, result, ranking, List.of(), failure);
            }
        }
        StageReport r = new StageReport.Evaluated(result, e.minSnrDb(), e.maxDrop(), failure, fallback);
        listener.stageDone(r);
        reports.add(r);
        return new Evaluated(failure, model);
    }

    /** What the figures lack against the stage's bounds, or null when they hold. */
    private static String violation(Evaluation.Result result, Recipe.Evaluate e) {
        return violation(result, e.minSnrDb(), e.maxDrop(), "after quantization", e.where());
    }

    /** What the figures lack against the bounds, or null when they hold; {@code after} names the change. */
    private static String violation(Evaluation.Result result, double minSnrDb, double maxDrop, String after, String where) {
        for (Evaluation.OutputFigures o : result.outputs()) {
            if (o.snrDb() < minSnrDb) {
                return String.format(Locale.ROOT, "output `%s` keeps %.1f dB SNR %s, below the %.1f dB the"
                        + " recipe asks (%s)", o.name(), o.snrDb(), after, minSnrDb, where);
            }
            if (o.agreement() != null && o.agreement().top1Drop() > maxDrop) {
                return String.format(Locale.ROOT, "output `%s` loses %.2f points of top-1 %s, more than"
                        + " the %.2f the recipe allows (%s)", o.name(), o.agreement().top1Drop(), after, maxDrop, where);
            }
        }
        return null;
    }

    /**
     * The align_qdq stage: each kind of change on a copy, measured against the model before the stage on
     * the run's evaluation data (with labels: accuracy), else its calibration data, else random samples,
     * and kept only within the bounds. Never fails the
     * run: a change that breaks a bound is undone and reported.
     */
    Model alignQdq(Model model, Recipe.AlignQdq a, RunOptions options, RunListener listener, List<StageReport> reports) {
        Model reference = Model.fromProto(model.toProto());
        Map<String, Object> parameters = Map.of("exclude", a.exclude());
        List<StageReport.QdqAligned.Part> parts = new ArrayList<>();
        String described;
        RunOptions.DataSource source = options.evaluation() != null ? options.evaluation() : options.calibration();
        try (DataSet data = source != null ? source.open(reference)
                : new org.onnx2trt.quant.data.SampleList(options.samples().samples(reference, a.samples(), 1), "random inputs")) {
            described = Math.min(a.samples(), data.size()) + " samples of " + data.describe();
            if (a.floatOps()) {
                Model candidate = Model.fromProto(model.toProto());
                CalibrationTable measured = Calibration.run(candidate, data, new Calibration.Settings(CalibrationMethod.MINMAX,
                        CalibrationMethod.DEFAULT_BINS, a.samples()), executor, listener.progress());
                QdqPlacement.Result r = org.onnx2trt.quant.place.FloatOpQdqRemoval.run(candidate, measured, parameters);
                List<String> removed = r.trace().events().stream().filter(e -> e instanceof Trace.Applied)
                        .map(e -> "pair before " + ((Trace.Applied) e).node()).toList();
                model = keepIfWithin("float_ops", removed, reference, model, candidate, data, a, listener, parts);
            }
            if (a.concatScales()) {
                Model candidate = Model.fromProto(model.toProto());
                List<String> shared = org.onnx2trt.quant.qat.ConcatScaleSharing.run(candidate).stream()
                        .map(c -> String.format(Locale.ROOT, "%s: %s -> %.6g", c.concat(), c.scalesBefore().stream()
                                .map(v -> String.format(Locale.ROOT, "%.6g", v)).toList(), c.scale())).toList();
                model = keepIfWithin("concat_scales", shared, reference, model, candidate, data, a, listener, parts);
            }
        }
        StageReport r = new StageReport.QdqAligned(described, parts, a.minSnrDb(), a.maxDrop());
        listener.stageDone(r);
        reports.add(r);
        return model;
    }

    /** {@code candidate} when it changed something and its figures against {@code reference} hold, else {@code current}. */
    private Model keepIfWithin(String name, List<String> changes, Model reference, Model current, Model candidate, DataSet data,
                               Recipe.AlignQdq a, RunListener listener, List<StageReport.QdqAligned.Part> parts) {
        if (changes.isEmpty()) {
            parts.add(new StageReport.QdqAligned.Part(name, changes, null, false, null));
            return current;
        }
        Evaluation.Result figures = Evaluation.run(reference, candidate, data, a.samples(), executor, listener.progress());
        String broken = violation(figures, a.minSnrDb(), a.maxDrop(), "with " + name, a.where());
        parts.add(new StageReport.QdqAligned.Part(name, changes, figures, broken == null, broken));
        return broken == null ? candidate : current;
    }

    private static Map<String, Object> placementParameters(Recipe.Quantize q) {
        return Map.of("exclude", q.exclude(), "conv_transpose_axis", q.convTransposeAxis(), "weights", q.weights());
    }

    /**
     * Per-channel QuantizeLinear/DequantizeLinear (their axis) came with opset 13: a model of opset 11
     * or 12 is upgraded first ({@link OpsetUpgrade}) and checked against itself in onnxruntime; an
     * older one, or one the upgrade cannot carry over, is refused before any work.
     */
    static void makeQuantizable(Model model, RunOptions options, RunListener listener) {
        long opset = model.opsetVersion("");
        if (opset >= 13) {
            return;
        }
        Model original = Model.fromProto(model.toProto());
        OpsetUpgrade.Result r;
        try {
            r = OpsetUpgrade.to13(model);
        } catch (OpsetUpgrade.UnsupportedUpgrade e) {
            throw new PipelineInputException("per-channel QDQ (TensorRT's int8 weights) needs opset 13: " + e.getMessage());
        }
        Equivalence.Report check = Equivalence.check(original, model, options.samples().samples(original, 4, 1), Map.of(),
                new Tolerance(1e-5, 1e-4));
        if (!check.passed()) {
            throw new IllegalStateException("the opset " + opset + " -> 13 upgrade changed the model's function: "
                    + check.firstFailure().describe());
        }
        listener.note("opset " + r.from() + " -> 13 for per-channel QDQ: " + r.operandsMoved() + " attribute operands made"
                + " inputs, " + r.softmaxesRewritten() + " Softmax-like ops kept at their old meaning; checked in onnxruntime"
                + " against the input on 4 samples");
    }

    private static DataSet openEvaluation(Model model, RunOptions options, String where) {
        return options.evaluation() != null ? options.evaluation().open(model) : open(model, options, where, "evaluate");
    }

    private static DataSet open(Model model, RunOptions options, String where, String stage) {
        if (options.calibration() == null) {
            throw new PipelineInputException("the recipe's `" + stage + "` stage (" + where + ") runs the model on data:"
                    + " give it with --calib DATA");
        }
        return options.calibration().open(model);
    }
}
