package org.onnx2trt.rewrite.eval;

import org.onnx2trt.dsl.ast.Span;

/**
 * A rule expression could not be evaluated: shapes that do not broadcast, a value that is not a
 * constant, an unknown function. {@link #reason()} is the lower-case message; {@link #span()} is
 * where in the rule file, or null while the exception is still inside the array code (the
 * {@link Evaluator} fills it in with the innermost expression that failed).
 */
public final class EvalException extends RuntimeException {
    private final String reason;
    private final Span span;

    public EvalException(String reason) {
        this(reason, null, null);
    }

    public EvalException(String reason, Span span) {
        this(reason, span, null);
    }

    public EvalException(String reason, Span span, Throwable cause) {
        super(span == null ? reason : span + ": error: " + reason, cause);
        this.reason = reason;
        this.span = span;
    }

    /** The message without the location. */
    public String reason() {
        return reason;
    }

    /** Where the failing expression is, or null when not yet known. */
    public Span span() {
        return span;
    }

    /** This error placed at {@code at}; itself when it already has a place. */
    EvalException at(Span at) {
        return span != null || at == null ? this : new EvalException(reason, at, getCause());
    }
}
