package org.onnx2trt.verify.property;

/**
 * This draw cannot make a valid instance (two branches of the pattern got shapes that do not meet,
 * a required kernel does not fit): the try is skipped, not failed.
 */
final class UnsupportedInstance extends RuntimeException {
    UnsupportedInstance(String message) {
        super(message);
    }
}
