package org.onnx2trt.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.onnx2trt.pipeline.RunReport;
import org.onnx2trt.pipeline.StageReport;
import org.onnx2trt.quant.eval.Evaluation;
import org.onnx2trt.quant.eval.FloatFallback;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.trt.lint.Finding;
import org.onnx2trt.verify.OutputComparison;

/**
 * A run as one self-contained HTML page ({@code --report out.html}): no script, no font, no request
 * when it opens; charts are inline SVG. Sections: the outcome, the op histogram before and after
 * (table and chart), the rules that fired, then each stage's figures — verification per output,
 * calibration, QDQ placement and what stayed float, accuracy against the float model with the
 * sensitivity ranking (chart), float16's cost, the TensorRT lint's findings.
 */
final class HtmlReport {
    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222}
            h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.8em}
            table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left}
            th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .ok{color:#176b2c;font-weight:600}.bad{color:#a11;font-weight:600}.muted{color:#666}
            .error{color:#a11}.warning{color:#8a5a00}.info{color:#555}svg text{font:11px sans-serif}
            """;

    /** Bar colours in order: the first of several bars is grey (before, or p50's neighbours follow in blues). */
    private static final String[] PALETTE = {"#bbb", "#3a78c2", "#1d4f8a"};

    private final StringBuilder html = new StringBuilder();

    private HtmlReport() {}

    /** The page for {@code report}, the run of {@code recipe} on {@code input}; {@code output} null when nothing was written. */
    static String of(RunReport report, Recipe recipe, String input, String output) {
        HtmlReport r = new HtmlReport();
        r.page(report, recipe, input, output);
        return r.html.toString();
    }

    private void page(RunReport report, Recipe recipe, String input, String output) {
        head("onnx2trt: " + recipe.name() + " on " + input);
        html.append("<h1>onnx2trt: recipe <code>").append(esc(recipe.name())).append("</code> on <code>").append(esc(input))
                .append("</code></h1>\n<p>");
        if (report.ok()) {
            html.append("<span class=\"ok\">every check passed</span>");
        } else {
            html.append("<span class=\"bad\">").append(esc(report.failure())).append("</span>");
        }
        html.append(output != null ? "; wrote <code>" + esc(output) + "</code>" : "; nothing was written").append("</p>\n");
        ops(report.opsBefore(), report.opsAfter());
        if (!report.fired().isEmpty()) {
            html.append("<h2 id=\"rules\">Rules that fired</h2>\n<table><tr><th>rule</th><th>applications</th></tr>\n");
            report.fired().forEach((rule, n) -> html.append("<tr><td>").append(esc(rule)).append("</td><td class=\"n\">")
                    .append(n).append("</td></tr>\n"));
            html.append("</table>\n");
        }
        for (StageReport s : report.stages()) {
            stage(s);
        }
        foot();
    }

    /** The {@code benchmark} command's figures as one page: per model, a table and a latency chart. */
    static String benchmark(List<org.onnx2trt.bench.VariantLatency.Result> results, List<String> models) {
        HtmlReport r = new HtmlReport();
        r.head("onnx2trt benchmark");
        r.html.append("<h1>Latency in onnxruntime on this CPU</h1>\n");
        for (int m = 0; m < results.size(); m++) {
            var result = results.get(m);
            r.html.append("<h2 id=\"model-").append(m).append("\">").append(esc(models.get(m))).append("</h2>\n<p>batch ")
                    .append(result.batch()).append(", ").append(result.figures().get(0).runs())
                    .append(" interleaved runs each</p>\n<table><tr><th>variant</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th>"
                            + "<th>per second</th><th>× p50</th><th>SNR dB</th><th>note</th></tr>\n");
            List<String> labels = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            double base = result.figures().get(0).p50();
            for (int i = 0; i < result.variants().size(); i++) {
                var v = result.variants().get(i);
                var f = result.figures().get(i);
                r.html.append("<tr><td>").append(esc(v.name())).append("</td><td class=\"n\">")
                        .append(String.format(Locale.ROOT, "%.3f</td><td class=\"n\">%.3f</td><td class=\"n\">%.3f</td>"
                                + "<td class=\"n\">%.1f</td><td class=\"n\">%.2f", f.p50(), f.p90(), f.p99(), f.throughput(result.batch()),
                                f.p50() / base)).append("</td><td class=\"n\">").append(fmt(v.snrDb())).append("</td><td>")
                        .append(esc(v.note())).append("</td></tr>\n");
                labels.add(v.name());
                values.add(new double[] {f.p50(), f.p90(), f.p99()});
            }
            r.html.append("</table>\n");
            r.barChart("latency-chart-" + m, "latency in ms per variant: p50, p90, p99", labels, values);
        }
        r.foot();
        return r.html.toString();
    }

    /**
     * {@code compare A B --layers} as one page: each shared value in A's node order with its figures,
     * and the SNR per value as a chart, where error that grows through the network shows as bars
     * getting shorter; the first divergence named.
     */
    static String comparison(List<OutputComparison> rows, String reference, String candidate, String firstDivergence) {
        HtmlReport r = new HtmlReport();
        r.head("onnx2trt compare: " + reference + " vs " + candidate);
        r.html.append("<h1>").append(esc(candidate)).append(" against ").append(esc(reference))
                .append("</h1>\n<p>").append(firstDivergence == null ? "<span class=\"ok\">every value within tolerance</span>"
                        : "<span class=\"bad\">first divergence at <code>" + esc(firstDivergence) + "</code></span>")
                .append("</p>\n<h2 id=\"layers\">Values in node order</h2>\n");
        r.comparisons(rows);
        List<String> labels = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (OutputComparison o : rows) {
            labels.add(o.name());
            double snr = Double.isNaN(o.snrDb()) ? 0 : Math.min(o.snrDb(), 150);
            values.add(new double[] {Math.max(0, snr)});
        }
        r.barChart("layer-error-chart", "SNR (dB, capped at 150) of each value of the candidate against the reference,"
                + " in node order", labels, values);
        r.foot();
        return r.html.toString();
    }

    /** {@code build} as one page: the outcome, the lint's findings, the TensorRT calls of the plan. */
    static String build(String model, org.onnx2trt.trt.lint.TrtLint.Result lint, List<String> calls, String outcome) {
        HtmlReport r = new HtmlReport();
        r.head("onnx2trt build: " + model);
        r.html.append("<h1>TensorRT build of <code>")
                .append(esc(model)).append("</code></h1>\n<p>").append(esc(outcome)).append("</p>\n");
        r.stage(new org.onnx2trt.pipeline.StageReport.Linted(lint));
        r.html.append("<h2 id=\"plan\">The plan: TensorRT calls</h2>\n<pre>");
        calls.forEach(c -> r.html.append(esc(c)).append('\n'));
        r.html.append("</pre>\n");
        r.foot();
        return r.html.toString();
    }

    /** The document's start: the title and the inline style, nothing fetched. */
    private void head(String title) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>").append(STYLE).append("</style></head><body>\n");
    }

    private void foot() {
        html.append("<p class=\"muted\">made by onnx2trt; this page needs no network to open.</p>\n</body></html>\n");
    }

    private void ops(Map<String, Integer> before, Map<String, Integer> after) {
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        html.append("<h2 id=\"ops\">Ops before and after</h2>\n<table><tr><th>op</th><th>before</th><th>after</th></tr>\n");
        List<String> labels = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (String op : names) {
            int b = before.getOrDefault(op, 0);
            int a = after.getOrDefault(op, 0);
            html.append("<tr><td>").append(esc(op)).append("</td><td class=\"n\">").append(b).append("</td><td class=\"n\">")
                    .append(a).append("</td></tr>\n");
            labels.add(op);
            values.add(new double[] {b, a});
        }
        html.append("</table>\n");
        barChart("ops-chart", "node count per op (grey: before, blue: after)", labels, values);
    }

    private void stage(StageReport s) {
        if (s instanceof StageReport.Verified v) {
            html.append("<h2 id=\"verify\">Verification</h2>\n<p>").append(v.asked()).append(" samples against the input, ")
                    .append(v.passed() ? "<span class=\"ok\">equal within tolerance</span>" : "<span class=\"bad\">differs</span>")
                    .append("</p>\n");
            comparisons(v.equivalence().outputs());
        } else if (s instanceof StageReport.Calibrated c) {
            html.append("<h2 id=\"calibrate\">Calibration</h2>\n<p>").append(c.table().tensors().size())
                    .append(" activations measured on ").append(c.table().samples()).append(" samples (")
                    .append(esc(c.table().data())).append("), method ").append(esc(c.table().method())).append("</p>\n");
        } else if (s instanceof StageReport.Quantized q) {
            html.append("<h2 id=\"quantize\">QDQ placement</h2>\n<p>").append(q.pairs()).append(" QDQ pairs placed for ")
                    .append(esc(q.target())).append(" by ").append(q.applied()).append(" rule applications</p>\n");
            if (!q.declined().isEmpty()) {
                html.append("<table><tr><th>left in float because</th><th>nodes</th></tr>\n");
                q.declined().forEach((reason, nodes) -> html.append("<tr><td>").append(esc(reason)).append("</td><td>")
                        .append(esc(String.join(", ", nodes))).append("</td></tr>\n"));
                html.append("</table>\n");
            }
            if (!q.ortKernels().isEmpty()) {
                html.append("<p>onnxruntime (CPU) runs: ").append(esc(q.ortKernels().toString())).append("</p>\n");
            }
        } else if (s instanceof StageReport.Evaluated e) {
            evaluated(e);
        } else if (s instanceof StageReport.Float16 f) {
            html.append("<h2 id=\"fp16\">FP16</h2>\n<p>").append(f.conversion().float16Nodes()).append(" nodes in float16, ")
                    .append(f.conversion().initializersConverted()).append(" weights converted, ").append(f.conversion().casts())
                    .append(" casts; kept float32: ").append(esc(f.conversion().keptFloat32().toString()))
                    .append("; bound ").append(fmt(f.minSnrDb())).append(" dB</p>\n");
            comparisons(f.outputs());
        } else if (s instanceof StageReport.BiasCorrected b) {
            html.append("<h2 id=\"bias\">Bias correction</h2>\n<p>analytic: ").append(b.analytic()).append(" layers");
            if (b.empirical() != null) {
                html.append("; empirical: ").append(b.empirical().kept()).append(" of ").append(b.empirical().layers().size())
                        .append(" layers kept, output SNR ").append(fmt(b.empirical().snrBeforeDb())).append(" → ")
                        .append(fmt(b.empirical().snrAfterDb())).append(" dB on ").append(b.empirical().samples())
                        .append(" samples");
            }
            html.append("</p>\n");
        } else if (s instanceof StageReport.QdqAligned a) {
            html.append("<h2 id=\"align\">QDQ alignment</h2>\n<p>measured against the model before it on ").append(esc(a.data()))
                    .append("; bounds ").append(fmt(a.minSnrDb())).append(" dB, ").append(fmt(a.maxDrop()))
                    .append(" points of top-1</p>\n<table><tr><th>change</th><th>count</th><th>worst SNR dB</th><th>result</th></tr>\n");
            for (StageReport.QdqAligned.Part p : a.parts()) {
                html.append("<tr><td>").append(esc(p.name())).append("</td><td>").append(p.changes().size()).append("</td><td>")
                        .append(p.figures() == null ? "" : fmt(p.figures().worstSnrDb())).append("</td><td>")
                        .append(p.changes().isEmpty() ? "nothing qualified" : p.kept() ? "kept" : esc("undone: " + p.why()))
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        } else if (s instanceof StageReport.QdqImported q) {
            html.append("<h2 id=\"import\">QDQ import</h2>\n<p>").append(q.result().quantizers()).append(" quantizers: ")
                    .append(q.result().weightsPerChannel()).append(" weights per channel, ").append(q.result().weightsPerTensor())
                    .append(" per tensor, ").append(q.result().activations()).append(" activations; ")
                    .append(q.result().pairsCopied()).append(" pairs copied so that each reader has its own</p>\n");
        } else if (s instanceof StageReport.Linted l) {
            html.append("<h2 id=\"lint\">TensorRT ").append(esc(l.result().version().toString())).append(" lint</h2>\n<p>")
                    .append(l.result().errors()).append(" errors, ").append(l.result().warnings()).append(" warnings</p>\n");
            if (!l.result().findings().isEmpty()) {
                html.append("<table><tr><th>severity</th><th>node</th><th>rule</th><th>finding</th><th>fix</th></tr>\n");
                for (Finding f : l.result().findings()) {
                    html.append("<tr class=\"").append(f.severity().label()).append("\"><td>").append(f.severity().label())
                            .append("</td><td>").append(esc(f.node())).append("</td><td>").append(esc(f.rule())).append("</td><td>")
                            .append(esc(f.message())).append("</td><td>").append(esc(f.fix())).append("</td></tr>\n");
                }
                html.append("</table>\n");
            }
        }
    }

    private void evaluated(StageReport.Evaluated e) {
        html.append("<h2 id=\"evaluate\">Accuracy against the float model</h2>\n<p>").append(e.result().samples())
                .append(" samples; bounds: SNR ≥ ").append(fmt(e.minSnrDb())).append(" dB, top-1 drop ≤ ").append(fmt(e.maxDrop()))
                .append(" points; ").append(e.passed() ? "<span class=\"ok\">met</span>" : "<span class=\"bad\">" + esc(e.failure())
                        + "</span>").append("</p>\n");
        html.append("<table><tr><th>output</th><th>SNR dB</th><th>cosine</th><th>max abs</th><th>top-1</th></tr>\n");
        for (Evaluation.OutputFigures o : e.result().outputs()) {
            String top1 = o.agreement() == null ? "" : Double.isNaN(o.agreement().floatTop1())
                    ? fmt(100 * o.agreement().top1Agreement()) + "% agree"
                    : fmt(100 * o.agreement().floatTop1()) + "% float, " + fmt(100 * o.agreement().quantTop1()) + "% int8";
            html.append("<tr><td>").append(esc(o.name())).append("</td><td class=\"n\">").append(fmt(o.snrDb()))
                    .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%.6f", o.cosine()))
                    .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%.3g", o.maxAbs())).append("</td><td>")
                    .append(top1).append("</td></tr>\n");
        }
        html.append("</table>\n");
        FloatFallback.Result fb = e.fallback();
        if (fb != null && !fb.ranking().isEmpty()) {
            html.append("<h2 id=\"sensitivity\">Sensitivity: each layer group quantized alone</h2>\n");
            html.append("<table><tr><th>layer group</th><th>op</th><th>output SNR dB</th><th>top-1 points</th></tr>\n");
            List<String> labels = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            for (FloatFallback.Sensitivity s : fb.ranking()) {
                html.append("<tr><td>").append(esc(s.group().node())).append("</td><td>").append(esc(s.group().op()))
                        .append("</td><td class=\"n\">").append(fmt(s.snrDb())).append("</td><td class=\"n\">")
                        .append(fmt(-s.top1Drop())).append("</td></tr>\n");
                labels.add(s.group().node());
                values.add(new double[] {Math.max(0, Math.min(s.snrDb(), 120))});
            }
            html.append("</table>\n");
            barChart("sensitivity-chart", "output SNR (dB) with only this group quantized: shorter is more sensitive", labels, values);
            if (!fb.inFloat().isEmpty()) {
                html.append("<p>given back to float: ").append(esc(fb.inFloat().stream().map(FloatFallback.Group::node).toList()
                        .toString())).append("</p>\n");
            }
        }
    }

    private void comparisons(List<OutputComparison> outputs) {
        html.append("<table><tr><th>output</th><th>max abs</th><th>max rel</th><th>cosine</th><th>SNR dB</th></tr>\n");
        for (OutputComparison o : outputs) {
            html.append("<tr><td>").append(esc(o.name())).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.3g", o.maxAbs())).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.3g", o.maxRel())).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.6f", o.cosine())).append("</td><td class=\"n\">")
                    .append(OutputComparison.snrText(o.snrDb())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    /** A horizontal bar chart in SVG: one row per label, one bar per value (first grey, second blue). */
    private void barChart(String id, String title, List<String> labels, List<double[]> values) {
        double max = values.stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(1);
        max = max > 0 ? max : 1;
        int row = 18;
        int width = 760;
        int left = 260;
        int height = 24 + row * labels.size();
        html.append("<figure><svg id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" role=\"img\"><title>").append(esc(title)).append("</title>\n");
        for (int i = 0; i < labels.size(); i++) {
            int y = 16 + i * row;
            html.append("<text x=\"").append(left - 6).append("\" y=\"").append(y + 11).append("\" text-anchor=\"end\">")
                    .append(esc(shorten(labels.get(i)))).append("</text>");
            double[] v = values.get(i);
            int bar = (row - 4) / v.length;
            for (int k = 0; k < v.length; k++) {
                int w = (int) Math.round((width - left - 60) * v[k] / max);
                html.append("<rect x=\"").append(left).append("\" y=\"").append(y + k * bar).append("\" width=\"").append(Math.max(w, 1))
                        .append("\" height=\"").append(bar).append("\" fill=\"").append(v.length == 1 ? "#3a78c2" : PALETTE[k % PALETTE.length])
                        .append("\"><title>").append(esc(labels.get(i))).append(": ").append(fmt(v[k])).append("</title></rect>");
                html.append("<text x=\"").append(left + Math.max(w, 1) + 4).append("\" y=\"").append(y + k * bar + bar - 1)
                        .append("\">").append(fmt(v[k])).append("</text>");
            }
            html.append('\n');
        }
        html.append("</svg><figcaption class=\"muted\">").append(esc(title)).append("</figcaption></figure>\n");
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : "…" + s.substring(s.length() - 39);
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
