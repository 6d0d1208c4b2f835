package org.onnx2trt.dsl.schema;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The type of an ONNX attribute, as {@code AttributeProto.AttributeType} names it, with the
 * lower-case spelling the schema file uses ({@code float}, {@code ints}, {@code graph}, ...).
 */
public enum AttributeKind {
    FLOAT("float", false),
    INT("int", false),
    STRING("string", false),
    TENSOR("tensor", false),
    GRAPH("graph", false),
    SPARSE_TENSOR("sparse_tensor", false),
    TYPE_PROTO("type_proto", false),
    FLOATS("floats", true),
    INTS("ints", true),
    STRINGS("strings", true),
    TENSORS("tensors", true),
    GRAPHS("graphs", true),
    SPARSE_TENSORS("sparse_tensors", true),
    TYPE_PROTOS("type_protos", true);

    private final String spelling;
    private final boolean list;

    AttributeKind(String spelling, boolean list) {
        this.spelling = spelling;
        this.list = list;
    }

    /** The name used in schema files, e.g. {@code "ints"}. */
    public String spelling() {
        return spelling;
    }

    /** True for the repeated kinds ({@code floats}, {@code ints}, ...). */
    public boolean isList() {
        return list;
    }

    /**
     * True when a default of this kind can be written in a schema file: numbers, strings and
     * lists of them. Tensors, graphs and type protos never carry a default in the ONNX spec.
     */
    public boolean allowsDefault() {
        return switch (this) {
            case FLOAT, INT, STRING, FLOATS, INTS, STRINGS -> true;
            default -> false;
        };
    }

    /** The kind spelled {@code spelling} in a schema file, if there is one. */
    public static Optional<AttributeKind> fromSpelling(String spelling) {
        return Arrays.stream(values()).filter(k -> k.spelling.equals(spelling)).findFirst();
    }

    /** Every spelling, in declaration order; used in error messages. */
    public static List<String> spellings() {
        return Arrays.stream(values()).map(AttributeKind::spelling).toList();
    }

    @Override
    public String toString() {
        return spelling;
    }
}
