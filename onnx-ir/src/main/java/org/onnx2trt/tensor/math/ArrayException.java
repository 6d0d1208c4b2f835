package org.onnx2trt.tensor.math;

/**
 * An array operation that cannot be done: shapes that do not broadcast, an axis out of range, a
 * dtype the operation does not take. The message is lower-case and names no source position; the
 * rule interpreter adds the rule file's line:col when the operation came from a rule expression.
 */
public class ArrayException extends RuntimeException {
    public ArrayException(String message) {
        super(message);
    }

    public ArrayException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message, without any position. */
    public String reason() {
        return getMessage();
    }
}
