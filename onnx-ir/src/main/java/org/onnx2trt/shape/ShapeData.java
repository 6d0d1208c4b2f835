package org.onnx2trt.shape;

import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Types.Dim;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * The ops that make and compute shapes, and the tracking of what small integer vectors hold (ONNX's
 * "data propagation"): {@code Shape(x)} of an x shaped [batch, 3, 224, 224] holds
 * [batch, 3, 224, 224]; a Gather of index 1 holds [3], and a Reshape that reads a Concat of such
 * pieces gets its output shape from them, with {@code batch} still a symbol. A vector whose elements
 * are all numbers can then be folded to a constant without running anything.
 */
final class ShapeData {
    private ShapeData() {}

    static List<TensorFacts> infer(NodeFacts n) {
        switch (n.op()) {
            case "Shape":
                return OpShapes.one(shape(n));
            case "Size": {
                List<Dim> s = n.shape(0);
                TensorFacts f = TensorFacts.of(DataType.INT64, List.of());
                return OpShapes.one(s == null ? f : f.withContents(List.of(DimMath.product(s))));
            }
            case "ConstantOfShape":
                return OpShapes.one(constantOfShape(n));
            case "Constant":
                return OpShapes.one(constant(n));
            case "Range":
                return OpShapes.one(range(n));
            case "EyeLike":
                return OpShapes.one(TensorFacts.of(n.has(0) && n.attr("dtype") != null
                        ? OpShapes.dataType(n.intAttr("dtype", 1)) : n.dtype(0), n.shape(0)));
            default:
                return null;
        }
    }

    private static TensorFacts shape(NodeFacts n) {
        List<Dim> s = n.shape(0);
        if (s == null) {
            return TensorFacts.of(DataType.INT64, List.of(Dim.UNKNOWN));
        }
        int rank = s.size();
        long start = n.intAttr("start", 0);
        long end = n.intAttr("end", rank);
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(start, Math.min(rank, end < 0 ? end + rank : end));
        List<Dim> part = s.subList((int) start, (int) end);
        return TensorFacts.of(DataType.INT64, List.of(Dim.of(part.size()))).withContents(part);
    }

    private static TensorFacts constantOfShape(NodeFacts n) {
        Attribute value = n.attr("value");
        DataType dtype = value == null ? DataType.FLOAT : OpShapes.dataType(value.asTensor().getDataType());
        List<Dim> dims = n.contents(0);
        if (dims == null) {
            List<Dim> s = n.shape(0);
            return TensorFacts.of(dtype, s != null && s.size() == 1 && s.get(0).isKnown()
                    ? OpShapes.unknownDims(s.get(0).value().intValue()) : null);
        }
        TensorFacts f = TensorFacts.of(dtype, dims);
        if (isTrackedInt(dtype) && dims.size() <= 1 && f.isStatic() && DimMath.product(dims).value() <= TensorFacts.MAX_CONTENTS) {
            long fill = Tensor.fromProto(value.asTensor()).view().getLong(0);
            long count = DimMath.product(dims).value();
            List<Dim> c = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                c.add(Dim.of(fill));
            }
            return f.withContents(c);
        }
        return f;
    }

    private static TensorFacts constant(NodeFacts n) {
        Attribute t = n.attr("value");
        if (t != null) {
            Tensor tensor = Tensor.fromProto(t.asTensor());
            TensorFacts f = TensorFacts.of(OpShapes.dataType(tensor.dataTypeCode()), DimMath.known(tensor.dims()));
            if (isTrackedInt(f.dtype()) && tensor.rank() <= 1 && tensor.elementCount() <= TensorFacts.MAX_CONTENTS) {
                return f.withContents(DimMath.known(tensor.view().toLongArray()));
            }
            return f;
        }
        if (n.attr("value_int") != null) {
            return TensorFacts.of(DataType.INT64, List.of()).withContents(List.of(Dim.of(n.intAttr("value_int", 0))));
        }
        if (n.attr("value_ints") != null) {
            long[] v = n.intsAttr("value_ints");
            return TensorFacts.of(DataType.INT64, List.of(Dim.of(v.length))).withContents(DimMath.known(v));
        }
        if (n.attr("value_float") != null) {
            return TensorFacts.of(DataType.FLOAT, List.of());
        }
        if (n.attr("value_floats") != null) {
            return TensorFacts.of(DataType.FLOAT, List.of(Dim.of(n.attr("value_floats").asFloats().size())));
        }
        return TensorFacts.UNKNOWN;
    }

    private static TensorFacts range(NodeFacts n) {
        double[] start = n.doubles(0);
        double[] limit = n.doubles(1);
        double[] delta = n.doubles(2);
        List<Dim> sv = n.contents(0);
        List<Dim> lv = n.contents(1);
        List<Dim> dv = n.contents(2);
        Double s = start != null ? start[0] : known(sv);
        Double l = limit != null ? limit[0] : known(lv);
        Double d = delta != null ? delta[0] : known(dv);
        if (s == null || l == null || d == null || d == 0) {
            return TensorFacts.of(n.dtype(0), List.of(Dim.UNKNOWN));
        }
        long count = Math.max(0, (long) Math.ceil((l - s) / d));
        return TensorFacts.of(n.dtype(0), List.of(Dim.of(count)));
    }

    private static Double known(List<Dim> c) {
        return c != null && c.size() == 1 && c.get(0).isKnown() ? (double) c.get(0).value() : null;
    }

    static boolean isTrackedInt(DataType t) {
        return t == DataType.INT64 || t == DataType.INT32;
    }

    /** Cast keeps a tracked vector's elements when it casts between integer types. */
    static TensorFacts cast(NodeFacts n, DataType to) {
        TensorFacts out = TensorFacts.of(to, n.shape(0));
        List<Dim> c = n.contents(0);
        if (c == null || !isTrackedInt(to) || !isTrackedInt(n.dtype(0))) {
            return out;
        }
        if (to == DataType.INT32) { // int64 to int32 wraps, as a C cast does
            c = c.stream().map(d -> d.isKnown() ? Dim.of((int) (long) d.value()) : d).toList();
        }
        return out.withContents(c);
    }

    /** Add, Sub, Mul, Div, Max, Min of tracked vectors (one of them may be a single element). */
    static TensorFacts arithmetic(NodeFacts n, TensorFacts out) {
        if (n.inputCount() != 2 || !isTrackedInt(out.dtype()) || !out.hasRank() || out.rank() > 1) {
            return out;
        }
        List<Dim> a = n.contents(0);
        List<Dim> b = n.contents(1);
        if (a == null || b == null || a.size() != b.size() && a.size() != 1 && b.size() != 1) {
            return out;
        }
        int size = Math.max(a.size(), b.size());
        List<Dim> c = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            c.add(apply(n.op(), a.get(a.size() == 1 ? 0 : i), b.get(b.size() == 1 ? 0 : i)));
        }
        return out.withContents(c);
    }

    private static Dim apply(String op, Dim x, Dim y) {
        switch (op) {
            case "Add":
                return DimMath.plus(x, y);
            case "Mul":
                return DimMath.times(x, y);
            case "Sub":
                if (y.isKnown() && y.value() == 0) {
                    return x;
                }
                return x.isKnown() && y.isKnown() ? Dim.of(x.value() - y.value()) : Dim.UNKNOWN;
            case "Div":
                if (DimMath.isOne(y)) {
                    return x;
                }
                // integer Div truncates toward zero, as Java's / does
                return x.isKnown() && y.isKnown() && y.value() != 0 ? Dim.of(x.value() / y.value()) : Dim.UNKNOWN;
            case "Max":
                return x.isKnown() && y.isKnown() ? Dim.of(Math.max(x.value(), y.value())) : Dim.UNKNOWN;
            case "Min":
                return x.isKnown() && y.isKnown() ? Dim.of(Math.min(x.value(), y.value())) : Dim.UNKNOWN;
            default:
                return Dim.UNKNOWN;
        }
    }
}
