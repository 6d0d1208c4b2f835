package org.onnx2trt.quant.data;

/**
 * Calibration or evaluation data that cannot be used: the message names the file (and the sample
 * or array in it), what is wrong and the fix. A user error: the command ends with exit 2 and this
 * one line.
 */
public final class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }
}
