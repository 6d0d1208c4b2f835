package org.onnx2trt.cli;

/** A check the command ran did not pass: printed as {@code check failed: <message>}, exit code 1. */
public final class CheckFailed extends RuntimeException {
    public CheckFailed(String message) {
        super(message);
    }
}
