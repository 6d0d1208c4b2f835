package org.onnx2trt.sample;

/** Input samples that cannot be used with a model: the message names the file, the input and the fix. */
public final class SampleException extends Exception {
    public SampleException(String message) {
        super(message);
    }
}
