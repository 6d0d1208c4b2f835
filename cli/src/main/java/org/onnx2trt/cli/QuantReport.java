package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.onnx2trt.quant.eval.Evaluation;

/** How an evaluation (float vs quantized) is printed and written as JSON. */
final class QuantReport {
    private QuantReport() {}

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
    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
