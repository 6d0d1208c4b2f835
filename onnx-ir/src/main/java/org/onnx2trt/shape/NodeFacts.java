package org.onnx2trt.shape;

import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.OpOperands;
import org.onnx2trt.ir.Types.Dim;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;

/** One node as an op's inference rule sees it: its inputs' facts, its constant inputs, its attributes. */
final class NodeFacts {
    private final Node node;
    private final Map<Value, TensorFacts> facts;
    private final int opset;

    NodeFacts(Node node, Map<Value, TensorFacts> facts, int opset) {
        this.node = node;
        this.facts = facts;
        this.opset = opset;
    }

    Node node() {
        return node;
    }

    String op() {
        return node.opType();
    }

    int opset() {
        return opset;
    }

    int inputCount() {
        return node.inputCount();
    }

    /** Whether input i is given (not absent and not the empty name). */
    boolean has(int i) {
        return i < node.inputCount() && node.input(i) != null;
    }

    /** What is known of input i; {@link TensorFacts#UNKNOWN} when absent. */
    TensorFacts in(int i) {
        if (!has(i)) {
            return TensorFacts.UNKNOWN;
        }
        return facts.getOrDefault(node.input(i), TensorFacts.UNKNOWN);
    }

    List<Dim> shape(int i) {
        return in(i).shape();
    }

    DataType dtype(int i) {
        return in(i).dtype();
    }

    /** The elements of an integer input that is constant or whose elements are all known; null otherwise. */
    long[] ints(int i) {
        if (!has(i)) {
            return null;
        }
        Value v = node.input(i);
        if (v.isConstant()) {
            DataType t = v.initializer().dataType();
            if (t != DataType.INT64 && t != DataType.INT32 || v.initializer().elementCount() > 4096) {
                return null;
            }
            return v.initializer().view().toLongArray();
        }
        TensorFacts f = in(i);
        return f.hasKnownContents() ? f.contents().stream().mapToLong(Dim::value).toArray() : null;
    }

    /**
     * The elements of a small integer input of rank 0 or 1, each a number, a symbol or unknown: from
     * its initializer or from what inference tracked; null when not known.
     */
    List<Dim> contents(int i) {
        if (!has(i)) {
            return null;
        }
        Value v = node.input(i);
        if (v.isConstant()) {
            if (v.initializer().rank() > 1 || v.initializer().elementCount() > TensorFacts.MAX_CONTENTS) {
                return null;
            }
            long[] values = ints(i);
            return values == null ? null : DimMath.known(values);
        }
        return in(i).contents();
    }

    /** The elements of a constant input, as doubles; null when not constant. */
    double[] doubles(int i) {
        if (!has(i) || !node.input(i).isConstant() || node.input(i).initializer().elementCount() > 4096) {
            return null;
        }
        return node.input(i).initializer().view().toDoubleArray();
    }

    /** Whether input i is given and has no elements (an empty optional such as Resize's {@code roi}). */
    boolean isEmpty(int i) {
        TensorFacts f = in(i);
        return f.isStatic() && f.staticShape().length > 0 && java.util.Arrays.stream(f.staticShape()).anyMatch(d -> d == 0);
    }

    /**
     * Whether the operand {@code operand} (a schema name: {@code axes}, {@code pads}, {@code split},
     * {@code starts}, {@code K}) is given, in the form this opset carries it (see {@link OpOperands}).
     */
    boolean hasOperand(String operand) {
        return OpOperands.builtin().read(node, opset, operand, a -> true, i -> has(i) ? true : null) != null;
    }

    /**
     * The elements of an integer operand by its schema name, from its attribute where this opset
     * carries it so, else from its input (see {@link #ints}); null when absent or not known.
     */
    long[] operandInts(String operand) {
        return OpOperands.builtin().read(node, opset, operand,
                a -> OpOperands.toTensor(a, operand).view().toLongArray(), this::ints);
    }

    Attribute attr(String name) {
        return node.attribute(name);
    }

    long intAttr(String name, long otherwise) {
        Attribute a = node.attribute(name);
        return a == null ? otherwise : a.asInt();
    }

    /** An ints attribute, or null when absent. */
    long[] intsAttr(String name) {
        Attribute a = node.attribute(name);
        return a == null ? null : a.asInts().stream().mapToLong(Long::longValue).toArray();
    }

    String stringAttr(String name, String otherwise) {
        Attribute a = node.attribute(name);
        return a == null ? otherwise : a.asString();
    }
}
