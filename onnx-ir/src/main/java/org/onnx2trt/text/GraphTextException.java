package org.onnx2trt.text;

/**
 * A graph text that does not parse or does not make a valid graph. The message reads
 * {@code conv.txt:4:12: error: `w2` is not defined}, followed by a {@code note:} line when a second
 * place explains the first (where a duplicate name was defined before).
 */
public final class GraphTextException extends RuntimeException {
    private final String sourceName;
    private final int line;
    private final int column;
    private final String reason;

    GraphTextException(String sourceName, int line, int column, String reason, String note) {
        super(sourceName + ":" + line + ":" + column + ": error: " + reason + (note == null ? "" : "\n" + note));
        this.sourceName = sourceName;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** The source name given to {@link GraphText#parse}. */
    public String sourceName() {
        return sourceName;
    }

    /** The 1-based line of the error. */
    public int line() {
        return line;
    }

    /** The 1-based column of the error. */
    public int column() {
        return column;
    }

    /** The message without the location and without notes. */
    public String reason() {
        return reason;
    }
}
