package org.onnx2trt.shape;

/** A node whose inputs contradict its op's rules (dims that do not broadcast, an axis out of range). */
final class InferenceException extends RuntimeException {
    InferenceException(String message) {
        super(message, null, false, false);
    }
}
