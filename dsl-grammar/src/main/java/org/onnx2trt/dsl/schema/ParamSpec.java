package org.onnx2trt.dsl.schema;

import java.util.Objects;

/**
 * One formal input or output of an operator revision.
 *
 * <p>{@code variadic} marks the last parameter when it stands for any number of values; a
 * variadic parameter that is also {@code optional} may receive none at all (Loop's
 * {@code v_initial} since opset 11), otherwise at least one.
 *
 * @param name     the name the spec gives the parameter, e.g. {@code "B"} for Conv's bias
 * @param optional whether a node may leave it out (an empty name, or omitted when trailing)
 * @param variadic whether it takes a variable number of values
 */
public record ParamSpec(String name, boolean optional, boolean variadic) {

    public ParamSpec {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a parameter needs a name");
        }
    }

    /** The smallest number of values this parameter takes: 0 or 1. */
    public int minArity() {
        return optional ? 0 : 1;
    }

    @Override
    public String toString() {
        return name + (variadic ? " variadic" : "") + (optional ? " optional" : "");
    }
}
