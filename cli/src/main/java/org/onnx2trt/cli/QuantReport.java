package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.onnx2trt.quant.eval.Evaluation;
import org.onnx2trt.quant.eval.FloatFallback;

/** How an evaluation (float vs quantized) is printed and written as JSON. */
final class QuantReport {
    private QuantReport() {}

    /** What a bias_correct stage changed: the analytic layers, and the empirical pass layer by layer. */
    static void printBiasCorrection(org.onnx2trt.pipeline.StageReport.BiasCorrected b, PrintWriter out) {
        out.printf("bias_correct: analytic: %d layer%s corrected for their weights' rounding%n", b.analytic(),
                b.analytic() == 1 ? "" : "s");
        org.onnx2trt.quant.eval.BiasCorrection.Result e = b.empirical();
        if (e == null) {
            return;
        }
        out.printf(Locale.ROOT, "bias_correct: empirical on %d samples: %d of %d layers kept; output SNR against float %s ->"
                + " %s dB%n", e.samples(), e.kept(), e.layers().size(), org.onnx2trt.verify.OutputComparison.snrText(e.snrBeforeDb()),
                org.onnx2trt.verify.OutputComparison.snrText(e.snrAfterDb()));
        int shown = 0;
        for (org.onnx2trt.quant.eval.BiasCorrection.Layer l : e.layers()) {
            if (shown++ == 12) {
                out.printf("  ... and %d more layers (--report FILE lists every one)%n", e.layers().size() - 12);
                break;
            }
            out.printf(Locale.ROOT, "  %-40s %4d channels, mean |shift| %.3g, SNR %s dB%s%n", l.node(), l.channels(),
                    l.meanAbsShift(), org.onnx2trt.verify.OutputComparison.snrText(l.snrDb()),
                    l.kept() ? "" : "  reverted (lowered the SNR or the top-1 agreement)");
        }
    }

    /** What an align_qdq stage tried: per kind of change, what it changed and whether it stayed. */
    static void printAlignment(org.onnx2trt.pipeline.StageReport.QdqAligned a, PrintWriter out) {
        out.printf(Locale.ROOT, "align_qdq: measured against the model before it on %s (bounds %.1f dB, %.2f points of top-1)%n",
                a.data(), a.minSnrDb(), a.maxDrop());
        for (org.onnx2trt.pipeline.StageReport.QdqAligned.Part p : a.parts()) {
            if (p.changes().isEmpty()) {
                out.printf("  %s: nothing qualified%n", p.name());
                continue;
            }
            String worst = p.figures().outputs().stream().map(o -> String.format(Locale.ROOT, "%s %s dB%s", o.name(),
                    org.onnx2trt.verify.OutputComparison.snrText(o.snrDb()), o.agreement() == null ? ""
                            : String.format(Locale.ROOT, ", %.2f%% top-1 agree", 100 * o.agreement().top1Agreement())
                            + (Double.isNaN(o.agreement().floatTop1()) ? "" : String.format(Locale.ROOT,
                            ", accuracy %.2f%% -> %.2f%%", 100 * o.agreement().floatTop1(), 100 * o.agreement().quantTop1()))))
                    .reduce((x, y) -> x + "; " + y).orElse("");
            out.printf("  %s: %d change%s, %s: %s%n", p.name(), p.changes().size(), p.changes().size() == 1 ? "" : "s",
                    p.kept() ? "kept" : "undone (" + p.why() + ")", worst);
            p.changes().stream().limit(8).forEach(c -> out.printf("    %s%n", c));
            if (p.changes().size() > 8) {
                out.printf("    ... and %d more (--report FILE lists every one)%n", p.changes().size() - 8);
            }
        }
    }

    /** Per output: SNR, cosine, max abs; for classifier outputs top-1 agreement and, with labels, accuracy. */
    static void printEvaluation(Evaluation.Result r, PrintWriter out) {
        out.printf("evaluate: float vs quantized on %d sample%s%n", r.samples(), r.samples() == 1 ? "" : "s");
        int width = Math.max(6, r.outputs().stream().mapToInt(o -> o.name().length()).max().orElse(6));
        out.printf(Locale.ROOT, "  %-" + width + "s %8s %10s %10s  %s%n", "output", "SNR dB", "cosine", "max abs", "top-1");
        for (Evaluation.OutputFigures o : r.outputs()) {
            String top1 = "";
            Evaluation.Agreement a = o.agreement();
            if (a != null) {
                top1 = String.format(Locale.ROOT, "%.2f%% agree", 100 * a.top1Agreement());
                if (!Double.isNaN(a.floatTop1())) {
                    top1 += String.format(Locale.ROOT, "; accuracy %.2f%% float, %.2f%% int8 (%+.2f points)",
                            100 * a.floatTop1(), 100 * a.quantTop1(), -a.top1Drop());
                }
                if (!Double.isNaN(a.floatTop5())) {
                    top1 += String.format(Locale.ROOT, "; top-5 %.2f%% / %.2f%%", 100 * a.floatTop5(), 100 * a.quantTop5());
                }
            }
            out.printf(Locale.ROOT, "  %-" + width + "s %8.1f %10.6f %10.3g  %s%n", o.name(), o.snrDb(), o.cosine(),
                    o.maxAbs(), top1);
        }
    }

    /** The sensitivity ranking (the five most sensitive groups) and the groups given back to float. */
    static void printFallback(FloatFallback.Result f, PrintWriter out) {
        if (f.inFloat().isEmpty()) { // a sensitivity report alone (--sensitivity)
            out.printf("sensitivity: each layer group alone costs (most sensitive first):%n");
            for (FloatFallback.Sensitivity s : f.ranking()) {
                printSensitivity(s, out);
            }
            return;
        }
        out.printf("fallback: the bounds were not met with every layer group quantized; each group alone costs (most"
                + " sensitive first):%n");
        for (FloatFallback.Sensitivity s : f.ranking().subList(0, Math.min(5, f.ranking().size()))) {
            printSensitivity(s, out);
        }
        out.printf("fallback: %d of %d layer groups left in float%s: %s%n", f.inFloat().size(), f.ranking().size(),
                f.violation() == null ? " to meet the bounds" : ", and the bounds are still not met",
                f.inFloat().stream().map(g -> g.node() + " (" + g.op() + ")").toList());
    }

    private static void printSensitivity(FloatFallback.Sensitivity s, PrintWriter out) {
        out.printf(Locale.ROOT, "  %-40s %-18s %6.1f dB%s%n", s.group().node(), s.group().op(), s.snrDb(),
                Double.isNaN(s.top1Drop()) ? "" : String.format(Locale.ROOT, "  top-1 %+.2f points", -s.top1Drop()));
    }

    static Map<String, Object> fallbackJson(FloatFallback.Result f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sensitivity", f.ranking().stream().map(s -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("node", s.group().node());
            e.put("op", s.group().op());
            e.put("snr_db_alone", finite(s.snrDb()));
            e.put("top1_drop_alone", finite(s.top1Drop()));
            return e;
        }).toList());
        m.put("left_in_float", f.inFloat().stream().map(FloatFallback.Group::node).toList());
        m.put("bounds_met", f.violation() == null);
        return m;
    }

    static Map<String, Object> json(Evaluation.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", r.samples());
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (Evaluation.OutputFigures o : r.outputs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", o.name());
            e.put("snr_db", finite(o.snrDb()));
            e.put("cosine", finite(o.cosine()));
            e.put("max_abs", o.maxAbs());
            if (o.agreement() != null) {
                Evaluation.Agreement a = o.agreement();
                e.put("top1_agreement", a.top1Agreement());
                e.put("float_top1", finite(a.floatTop1()));
                e.put("int8_top1", finite(a.quantTop1()));
                e.put("float_top5", finite(a.floatTop5()));
                e.put("int8_top5", finite(a.quantTop5()));
                e.put("top1_drop_points", a.top1Drop());
            }
            outputs.add(e);
        }
        m.put("outputs", outputs);
        return m;
    }

    /** JSON has no NaN or infinity: null for them. */
    static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
