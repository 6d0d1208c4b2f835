package org.onnx2trt.exec;

/** onnxruntime refused to load or run a model; the message is onnxruntime's, prefixed with the step. */
public final class RunException extends RuntimeException {
    public RunException(String message, Throwable cause) {
        super(message, cause);
    }
}
