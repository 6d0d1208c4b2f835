package org.onnx2trt.ir;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.onnx2trt.dsl.schema.AttributeKind;
import org.onnx2trt.dsl.schema.OpSchema;
import org.onnx2trt.dsl.schema.OpSchemas;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.math.NdArray;

/**
 * An op's operands by schema name, whatever form the node's opset gives them. Several operands
 * moved from attributes to inputs over the opsets (Pad's pads and value at 11, Slice's bounds at 10,
 * Squeeze/Unsqueeze/ReduceSum axes at 13, the other reductions' axes at 18, Split's split at 13,
 * Clip's min/max at 11, TopK's k at 10, Reshape's shape at 5, Upsample's scales at 9, Dropout's
 * ratio at 12). Code that reads or writes such an operand asks here instead of testing opsets.
 *
 * <p>The facts come from the op schema table: input {@code i} of an op is carried by an attribute
 * at opset {@code v} when the revision in force at {@code v} has fewer than {@code i + 1} inputs and
 * has an attribute of the name the newest revision gives input {@code i} (some operands were renamed
 * when they moved: Pad's {@code value} became {@code constant_value}, TopK's {@code k} became
 * {@code K}; Pad-1 called its pads {@code paddings}).
 *
 * <p>As tensors, list attributes are 1-D ({@code ints} int64, {@code floats} float32), a
 * {@code float} is a 0-d float32 (Pad's value, Clip's bounds, Dropout's ratio are scalars) and an
 * {@code int} a 1-element int64 (TopK's K is a 1-D tensor of one element).
 */
public final class OpOperands {
    /** Operands renamed when they moved to an input: op/input name → the attribute's names, newest first. */
    private static final Map<String, List<String>> RENAMED = Map.of("Pad/constant_value", List.of("value"),
            "Pad/pads", List.of("pads", "paddings"), "TopK/K", List.of("k"));

    private static final OpOperands BUILTIN = new OpOperands(OpSchemas.builtin());

    /**
     * How one operand is written at one opset: as the attribute {@code attribute} of kind {@code kind}.
     *
     * @param operand   the operand's name as an input (the newest schema's name)
     * @param attribute the attribute that carries it at this opset
     * @param kind      the attribute's type
     */
    public record AttributeForm(String operand, String attribute, AttributeKind kind) {}

    private final OpSchemas schemas;
    private final Map<String, Optional<AttributeForm>> cache = new ConcurrentHashMap<>();

    public OpOperands(OpSchemas schemas) {
        this.schemas = schemas;
    }

    /** The operands of the built-in ONNX schema table. */
    public static OpOperands builtin() {
        return BUILTIN;
    }

    /**
     * The attribute that carries input {@code index} of a default-domain {@code opType} at
     * {@code opset}; empty when that opset takes it as an input, or has no such operand at all.
     */
    public Optional<AttributeForm> attributeForm(String domain, String opType, long opset, int index) {
        if (!OpSchemas.normalizeDomain(domain).isEmpty()) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(opType + "/" + opset + "/" + index, key -> findAttributeForm(opType, opset, index));
    }

    /** {@link #attributeForm} for a node of a model whose default-domain opset is {@code opset}. */
    public Optional<AttributeForm> attributeForm(Node node, long opset, int index) {
        return attributeForm(node.domain(), node.opType(), opset, index);
    }

    private Optional<AttributeForm> findAttributeForm(String opType, long opset, int index) {
        Optional<OpSchema> inForce = schemas.find("", opType, (int) Math.min(Integer.MAX_VALUE, opset));
        if (inForce.isEmpty() || inForce.get().inputs().size() > index) {
            return Optional.empty();
        }
        List<OpSchema> revisions = schemas.all("", opType);
        for (int r = revisions.size() - 1; r >= 0; r--) {
            OpSchema newer = revisions.get(r);
            if (newer.inputs().size() > index) {
                String operand = newer.inputs().get(index).name();
                List<String> attributes = RENAMED.getOrDefault(opType + "/" + operand, List.of(operand));
                return inForce.get().attributes().stream()
                        .filter(a -> attributes.contains(a.name()))
                        .findFirst()
                        .map(a -> new AttributeForm(operand, a.name(), a.kind()));
            }
        }
        return Optional.empty();
    }

    /**
     * The index of the input the newest revision of {@code opType} calls {@code operand}, or -1.
     */
    public int inputIndex(String opType, String operand) {
        List<OpSchema> revisions = schemas.all("", opType);
        return revisions.isEmpty() ? -1 : revisions.get(revisions.size() - 1).inputIndex(operand);
    }

    /** Whether {@code opType} at {@code opset} takes {@code operand} as an input (not as an attribute, and it has one). */
    public boolean takesAsInput(String opType, long opset, String operand) {
        int index = inputIndex(opType, operand);
        return index >= 0 && attributeForm("", opType, opset, index).isEmpty();
    }

    /**
     * Reads operand {@code operand} of {@code node} in the form {@code opset} gives it: {@code fromAttribute}
     * of its attribute, or {@code fromInput} of its input index. Null when the op has no such operand or
     * the attribute is unset; {@code fromInput} decides what an absent input gives.
     */
    public <T> T read(Node node, long opset, String operand, Function<Attribute, T> fromAttribute, IntFunction<T> fromInput) {
        int index = inputIndex(node.opType(), operand);
        if (index < 0) {
            return null;
        }
        Optional<AttributeForm> form = attributeForm(node, opset, index);
        if (form.isPresent()) {
            Attribute a = node.attribute(form.get().attribute());
            return a == null ? null : fromAttribute.apply(a);
        }
        return fromInput.apply(index);
    }

    /**
     * The operand {@code operand} of {@code node} as a constant: from its attribute where the opset
     * carries it so, else from its input when that is an initializer. Null when it is absent (an
     * omitted optional input, an unset attribute) or computed at run time.
     */
    public Tensor constant(Node node, long opset, String operand) {
        return read(node, opset, operand, a -> toTensor(a, operand), index -> {
            Value v = index < node.inputCount() ? node.input(index) : null;
            return v != null && v.isConstant() ? v.initializer() : null;
        });
    }

    /** An attribute that carries an operand, as the tensor the input form takes (see the class comment). */
    public static Tensor toTensor(Attribute a, String name) {
        return switch (a.type()) {
            case INTS -> {
                long[] values = a.asInts().stream().mapToLong(Long::longValue).toArray();
                yield Tensor.ofLongs(name, new long[] {values.length}, values);
            }
            case INT -> Tensor.ofLongs(name, new long[] {1}, a.asInt());
            case FLOAT -> Tensor.ofFloats(name, new long[0], a.asFloat());
            case FLOATS -> {
                List<Float> fs = a.asFloats();
                float[] values = new float[fs.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = fs.get(i);
                }
                yield Tensor.ofFloats(name, new long[] {values.length}, values);
            }
            case TENSOR -> Tensor.fromProto(a.asTensor());
            default -> throw new IllegalArgumentException("attribute `" + a.name() + "` of type " + a.type()
                    + " carries no operand");
        };
    }

    /**
     * The attribute that carries an operand's value in {@code form}: the inverse of {@link #toTensor}.
     *
     * @throws IllegalArgumentException when the value does not fit the form (an {@code int} form
     *     given more than one element)
     */
    public static Attribute toAttribute(AttributeForm form, NdArray value) {
        String name = form.attribute();
        return switch (form.kind()) {
            case INTS -> Attribute.ofInts(name, value.toLongArray());
            case FLOATS -> {
                double[] ds = value.toDoubleArray();
                float[] fs = new float[ds.length];
                for (int i = 0; i < fs.length; i++) {
                    fs[i] = (float) ds[i];
                }
                yield Attribute.ofFloats(name, fs);
            }
            case INT, FLOAT -> {
                if (value.size() != 1) {
                    throw new IllegalArgumentException("`" + form.operand() + "` is the single-value attribute `" + name
                            + "` at this opset, and the value has " + value.size() + " elements");
                }
                yield form.kind() == AttributeKind.INT ? Attribute.ofInt(name, value.getLong(0))
                        : Attribute.ofFloat(name, (float) value.getDouble(0));
            }
            default -> throw new IllegalArgumentException("`" + form.operand() + "` is the " + form.kind().spelling()
                    + " attribute `" + name + "`, which holds no operand");
        };
    }
}
