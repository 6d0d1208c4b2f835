package org.onnx2trt.verify.property;

/** A pattern the instance generator cannot build: an op it has no knowledge of, or a variadic input. */
public final class UnsupportedPattern extends RuntimeException {
    public UnsupportedPattern(String message) {
        super(message);
    }
}
