package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.NoiseFloor;
import org.onnx2trt.verify.OutputComparison;

/** Prints equivalence figures as a table and writes them as JSON. */
final class EquivalenceReport {
    private EquivalenceReport() {}

    /**
     * The table, then the noise floor the check allowed for: its value per output, or why there is
     * none ({@code asked}: whether the check was to measure one).
     */
    static void printTable(List<OutputComparison> rows, NoiseFloor floor, boolean asked, PrintWriter out) {
        printTable(rows, out);
        if (!floor.byOutput().isEmpty()) {
            out.printf(Locale.ROOT, "  noise floor %s (the input run with onnxruntime's own fusions, inputs one ulp away);"
                    + " allowed %.0f× on top of atol/rtol%n", floor.describe(), NoiseFloor.FACTOR);
        } else if (!asked) {
            out.println("  no noise floor: judged by atol/rtol alone (--atol/--rtol given, or --no-noise-floor)");
        }
    }

    /** One row per output (or layer): max abs, max rel, cosine, SNR, mismatches, verdict. */
    static void printTable(List<OutputComparison> rows, PrintWriter out) {
        int width = Math.max(6, rows.stream().mapToInt(r -> r.name().length()).max().orElse(6));
        width = Math.min(width, 48);
        out.printf(Locale.ROOT, "  %-" + width + "s %10s %10s %10s %9s %11s  %s%n", "output", "max abs", "max rel",
                "cosine", "SNR dB", "mismatches", "");
        for (OutputComparison r : rows) {
            String name = r.name().length() > width ? "…" + r.name().substring(r.name().length() - width + 1) : r.name();
            if (r.problem() != null) {
                out.printf(Locale.ROOT, "  %-" + width + "s %s%n", name, "FAIL  " + r.problem());
                continue;
            }
            out.printf(Locale.ROOT, "  %-" + width + "s %10.3g %10.3g %10s %9s %11s  %s%n", name, r.maxAbs(),
                    r.maxRel(), OutputComparison.cosineText(r.cosine()), OutputComparison.snrText(r.snrDb()),
                    r.mismatches() + "/" + r.elements(), r.nothingFinite() ? "NOT VERIFIED" : r.passed() ? "ok" : "FAIL");
            if (r.nonFinite() > 0) {
                out.printf("  %-" + width + "s NaN or ∞ in both models at %d of %d elements: equal, but that proves nothing"
                        + " about them%s%n", "", r.nonFinite(), r.elements(), r.nothingFinite()
                        ? " (the reference itself computes no number here: compare --layers shows the first layer that does not)" : "");
            }
        }
    }

    static Map<String, Object> json(OutputComparison r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("passed", r.passed());
        if (r.problem() != null) {
            m.put("problem", r.problem());
            return m;
        }
        m.put("max_abs", finite(r.maxAbs()));
        m.put("max_rel", finite(r.maxRel()));
        m.put("cosine", finite(r.cosine()));
        m.put("snr_db", finite(r.snrDb()));
        m.put("mismatches", r.mismatches());
        m.put("nan_or_inf_in_both", r.nonFinite());
        m.put("elements", r.elements());
        m.put("atol", r.tolerance().atol());
        m.put("rtol", r.tolerance().rtol());
        if (r.worst() != null) {
            Map<String, Object> worst = new LinkedHashMap<>(); // Map.of's order changes from run to run
            worst.put("index", r.worst().index());
            worst.put("expected", finite(r.worst().expected()));
            worst.put("actual", finite(r.worst().actual()));
            m.put("worst", worst);
        }
        return m;
    }

    /** JSON has no infinities or NaN: they are written as strings. */
    private static Object finite(double v) {
        return Double.isFinite(v) ? v : Double.toString(v);
    }

    static Map<String, Object> json(Equivalence.Report r, Path reference, Path candidate, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", reference.toString());
        m.put("candidate", candidate.toString());
        m.put("equivalent", r.passed());
        m.put("samples", r.samples());
        m.put("seed", seed);
        m.put("reference_ms", r.referenceMs());
        m.put("candidate_ms", r.candidateMs());
        m.put("outputs", r.outputs().stream().map(EquivalenceReport::json).toList());
        m.put("noise_floor", r.floor().byOutput());
        m.put("noise_factor", r.floor().byOutput().isEmpty() ? 0 : NoiseFloor.FACTOR);
        return m;
    }
}
