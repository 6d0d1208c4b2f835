package org.onnx2trt.cli;

/** The tool's exit codes, the same for every command. */
public final class ExitCode {
    /** Done; every check passed. */
    public static final int OK = 0;
    /** A check failed: models not equivalent, a round trip not lossless. */
    public static final int CHECK_FAILED = 1;
    /** Bad input or usage: unreadable or invalid model, wrong options. Nothing was written. */
    public static final int BAD_INPUT = 2;
    /** A bug in onnx2trt: please report it with the printed stack trace. */
    public static final int INTERNAL_ERROR = 3;
    /**
     * A check could not be made, and nothing was shown wrong: {@code rules check --verify} built no
     * instance of a rule, or none that passed its checks.
     */
    public static final int NOT_VERIFIED = 4;
    /**
     * TensorRT cannot run here (no GPU, driver, CUDA, cuDNN or TensorRT libraries): neither bad input
     * nor a bug; the one line printed says what is missing and how to get it.
     */
    public static final int TENSORRT_MISSING = 5;

    private ExitCode() {}
}
