package org.onnx2trt.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.OpOperands;
import org.onnx2trt.ir.TopologicalOrder;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;
import org.onnx2trt.tensor.math.ArrayMath;
import org.onnx2trt.tensor.math.DTypes;
import org.onnx2trt.tensor.math.NdArray;
import org.onnx2trt.tensor.math.ShapeOps;

/**
 * Constant folding of cheap ops in Java, before {@link ConstantFolding} hands what is left to
 * onnxruntime: a session costs tens of milliseconds, more than the whole rest of a simplify, and
 * exports are full of constant Identity, Transpose, Unsqueeze and Concat nodes that need none.
 *
 * <p>Only ops whose result here is bit for bit what onnxruntime computes are evaluated: moving and
 * selecting elements (Identity, Transpose, Reshape, Flatten, Squeeze, Unsqueeze, Concat, Gather,
 * Slice, Expand), Add/Sub/Mul of any type and Div/Sqrt/Reciprocal/Neg of floats (IEEE results,
 * computed in double and rounded once, which is exact for these), and Casts that lose nothing. Others,
 * integer division and lossy casts among them (ONNX Cast truncates and wraps where ours saturates),
 * stay for onnxruntime. A result above the size guard is not folded here either.
 */
final class JavaFolding {
    static final Set<String> OPS = Set.of("Identity", "Transpose", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Concat",
            "Gather", "Slice", "Expand", "Add", "Sub", "Mul", "Div", "Sqrt", "Reciprocal", "Neg", "Cast");

    private JavaFolding() {}

    /** Folds what it can; returns the initializers made, each with the name of the value it replaced. */
    static java.util.Map<Value, String> fold(Model model, long maxElements) {
        Graph g = model.graph();
        int opset = (int) model.opsetVersion("");
        java.util.Map<Value, String> folded = new java.util.LinkedHashMap<>();
        List<Node> order = TopologicalOrder.isSorted(g) ? g.nodeList() : TopologicalOrder.sort(g);
        for (Node n : order) {
            if (!n.isStandardDomain() || !OPS.contains(n.opType()) || n.outputCount() != 1 || n.output(0) == null
                    || n.output(0).isGraphOutput() || !n.output(0).subgraphOutputReaders().isEmpty()) {
                continue;
            }
            List<NdArray> in = new ArrayList<>();
            boolean constant = true;
            for (Value v : n.inputs()) {
                if (v != null && (!v.isConstant() || !TensorView.supports(v.initializer().dataType())
                        || !DTypes.isSupported(v.initializer().dataType()) || v.initializer().elementCount() > maxElements)) {
                    constant = false;
                    break;
                }
                in.add(v == null ? null : NdArray.of(v.initializer()));
            }
            if (!constant) {
                continue;
            }
            NdArray out;
            try {
                out = evaluate(n, in, opset);
            } catch (RuntimeException e) {
                out = null; // a form this evaluator does not take (or an invalid node): onnxruntime decides
            }
            if (out == null || out.size() > maxElements) {
                continue;
            }
            Value result = n.output(0);
            Tensor t = out.toTensor(g.freshName(result.name()));
            Value init = g.addInitializer(t);
            g.replaceAllUsesWith(result, init);
            folded.put(init, result.name());
        }
        return folded;
    }

    /**
     * An operand by its schema name, whichever form the opset gives it (see {@link OpOperands}): its
     * attribute's value, or the folded value of its input; null when absent.
     */
    private static NdArray operand(Node n, List<NdArray> in, int opset, String operand) {
        return OpOperands.builtin().read(n, opset, operand, a -> NdArray.of(OpOperands.toTensor(a, operand)),
                index -> index < in.size() ? in.get(index) : null);
    }

    /** The node's output, or null when this op or this form of it is left to onnxruntime. */
    static NdArray evaluate(Node n, List<NdArray> in, int opset) {
        NdArray x = in.isEmpty() ? null : in.get(0);
        switch (n.opType()) {
            case "Identity":
                return x;
            case "Transpose": {
                Attribute perm = n.attribute("perm");
                return perm == null ? ShapeOps.transpose(x, reversed(x.rank())) : ShapeOps.transpose(x, longs(perm));
            }
            case "Reshape": {
                NdArray shape = operand(n, in, opset, "shape");
                if (shape == null || attr(n, "allowzero", 0) != 0) {
                    return null;
                }
                return ShapeOps.reshape(x, shape.toLongArray());
            }
            case "Flatten": {
                long axis = attr(n, "axis", 1);
                int rank = x.rank();
                long a = axis < 0 ? axis + rank : axis;
                long outer = 1;
                for (int i = 0; i < a; i++) {
                    outer *= x.shape()[i];
                }
                return ShapeOps.reshape(x, new long[] {outer, -1});
            }
            case "Squeeze": {
                NdArray axes = operand(n, in, opset, "axes");
                return ShapeOps.squeeze(x, axes == null || axes.size() == 0 ? null : axes.toLongArray()); // none: every size-1 dim
            }
            case "Unsqueeze": {
                NdArray axes = operand(n, in, opset, "axes");
                return axes == null ? null : ShapeOps.unsqueeze(x, axes.toLongArray());
            }
            case "Concat":
                if (in.stream().anyMatch(a -> a == null)) {
                    return null;
                }
                return ShapeOps.concat(in, attr(n, "axis", 0));
            case "Gather":
                return ShapeOps.take(x, in.get(1), attr(n, "axis", 0));
            case "Slice": {
                NdArray startsOperand = operand(n, in, opset, "starts");
                NdArray endsOperand = operand(n, in, opset, "ends");
                if (startsOperand == null || endsOperand == null) {
                    return null;
                }
                long[] starts = startsOperand.toLongArray();
                long[] ends = endsOperand.toLongArray();
                NdArray axesOperand = operand(n, in, opset, "axes");
                NdArray stepsOperand = operand(n, in, opset, "steps");
                long[] axes = axesOperand == null ? null : axesOperand.toLongArray();
                long[] steps = stepsOperand == null ? null : stepsOperand.toLongArray();
                for (int i = 0; steps != null && i < steps.length; i++) {
                    if (steps[i] < 0 && ends[i] >= Integer.MAX_VALUE) {
                        return null; // onnxruntime reads this end as "past the front", unlike the spec's clamp: let it decide
                    }
                }
                return ShapeOps.slice(x, starts, ends, axes, steps);
            }
            case "Expand":
                return ShapeOps.expand(x, in.get(1).toLongArray());
            case "Add", "Sub", "Mul":
                return binary(n.opType(), x, in.get(1));
            case "Div":
                return DTypes.isFloat(x.dtype()) ? binary("Div", x, in.get(1)) : null;
            case "Sqrt", "Reciprocal", "Neg":
                return DTypes.isFloat(x.dtype()) ? (NdArray) ArrayMath.unary(unaryName(n.opType()), x) : null;
            case "Cast": {
                DataType to = DataType.fromCode((int) attr(n, "to", 0)).orElse(null);
                boolean exact = to != null && DTypes.isSupported(to) && (to == x.dtype() || DTypes.holdsEveryValue(x.dtype(), to));
                return exact ? DTypes.cast(x, to) : null;
            }
            default:
                return null;
        }
    }

    private static NdArray binary(String op, NdArray a, NdArray b) {
        if (a.dtype() != b.dtype()) {
            return null; // ONNX requires equal types; a model that breaks this is left to onnxruntime to reject
        }
        String symbol = switch (op) {
            case "Add" -> "+";
            case "Sub" -> "-";
            case "Mul" -> "*";
            default -> "/";
        };
        Object r = ArrayMath.binary(symbol, a, b);
        return r instanceof NdArray arr ? arr : null;
    }

    private static String unaryName(String op) {
        return switch (op) {
            case "Sqrt" -> "sqrt";
            case "Reciprocal" -> "reciprocal";
            default -> "neg";
        };
    }

    private static long attr(Node n, String name, long otherwise) {
        Attribute a = n.attribute(name);
        return a == null ? otherwise : a.asInt();
    }

    private static long[] longs(Attribute a) {
        return a.asInts().stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] reversed(int rank) {
        long[] p = new long[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = rank - 1 - i;
        }
        return p;
    }
}
