package org.onnx2trt.pipeline;

/**
 * What the caller gave cannot be run: an input shape for an input the model lacks, a model the
 * runtime cannot verify, rules that cannot be had. The message names the input and the fix; the
 * command line prints it as {@code error: <message>} with exit code 2.
 */
public class PipelineInputException extends RuntimeException {
    public PipelineInputException(String message) {
        super(message);
    }
}
