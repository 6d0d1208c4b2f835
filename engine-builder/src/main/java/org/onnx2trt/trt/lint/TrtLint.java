package org.onnx2trt.trt.lint;

import java.util.Comparator;
import java.util.List;
import org.onnx2trt.ir.Model;
import org.onnx2trt.shape.ShapeInference;

/**
 * What TensorRT's ONNX parser would reject or run slowly, found without a GPU: the op table of its
 * parser ({@link ParserOps}), the opsets and types it reads, the restrictions its op checkers
 * apply, QDQ as explicit quantization needs it, and the shapes the build must be told.
 */
public final class TrtLint {
    /** The findings, errors first. */
    public record Result(TrtVersion version, List<Finding> findings) {
        public long errors() {
            return findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
        }

        public long warnings() {
            return findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
        }
    }

    private TrtLint() {}

    /** Lints {@code model} (types are inferred on it first; nothing else changes). */
    public static Result lint(Model model, TrtVersion version) {
        ShapeInference.annotate(model);
        LintContext c = new LintContext(model, version);
        OpSupportChecks.check(c);
        QdqChecks.check(c);
        OpRestrictionChecks.check(c);
        ShapeChecks.check(c);
        List<Finding> sorted = c.findings.stream().sorted(Comparator.comparing(Finding::severity)).toList();
        return new Result(version, sorted);
    }
}
