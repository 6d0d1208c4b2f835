package org.onnx2trt.dsl.schema;

import java.util.List;
import java.util.Objects;

/**
 * One attribute of an operator revision.
 *
 * <p>The default value, when there is one, is typed by {@link #kind()}: {@link Long} for
 * {@code int}, {@link Float} for {@code float}, {@link String} for {@code string}, and an
 * unmodifiable {@code List} of those for {@code ints}, {@code floats} and {@code strings}. An
 * attribute is either {@code required}, or has a default, or is optional without one (the
 * operator then behaves as its description says when it is absent).
 *
 * @param name         the attribute name, e.g. {@code "epsilon"}
 * @param kind         its type
 * @param defaultValue the typed default, or {@code null} when there is none
 * @param required     whether every node must set it
 */
public record AttributeSpec(String name, AttributeKind kind, Object defaultValue, boolean required) {

    public AttributeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("attribute `" + name + "` is required and cannot have a default");
        }
        if (defaultValue != null) {
            checkType(name, kind, defaultValue);
            if (defaultValue instanceof List<?> list) {
                defaultValue = List.copyOf(list);
            }
        }
    }

    /** Whether the spec gives this attribute a default value. */
    public boolean hasDefault() {
        return defaultValue != null;
    }

    private static void checkType(String name, AttributeKind kind, Object value) {
        boolean ok = switch (kind) {
            case INT -> value instanceof Long;
            case FLOAT -> value instanceof Float;
            case STRING -> value instanceof String;
            case INTS -> isListOf(value, Long.class);
            case FLOATS -> isListOf(value, Float.class);
            case STRINGS -> isListOf(value, String.class);
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException("default of attribute `" + name + "` (" + value
                    + ") does not fit its type " + kind);
        }
    }

    private static boolean isListOf(Object value, Class<?> element) {
        return value instanceof List<?> list && list.stream().allMatch(element::isInstance);
    }

    @Override
    public String toString() {
        String tail = required ? "required" : defaultValue == null ? "optional" : "= " + defaultValue;
        return name + " " + kind + " " + tail;
    }
}
