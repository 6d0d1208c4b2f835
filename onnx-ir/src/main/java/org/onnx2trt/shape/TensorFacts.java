package org.onnx2trt.shape;

import java.util.List;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Types.Dim;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.tensor.DataType;

/**
 * What inference knows of one tensor value: its element type (null: unknown), its shape (null:
 * unknown rank; a dim may be a number, a symbol such as {@code batch}, or unknown) and, for small
 * integer tensors of rank 0 or 1 such as the output of {@code Shape}, their elements (null: unknown),
 * each a {@link Dim} so that a batch size can travel through a shape computation as the symbol it is.
 */
public record TensorFacts(DataType dtype, List<Dim> shape, List<Dim> contents) {
    /** Nothing known. */
    public static final TensorFacts UNKNOWN = new TensorFacts(null, null, null);

    /** The largest integer tensor whose elements are tracked. */
    static final int MAX_CONTENTS = 64;

    public TensorFacts {
        shape = shape == null ? null : List.copyOf(shape);
        contents = contents == null ? null : List.copyOf(contents);
    }

    public static TensorFacts of(DataType dtype, List<Dim> shape) {
        return new TensorFacts(dtype, shape, null);
    }

    /** The facts a declared type gives (an input, an initializer, value_info). */
    public static TensorFacts of(TypeProto type) {
        if (type == null || !type.hasTensorType()) {
            return UNKNOWN;
        }
        DataType dtype = DataType.fromCode(Types.elemType(type)).filter(t -> t != DataType.UNDEFINED).orElse(null);
        return new TensorFacts(dtype, Types.shape(type), null);
    }

    public int rank() {
        return shape == null ? -1 : shape.size();
    }

    public boolean hasRank() {
        return shape != null;
    }

    public Dim dim(int axis) {
        return shape.get(axis);
    }

    /** Whether every dim is a number. */
    public boolean isStatic() {
        return shape != null && shape.stream().allMatch(Dim::isKnown);
    }

    /** The dims as numbers; only when {@link #isStatic()}. */
    public long[] staticShape() {
        return shape.stream().mapToLong(Dim::value).toArray();
    }

    /** Whether every element is known as a number. */
    public boolean hasKnownContents() {
        return contents != null && contents.stream().allMatch(Dim::isKnown);
    }

    public TensorFacts withContents(List<Dim> elements) {
        return new TensorFacts(dtype, shape, elements);
    }

    /** The type to declare in value_info; null when nothing is known. */
    public TypeProto toType() {
        if (dtype == null && shape == null) {
            return null;
        }
        DataType t = dtype == null ? DataType.UNDEFINED : dtype;
        if (shape == null) {
            return Types.tensor(t);
        }
        return Types.tensor(t, shape.stream().map(d -> d.isKnown() ? (Object) d.value() : d.symbol()).toList());
    }

    @Override
    public String toString() {
        TypeProto t = toType();
        return (t == null ? "?" : Types.describe(t)) + (contents == null ? "" : " = " + contents);
    }
}
