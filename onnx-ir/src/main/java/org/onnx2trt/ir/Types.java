package org.onnx2trt.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.onnx2trt.proto.Onnx.TensorShapeProto;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/** Reading and making {@code TypeProto}s: element types, shapes with symbolic dims, display text. */
public final class Types {
    private Types() {}

    /** One dimension of a shape: a number, a symbol, or unknown (both null). */
    public record Dim(Long value, String symbol) {
        public static Dim of(long value) {
            return new Dim(value, null);
        }

        public static Dim symbol(String symbol) {
            return new Dim(null, symbol);
        }

        public static final Dim UNKNOWN = new Dim(null, null);

        public boolean isKnown() {
            return value != null;
        }

        @Override
        public String toString() {
            return value != null ? value.toString() : symbol != null ? symbol : "?";
        }
    }

    /** A tensor type of the given element type and static shape. */
    public static TypeProto tensor(DataType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDimBuilder().setDimValue(d);
        }
        return TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.code()).setShape(shape))
                .build();
    }

    /** A tensor type whose dims are numbers ({@code Long}/{@code Integer}), symbols ({@code String}) or null. */
    public static TypeProto tensor(DataType type, List<?> dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder b = shape.addDimBuilder();
            if (d instanceof Number n) {
                b.setDimValue(n.longValue());
            } else if (d instanceof String s) {
                b.setDimParam(s);
            }
        }
        return TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.code()).setShape(shape))
                .build();
    }

    /** A tensor type of unknown rank. */
    public static TypeProto tensor(DataType type) {
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.code())).build();
    }

    /** The tensor type an initializer has. */
    public static TypeProto ofTensor(Tensor t) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : t.dims()) {
            shape.addDimBuilder().setDimValue(d);
        }
        return TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(t.dataTypeCode()).setShape(shape))
                .build();
    }

    /** The element type code of a tensor or sparse tensor type; 0 when not known. */
    public static int elemType(TypeProto type) {
        if (type == null) {
            return 0;
        }
        if (type.hasTensorType()) {
            return type.getTensorType().getElemType();
        }
        if (type.hasSparseTensorType()) {
            return type.getSparseTensorType().getElemType();
        }
        return 0;
    }

    /** The shape, or null when the rank is unknown or the type is not a tensor. */
    public static List<Dim> shape(TypeProto type) {
        TensorShapeProto shape;
        if (type != null && type.hasTensorType() && type.getTensorType().hasShape()) {
            shape = type.getTensorType().getShape();
        } else if (type != null && type.hasSparseTensorType() && type.getSparseTensorType().hasShape()) {
            shape = type.getSparseTensorType().getShape();
        } else {
            return null;
        }
        List<Dim> dims = new ArrayList<>(shape.getDimCount());
        for (TensorShapeProto.Dimension d : shape.getDimList()) {
            // an empty dim_param names nothing: two of them are not the same size
            dims.add(d.hasDimValue() ? Dim.of(d.getDimValue())
                    : d.hasDimParam() && !d.getDimParam().isEmpty() ? Dim.symbol(d.getDimParam()) : Dim.UNKNOWN);
        }
        return dims;
    }

    /** Display text such as {@code float32[batch,3,224,224]}, {@code seq(float32[?])} or {@code ?}. */
    public static String describe(TypeProto type) {
        if (type == null) {
            return "?";
        }
        switch (type.getValueCase()) {
            case TENSOR_TYPE, SPARSE_TENSOR_TYPE -> {
                String elem = DataType.nameOf(elemType(type));
                List<Dim> dims = shape(type);
                String text = elem + (dims == null ? "[...]"
                        : dims.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]")));
                return type.hasSparseTensorType() ? "sparse(" + text + ")" : text;
            }
            case SEQUENCE_TYPE -> {
                return "seq(" + describe(type.getSequenceType().getElemType()) + ")";
            }
            case OPTIONAL_TYPE -> {
                return "optional(" + describe(type.getOptionalType().getElemType()) + ")";
            }
            case MAP_TYPE -> {
                return "map(" + DataType.nameOf(type.getMapType().getKeyType()) + ","
                        + describe(type.getMapType().getValueType()) + ")";
            }
            case OPAQUE_TYPE -> {
                return "opaque(" + type.getOpaqueType().getDomain() + "." + type.getOpaqueType().getName() + ")";
            }
            default -> {
                return "?";
            }
        }
    }
}
