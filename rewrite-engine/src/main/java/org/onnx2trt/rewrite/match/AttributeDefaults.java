package org.onnx2trt.rewrite.match;

/**
 * The default of an attribute a node leaves out, from the op schema; null when the schema gives
 * none (or does not know the op).
 */
@FunctionalInterface
public interface AttributeDefaults {
    Object defaultValue(String domain, String opType, long opset, String attribute);

    /** No defaults: an absent attribute binds null. */
    AttributeDefaults NONE = (domain, op, opset, attr) -> null;
}
