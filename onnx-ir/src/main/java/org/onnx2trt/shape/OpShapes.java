package org.onnx2trt.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.onnx2trt.ir.Types.Dim;
import org.onnx2trt.tensor.DataType;

/**
 * The inference rule of each supported op: from a node's input facts to its outputs' facts. The op
 * families live in {@link SpatialShapes} (conv, pooling, resize), {@link LayoutShapes} (reshape,
 * transpose, concat, slice, gather, ...) and {@link ShapeData} (ops that compute shapes); this
 * class dispatches and holds the elementwise, broadcasting and reducing ops.
 *
 * <p>A rule returns null for an op it does not know; its outputs stay unknown.
 */
final class OpShapes {
    private OpShapes() {}

    /** Ops whose output 0 has input 0's type and shape. */
    static final Set<String> SAME_AS_INPUT = Set.of("Relu", "LeakyRelu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt",
            "Neg", "Abs", "Reciprocal", "Floor", "Ceil", "Round", "Erf", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan",
            "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Elu", "Selu", "Celu", "HardSigmoid", "HardSwish", "Softplus",
            "Softsign", "Clip", "Identity", "Softmax", "LogSoftmax", "Hardmax", "Sign", "Mish", "Gelu",
            "BatchNormalization", "InstanceNormalization", "LRN", "GroupNormalization", "Trilu", "CumSum",
            "ScatterND", "ScatterElements", "Scatter", "Shrink", "ThresholdedRelu", "MeanVarianceNormalization",
            "Not", "BitwiseNot", "ReverseSequence");

    static final Set<String> BROADCAST_SAME_TYPE = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Mod", "BitShift",
            "PRelu", "Max", "Min", "Sum", "Mean", "BitwiseAnd", "BitwiseOr", "BitwiseXor");

    static final Set<String> BROADCAST_BOOL = Set.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
            "And", "Or", "Xor");

    static final Set<String> REDUCE = Set.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd",
            "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");

    /** The outputs' facts, or null when the op has no rule here. */
    static List<TensorFacts> infer(NodeFacts n) {
        String op = n.op();
        if (SAME_AS_INPUT.contains(op)) {
            TensorFacts x = n.in(0);
            return List.of(op.equals("Identity") ? x : TensorFacts.of(x.dtype(), x.shape()));
        }
        if (BROADCAST_SAME_TYPE.contains(op)) {
            return one(ShapeData.arithmetic(n, TensorFacts.of(n.dtype(0), broadcastInputs(n, 0))));
        }
        if (BROADCAST_BOOL.contains(op)) {
            return one(TensorFacts.of(DataType.BOOL, broadcastInputs(n, 0)));
        }
        if (REDUCE.contains(op)) {
            return one(reduce(n));
        }
        switch (op) {
            case "Where":
                return one(TensorFacts.of(n.dtype(1), broadcastInputs(n, 0)));
            case "RandomNormalLike", "RandomUniformLike", "Bernoulli":
                return one(TensorFacts.of(n.attr("dtype") != null ? dataType(n.intAttr("dtype", 1)) : n.dtype(0), n.shape(0)));
            case "IsNaN", "IsInf":
                return one(TensorFacts.of(DataType.BOOL, n.shape(0)));
            case "Cast":
                return one(ShapeData.cast(n, dataType(n.intAttr("to", 0))));
            case "CastLike":
                return one(ShapeData.cast(n, n.dtype(1)));
            case "Dropout":
                return List.of(TensorFacts.of(n.dtype(0), n.shape(0)), TensorFacts.of(DataType.BOOL, n.shape(0)));
            case "LayerNormalization":
                return layerNorm(n);
            case "DequantizeLinear":
                return one(TensorFacts.of(n.has(1) ? n.dtype(1) : DataType.FLOAT, n.shape(0)));
            case "QuantizeLinear":
                return one(TensorFacts.of(quantizedType(n), n.shape(0)));
            case "ArgMax", "ArgMin":
                return one(TensorFacts.of(DataType.INT64, reduced(n.shape(0), new long[] {n.intAttr("axis", 0)},
                        n.intAttr("keepdims", 1) == 1)));
            case "TopK":
                return LayoutShapes.topK(n);
            case "NonZero":
                return one(TensorFacts.of(DataType.INT64, n.in(0).hasRank()
                        ? List.of(Dim.of(n.in(0).rank()), Dim.UNKNOWN) : null));
            case "NonMaxSuppression":
                return one(TensorFacts.of(DataType.INT64, List.of(Dim.UNKNOWN, Dim.of(3))));
            case "Gemm":
                return one(gemm(n));
            case "MatMul":
                return one(matMul(n));
            case "Einsum":
                return one(TensorFacts.of(n.dtype(0), null));
            default:
                break;
        }
        List<TensorFacts> out = SpatialShapes.infer(n);
        if (out == null) {
            out = LayoutShapes.infer(n);
        }
        if (out == null) {
            out = ShapeData.infer(n);
        }
        return out;
    }

    static List<TensorFacts> one(TensorFacts f) {
        return List.of(f);
    }

    static DataType dataType(long code) {
        return DataType.fromCode((int) code).filter(t -> t != DataType.UNDEFINED).orElse(null);
    }

    /** The broadcast shape of all given inputs from {@code first} on. */
    static List<Dim> broadcastInputs(NodeFacts n, int first) {
        List<List<Dim>> shapes = new ArrayList<>();
        for (int i = first; i < n.inputCount(); i++) {
            if (n.has(i)) {
                shapes.add(n.shape(i));
            }
        }
        return DimMath.broadcast(shapes);
    }

    private static DataType quantizedType(NodeFacts n) {
        if (n.has(2)) {
            return n.dtype(2); // the zero point's type, unknown when it is
        }
        long out = n.intAttr("output_dtype", 0);
        return out != 0 ? dataType(out) : DataType.UINT8;
    }

    private static List<TensorFacts> layerNorm(NodeFacts n) {
        TensorFacts x = n.in(0);
        DataType stash = n.intAttr("stash_type", 1) == 1 ? DataType.FLOAT : dataType(n.intAttr("stash_type", 1));
        if (!x.hasRank()) {
            return List.of(TensorFacts.of(x.dtype(), null), TensorFacts.of(stash, null), TensorFacts.of(stash, null));
        }
        int axis = DimMath.axis(n.intAttr("axis", -1), x.rank(), "LayerNormalization axis");
        List<Dim> stats = new ArrayList<>(x.shape());
        for (int i = axis; i < stats.size(); i++) {
            stats.set(i, Dim.of(1));
        }
        return List.of(TensorFacts.of(x.dtype(), x.shape()), TensorFacts.of(stash, stats), TensorFacts.of(stash, stats));
    }

    private static TensorFacts reduce(NodeFacts n) {
        TensorFacts x = n.in(0);
        boolean keep = n.intAttr("keepdims", 1) == 1;
        long[] axes = n.operandInts("axes"); // an input from opset 13 (ReduceSum) or 18 (the others)
        if (axes == null && n.hasOperand("axes")) {
            return TensorFacts.of(x.dtype(), keep && x.hasRank() ? unknownDims(x.rank()) : null);
        }
        if (axes == null || axes.length == 0) {
            if (n.intAttr("noop_with_empty_axes", 0) == 1) {
                return TensorFacts.of(x.dtype(), x.shape());
            }
            if (!x.hasRank()) {
                return TensorFacts.of(x.dtype(), null);
            }
            axes = new long[x.rank()];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
        }
        return TensorFacts.of(x.dtype(), reduced(x.shape(), axes, keep));
    }

    /** A shape with {@code axes} reduced: set to 1, or dropped. */
    static List<Dim> reduced(List<Dim> shape, long[] axes, boolean keep) {
        if (shape == null) {
            return null;
        }
        boolean[] hit = new boolean[shape.size()];
        for (long a : axes) {
            hit[DimMath.axis(a, shape.size(), "reduced axis")] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < shape.size(); i++) {
            if (!hit[i]) {
                out.add(shape.get(i));
            } else if (keep) {
                out.add(Dim.of(1));
            }
        }
        return out;
    }

    static List<Dim> unknownDims(int rank) {
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            out.add(Dim.UNKNOWN);
        }
        return out;
    }

    private static TensorFacts gemm(NodeFacts n) {
        List<Dim> a = n.shape(0);
        List<Dim> b = n.shape(1);
        Dim m = Dim.UNKNOWN;
        Dim k = Dim.UNKNOWN;
        if (a != null) {
            check(a.size() == 2, "Gemm's A has rank " + a.size() + ", not 2");
            m = a.get(n.intAttr("transA", 0) == 1 ? 1 : 0);
        }
        if (b != null) {
            check(b.size() == 2, "Gemm's B has rank " + b.size() + ", not 2");
            k = b.get(n.intAttr("transB", 0) == 1 ? 0 : 1);
        }
        return TensorFacts.of(n.dtype(0), List.of(m, k));
    }

    /** numpy matmul: 1-D operands are promoted and the added dim dropped again; batch dims broadcast. */
    private static TensorFacts matMul(NodeFacts n) {
        List<Dim> a = n.shape(0);
        List<Dim> b = n.shape(1);
        if (a == null || b == null) {
            return TensorFacts.of(n.dtype(0), null);
        }
        check(!a.isEmpty() && !b.isEmpty(), "MatMul of a scalar");
        List<Dim> out = new ArrayList<>();
        if (a.size() > 1 || b.size() > 1) {
            List<Dim> batchA = a.size() > 2 ? a.subList(0, a.size() - 2) : List.of();
            List<Dim> batchB = b.size() > 2 ? b.subList(0, b.size() - 2) : List.of();
            out.addAll(DimMath.broadcast(List.of(batchA, batchB)));
        }
        if (a.size() > 1) {
            out.add(a.get(a.size() - 2));
        }
        if (b.size() > 1) {
            out.add(b.get(b.size() - 1));
        }
        return TensorFacts.of(n.dtype(0), out);
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new InferenceException(message);
        }
    }
}
