package org.onnx2trt.rewrite;

/**
 * A match the rewrite cannot apply: the reason becomes a decline in the trace, and the graph is
 * left as it was.
 */
final class RewriteException extends Exception {
    RewriteException(String reason) {
        super(reason, null, false, false);
    }
}
