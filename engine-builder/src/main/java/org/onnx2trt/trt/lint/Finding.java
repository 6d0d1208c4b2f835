package org.onnx2trt.trt.lint;

/**
 * One thing TensorRT's ONNX parser or builder would reject (error) or run slowly or differently
 * (warning, info), at one node.
 *
 * @param severity error: the build fails; warning: it builds, but not as the model says or not fast;
 *                 info: something the build needs to be told (a shape range)
 * @param rule     the check's name, stable for scripts ({@code unsupported-op}, {@code qdq-zero-point}, ...)
 * @param node     the node's name (or the value's, for interface findings)
 * @param op       the node's op type, or "" for an interface finding
 * @param message  what is wrong
 * @param fix      what to do about it, often a command or recipe of ours; "" when there is none
 */
public record Finding(Severity severity, String rule, String node, String op, String message, String fix) {
    /** How bad a finding is; the lint exits 1 when any is an error. */
    public enum Severity {
        ERROR, WARNING, INFO;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
