package org.onnx2trt.cli;

/**
 * A mistake in what the user gave (files, options): printed as {@code error: <message>} without a
 * stack trace, exit code {@link ExitCode#BAD_INPUT}.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}
