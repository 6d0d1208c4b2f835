package org.onnx2trt.rewrite.match;

import java.util.List;
import org.onnx2trt.dsl.schema.AttributeSpec;
import org.onnx2trt.dsl.schema.OpSchemas;

/**
 * Attribute defaults from the op schema table, in the matcher's value types (floats as Double,
 * lists of Long/Double/String).
 */
public final class SchemaDefaults implements AttributeDefaults {
    private final OpSchemas schemas;

    public SchemaDefaults(OpSchemas schemas) {
        this.schemas = schemas;
    }

    /** Defaults of the built-in ONNX table. */
    public static SchemaDefaults builtin() {
        return new SchemaDefaults(OpSchemas.builtin());
    }

    @Override
    public Object defaultValue(String domain, String opType, long opset, String attribute) {
        return schemas.find(domain, opType, (int) Math.min(Integer.MAX_VALUE, opset))
                .flatMap(s -> s.attribute(attribute))
                .map(AttributeSpec::defaultValue)
                .map(SchemaDefaults::widen)
                .orElse(null);
    }

    private static Object widen(Object v) {
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(SchemaDefaults::widen).toList();
        }
        return v;
    }
}
