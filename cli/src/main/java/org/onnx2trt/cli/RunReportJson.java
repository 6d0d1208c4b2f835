package org.onnx2trt.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.pipeline.RunReport;
import org.onnx2trt.pipeline.StageReport;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.transform.Simplify;

/** A pipeline run as the JSON of {@code --report} and {@code --trace}. */
final class RunReportJson {
    private RunReportJson() {}

    /** The {@code --report} document; {@code output} is null when nothing was written. */
    static Map<String, Object> of(RunReport report, Recipe recipe, String input, String output) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recipe", recipe.name());
        m.put("recipe_source", recipe.source());
        m.put("input", input);
        m.put("output", output);
        m.put("ok", report.ok());
        List<StageReport> stages = report.stages();
        m.put("stages", stages.stream().map(s -> stage(s, s == stages.get(stages.size() - 1) ? report.failure() : null))
                .toList());
        m.put("ops_before", report.opsBefore());
        m.put("ops_after", report.opsAfter());
        m.put("fired", report.fired());
        m.put("logit_outputs", report.newLogitOutputs());
        return m;
    }

    /** One stage; {@code failure} only on the verify stage that stopped the run. */
    private static Map<String, Object> stage(StageReport report, String failure) {
        if (report instanceof StageReport.Simplified s) {
            Simplify.Report d = s.passes();
            return ordered("stage", "simplify", "initializers_made_constant", d.canonical().initializerInputsDemoted(),
                    "constant_nodes_converted", d.canonical().constantNodesConverted(),
                    "folded_values", d.folded().foldedValues(), "folded_nodes", d.folded().removedNodes(),
                    "pinned_inputs", d.shapes().pinnedInputs(), "concats_spliced", d.concatsSpliced(),
                    "duplicate_initializers_merged", d.merged().initializers(), "duplicate_nodes_merged", d.merged().nodes(),
                    "shapes_inferred_folded", d.shapes().inferredFolded(), "shape_nodes_removed", d.shapes().removedNodes(),
                    "shapes_folded", d.shapes().shapesFolded(), "values_typed", d.types().annotated(),
                    "inference_conflicts", d.types().conflicts(), "ops_without_inference", d.types().unknownOps(),
                    "not_folded_too_large", d.folded().tooLarge(), "dead_nodes_removed", d.removed().nodes(),
                    "unused_initializers_removed", d.removed().initializers());
        }
        if (report instanceof StageReport.RulesApplied r) {
            return ordered("stage", "rules", "rules", r.rules(), "applied", r.applied(), "ms", r.ms());
        }
        if (report instanceof StageReport.Calibrated c) {
            return ordered("stage", "calibrate", "method", c.table().method(), "samples", c.table().samples(),
                    "activations", c.table().tensors().size(), "seconds", c.seconds());
        }
        if (report instanceof StageReport.Quantized q) {
            Map<String, Object> m = ordered("stage", "quantize", "target", q.target(), "pairs", q.pairs(), "applied", q.applied(),
                    "left_in_float", q.declined());
            if (!q.ortKernels().isEmpty()) {
                m.put("onnxruntime_cpu_ops", q.ortKernels());
            }
            return m;
        }
        if (report instanceof StageReport.BiasCorrected b) {
            Map<String, Object> m = ordered("stage", "bias_correct", "analytic_layers", b.analytic());
            if (b.empirical() != null) {
                m.put("samples", b.empirical().samples());
                m.put("snr_before_db", QuantReport.finite(b.empirical().snrBeforeDb()));
                m.put("snr_after_db", QuantReport.finite(b.empirical().snrAfterDb()));
                m.put("layers", b.empirical().layers().stream().map(l -> ordered("node", l.node(), "channels", l.channels(),
                        "mean_abs_shift", l.meanAbsShift(), "snr_db", QuantReport.finite(l.snrDb()), "kept", l.kept())).toList());
            }
            return m;
        }
        if (report instanceof StageReport.QdqAligned a) {
            return ordered("stage", "align_qdq", "data", a.data(), "min_snr_db", a.minSnrDb(), "max_drop", a.maxDrop(),
                    "parts", a.parts().stream().map(p -> {
                        Map<String, Object> m = ordered("name", p.name(), "changes", p.changes(), "kept", p.kept());
                        if (p.figures() != null) {
                            m.put("figures", QuantReport.json(p.figures()));
                        }
                        if (p.why() != null) {
                            m.put("undone_because", p.why());
                        }
                        return m;
                    }).toList());
        }
        if (report instanceof StageReport.QdqImported q) {
            return ordered("stage", "import_qdq", "opset_from", q.opsetFrom(), "weights_per_channel",
                    q.result().weightsPerChannel(), "weights_per_tensor", q.result().weightsPerTensor(), "activations",
                    q.result().activations(), "pairs_copied", q.result().pairsCopied(), "not_symmetric_int8",
                    q.result().notSymmetricInt8());
        }
        if (report instanceof StageReport.Linted l) {
            return ordered("stage", "lint", "trt_version", l.result().version().toString(), "errors", l.result().errors(),
                    "warnings", l.result().warnings(), "findings", l.result().findings());
        }
        if (report instanceof StageReport.Float16 f) {
            Map<String, Object> snr = new java.util.LinkedHashMap<>();
            f.outputs().forEach(o -> snr.put(o.name(), Double.isFinite(o.snrDb()) ? o.snrDb() : null));
            return ordered("stage", "fp16", "float16_nodes", f.conversion().float16Nodes(), "kept_float32",
                    f.conversion().keptFloat32(), "casts", f.conversion().casts(), "weights_converted",
                    f.conversion().initializersConverted(), "min_snr_db", f.minSnrDb(), "snr_db", snr);
        }
        if (report instanceof StageReport.Evaluated e) {
            Map<String, Object> m = QuantReport.json(e.result());
            m.put("stage", "evaluate");
            m.put("min_snr_db", e.minSnrDb());
            m.put("max_drop", e.maxDrop());
            if (e.fallback() != null) {
                m.put("fallback", QuantReport.fallbackJson(e.fallback()));
            }
            if (e.failure() != null) {
                m.put("failure", e.failure());
            }
            return m;
        }
        StageReport.Verified v = (StageReport.Verified) report;
        Map<String, Object> m = ordered("stage", "verify", "samples", v.equivalence().samples(), "equivalent",
                failure == null, "outputs", v.equivalence().outputs().stream().map(EquivalenceReport::json).toList());
        if (failure != null) {
            m.put("failure", failure);
        }
        return m;
    }

    /** A map of {@code key, value, ...} in the given order, for JSON that reads top-down. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** One trace event of {@code --trace}. */
    static Map<String, Object> json(Trace.Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", e instanceof Trace.Applied ? "applied" : e instanceof Trace.Declined ? "declined" : "bound");
        m.put("rule", e.rule());
        m.put("node", e.node());
        if (e instanceof Trace.Applied a) {
            m.put("matched", a.matchedNodes());
            m.put("created", a.createdValues());
        } else if (e instanceof Trace.Declined d) {
            m.put("reason", d.reason());
        } else if (e instanceof Trace.BoundReached b) {
            m.put("bound", b.bound());
        }
        return m;
    }
}
