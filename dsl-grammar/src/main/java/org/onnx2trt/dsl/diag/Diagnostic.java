package org.onnx2trt.dsl.diag;

import org.onnx2trt.dsl.ast.Span;

/**
 * One message about a rule file, printed as
 * {@code fuse.rw:14:9: error: unknown input `bais` of `Conv` (did you mean `B`?)}.
 *
 * @param severity errors stop the file from loading; warnings do not
 * @param span where it applies
 * @param message lower-case text, names in backticks, the fix at the end where there is one
 */
public record Diagnostic(Severity severity, Span span, String message) {

    public enum Severity { ERROR, WARNING }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return span + ": " + (isError() ? "error" : "warning") + ": " + message;
    }
}
