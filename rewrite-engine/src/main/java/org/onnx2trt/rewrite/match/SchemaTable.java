package org.onnx2trt.rewrite.match;

import java.util.List;
import java.util.Optional;
import org.onnx2trt.dsl.schema.AttributeKind;
import org.onnx2trt.dsl.schema.AttributeSpec;
import org.onnx2trt.dsl.schema.OpSchemas;
import org.onnx2trt.ir.OpOperands;

/**
 * {@link SchemaFacts} from an op schema table: attribute defaults in the matcher's value types (floats
 * as Double, lists of Long/Double/String), and operand forms through {@link OpOperands}.
 */
public final class SchemaTable implements SchemaFacts {
    private static final SchemaTable BUILTIN = new SchemaTable(OpSchemas.builtin(), OpOperands.builtin());

    private final OpSchemas schemas;
    private final OpOperands operands;

    public SchemaTable(OpSchemas schemas) {
        this(schemas, new OpOperands(schemas));
    }

    private SchemaTable(OpSchemas schemas, OpOperands operands) {
        this.schemas = schemas;
        this.operands = operands;
    }

    /** The built-in ONNX table. */
    public static SchemaTable builtin() {
        return BUILTIN;
    }

    @Override
    public Object defaultValue(String domain, String opType, long opset, String attribute) {
        // asked for every attribute of every node a pattern looks at: looked up once per op, opset and name
        Object v = defaults.computeIfAbsent(new DefaultKey(domain, opType, opset, attribute), k ->
                schemas.find(domain, opType, (int) Math.min(Integer.MAX_VALUE, opset))
                        .flatMap(s -> s.attribute(attribute))
                        .map(AttributeSpec::defaultValue)
                        .map(SchemaTable::widen)
                        .orElse(NO_DEFAULT));
        return v == NO_DEFAULT ? null : v;
    }

    private record DefaultKey(String domain, String opType, long opset, String attribute) {}

    private static final Object NO_DEFAULT = new Object();
    private final java.util.Map<DefaultKey, Object> defaults = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Optional<AttributeKind> attributeKind(String domain, String opType, long opset, String attribute) {
        return schemas.find(domain, opType, (int) Math.min(Integer.MAX_VALUE, opset))
                .flatMap(s -> s.attribute(attribute))
                .map(AttributeSpec::kind);
    }

    @Override
    public Optional<OpOperands.AttributeForm> attributeForm(String domain, String opType, long opset, int index) {
        return operands.attributeForm(domain, opType, opset, index);
    }

    private static Object widen(Object v) {
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(SchemaTable::widen).toList();
        }
        return v;
    }
}
