package org.onnx2trt.sample.npy;

/** A file that is not a numpy array this tool can read: the message names the file and the fix. */
public final class NpyException extends Exception {
    public NpyException(String message) {
        super(message);
    }
}
