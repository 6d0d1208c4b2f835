package org.onnx2trt.dsl.ast;

/**
 * One input position of an op pattern.
 *
 * @param kind how the input is matched
 * @param name the variable it binds ({@code null} for a wildcard)
 * @param input the schema name of the input when written {@code B: b?}, else null (positional)
 */
public record PatternArg(Kind kind, String name, String input, Span span) {

    /** A positional argument. */
    public PatternArg(Kind kind, String name, Span span) {
        this(kind, name, null, span);
    }

    public enum Kind {
        /** {@code x}: the input must be present; binds it (or must equal it, when bound before). */
        CAPTURE,
        /** {@code b?}: the input may be absent; binds null then. */
        OPTIONAL,
        /** {@code xs...}: all remaining inputs (Concat, Sum). */
        VARIADIC,
        /** {@code _}: any input, not bound. */
        WILDCARD,
        /** A position left open between named inputs: present or absent, not bound. */
        ANY
    }
}
