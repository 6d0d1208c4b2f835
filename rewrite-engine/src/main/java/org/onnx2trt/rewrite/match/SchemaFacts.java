package org.onnx2trt.rewrite.match;

import java.util.Optional;
import org.onnx2trt.dsl.schema.AttributeKind;
import org.onnx2trt.ir.OpOperands;

/**
 * What the matcher and the rewrite ask of the op schema: the default of an attribute a node leaves
 * out, and which operands an opset carries as attributes rather than inputs.
 */
@FunctionalInterface
public interface SchemaFacts {
    /** The attribute's default, in the matcher's value types; null when the schema gives none (or does not know the op). */
    Object defaultValue(String domain, String opType, long opset, String attribute);

    /**
     * The attribute that carries input {@code index} at {@code opset} (Squeeze's axes before opset 13),
     * empty when the opset takes it as an input. See {@link OpOperands}.
     */
    default Optional<OpOperands.AttributeForm> attributeForm(String domain, String opType, long opset, int index) {
        return Optional.empty();
    }

    /** The declared type of an attribute at {@code opset}; empty when the schema does not know the op or the attribute. */
    default Optional<AttributeKind> attributeKind(String domain, String opType, long opset, String attribute) {
        return Optional.empty();
    }

    /** No defaults, every operand an input: an absent attribute binds null. */
    SchemaFacts NONE = (domain, op, opset, attr) -> null;
}
