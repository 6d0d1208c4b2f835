package org.onnx2trt.cli;

import java.io.PrintWriter;
import org.onnx2trt.trt.lint.Finding;
import org.onnx2trt.trt.lint.TrtLint;

/** The lint's findings as text: one line each (severity, node, rule, message), the fix under it, a count. */
final class LintReport {
    private LintReport() {}

    static void print(String subject, TrtLint.Result r, PrintWriter out) {
        for (Finding f : r.findings()) {
            out.printf("%-7s %s%s [%s]: %s%n", f.severity().label(), f.node(), f.op().isEmpty() ? "" : " (" + f.op() + ")",
                    f.rule(), f.message());
            if (!f.fix().isEmpty()) {
                out.printf("        fix: %s%n", f.fix());
            }
        }
        long notes = r.findings().size() - r.errors() - r.warnings();
        out.printf("lint: %s for TensorRT %s (parser opsets %d to %d): %d error%s, %d warning%s, %d note%s%n", subject,
                r.version(), r.version().minOpset(), r.version().maxOpset(), r.errors(), r.errors() == 1 ? "" : "s",
                r.warnings(), r.warnings() == 1 ? "" : "s", notes, notes == 1 ? "" : "s");
    }
}
