package org.onnx2trt.io;

import java.nio.file.Path;

/**
 * A model file that cannot be read or written as asked: a user's mistake or a damaged file, not a
 * bug. The message names the file, says what is wrong and, where there is one, the fix; the
 * command line prints it without a stack trace and exits with code 2.
 */
public final class ModelFileException extends RuntimeException {
    private final Path file;
    private final String problem;

    public ModelFileException(Path file, String problem) {
        this(file, problem, null);
    }

    public ModelFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file concerned. */
    public Path file() {
        return file;
    }

    /** The message without the file name. */
    public String problem() {
        return problem;
    }
}
