package org.onnx2trt.dsl.schema;

/**
 * A schema file that does not follow the format documented at the top of
 * {@code onnx-ops.schema}. The message reads {@code SOURCE:LINE: message}, e.g.
 * {@code onnx-ops.schema:12: unknown attribute type `flaot`; did you mean `float`?}.
 */
public final class OpSchemaParseException extends RuntimeException {

    private final String sourceName;
    private final int line;
    private final String detail;

    OpSchemaParseException(String sourceName, int line, String detail) {
        super(sourceName + ":" + line + ": " + detail);
        this.sourceName = sourceName;
        this.line = line;
        this.detail = detail;
    }

    /** The name the schema was loaded under, e.g. {@code onnx-ops.schema}. */
    public String sourceName() {
        return sourceName;
    }

    /** The 1-based line the problem is on. */
    public int line() {
        return line;
    }

    /** The message without the {@code SOURCE:LINE: } prefix. */
    public String detail() {
        return detail;
    }
}
