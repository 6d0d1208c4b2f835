package org.onnx2trt.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.onnx2trt.dsl.schema.OpSchemas;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.OpOperands;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.shape.ShapeInference;
import org.onnx2trt.tensor.Tensor;

/**
 * Raises a model's default-domain opset from 11 or 12 to 13 (what per-channel QuantizeLinear/
 * DequantizeLinear need). Between those opsets most ops only gained element types; what changed
 * meaning is rewritten:
 * <ul>
 *   <li>operands that moved from an attribute to an input (Squeeze/Unsqueeze/ReduceSum {@code axes},
 *       Split's {@code split}, Dropout's {@code ratio}, and the older moves before 11) become
 *       initializers, read by {@link OpOperands};
 *   <li>Softmax, LogSoftmax and Hardmax before 13 normalize the input flattened to 2-D from
 *       {@code axis} (default 1) on; from 13 along {@code axis} alone (default −1). Where the old
 *       axis is the last one, they agree and only the attribute is written; elsewhere the op runs on
 *       a Flatten at that axis and a Reshape restores the shape.
 * </ul>
 * What cannot be carried over (Resize's {@code tf_half_pixel_for_nn}, removed at 13; a Softmax whose
 * input rank is not known) is refused with the node named, and the model is left as it was.
 */
public final class OpsetUpgrade {
    /** What the upgrade changed. */
    public record Result(long from, long to, int operandsMoved, int softmaxesRewritten) {}

    /** The upgrade cannot be made; the message names the node and why. */
    public static final class UnsupportedUpgrade extends RuntimeException {
        UnsupportedUpgrade(String message) {
            super(message);
        }
    }

    private static final Set<String> COERCED_SOFTMAX = Set.of("Softmax", "LogSoftmax", "Hardmax");

    private OpsetUpgrade() {}

    /**
     * Upgrades {@code model} in place to default-domain opset {@code 13}.
     *
     * @throws UnsupportedUpgrade before any change, when a node cannot be carried over
     */
    public static Result to13(Model model) {
        long from = model.opsetVersion("");
        if (from >= 13) {
            return new Result(from, from, 0, 0);
        }
        if (from < 11) { // Resize, Slice, Pad, Clip, TopK changed meaning or form before 11: not carried over
            throw new UnsupportedUpgrade("the model is opset " + from + "; only opsets 11 and 12 are upgraded to 13 here"
                    + " (export with opset_version=13 or later)");
        }
        ShapeInference.annotate(model); // Softmax needs its input's rank
        List<Node> nodes = allNodes(model.graph());
        for (Node n : nodes) { // refuse first: nothing changes unless everything can
            check(n);
        }
        int moved = 0;
        int softmaxes = 0;
        for (Node n : nodes) {
            if (!n.isStandardDomain()) {
                continue;
            }
            moved += moveOperands(n, from);
            if (COERCED_SOFTMAX.contains(n.opType())) {
                softmaxes += rewriteSoftmax(n) ? 1 : 0;
            }
        }
        model.setOpsetVersion("", 13);
        return new Result(from, 13, moved, softmaxes);
    }

    private static void check(Node n) {
        if (!n.isStandardDomain()) {
            return;
        }
        if (n.opType().equals("Resize") && n.attribute("coordinate_transformation_mode") != null
                && n.attribute("coordinate_transformation_mode").asString().equals("tf_half_pixel_for_nn")) {
            throw new UnsupportedUpgrade("node `" + n.name() + "` (Resize): coordinate_transformation_mode"
                    + " tf_half_pixel_for_nn was removed at opset 13; export the model with opset 13 or later");
        }
        if (OpSchemas.builtin().find(n.opType(), 13).isEmpty()) {
            throw new UnsupportedUpgrade("node `" + n.name() + "`: " + n.opType() + " does not exist at opset 13");
        }
        if (COERCED_SOFTMAX.contains(n.opType()) && !lastAxis(n) && rank(n.input(0)) < 0) {
            throw new UnsupportedUpgrade("node `" + n.name() + "` (" + n.opType() + "): its input's rank is not known, and"
                    + " the meaning of its axis changed at opset 13; pin the input shapes (--input-shape) or export with"
                    + " opset 13 or later");
        }
    }


    /** Attribute operands the old opset has and opset 13 takes as inputs, moved to initializer inputs. */
    private static int moveOperands(Node n, long from) {
        OpOperands operands = OpOperands.builtin();
        int moved = 0;
        var schema = OpSchemas.builtin().find(n.opType(), 13).orElseThrow();
        for (int index = 0; index < schema.inputs().size(); index++) {
            Optional<OpOperands.AttributeForm> old = operands.attributeForm(n, from, index);
            if (old.isEmpty() || operands.attributeForm(n, 13, index).isPresent()) {
                continue;
            }
            Attribute a = n.attribute(old.get().attribute());
            n.removeAttribute(old.get().attribute());
            if (a == null) {
                continue; // an absent attribute is an absent optional input
            }
            Graph g = n.graph();
            Tensor t = OpOperands.toTensor(a, g.freshName(label(n) + "_" + old.get().operand()));
            Value v = g.addInitializer(t);
            while (n.inputCount() < index) {
                n.addInput(null);
            }
            if (n.inputCount() == index) {
                n.addInput(v);
            } else {
                n.setInput(index, v);
            }
            moved++;
        }
        return moved;
    }

    /** Whether the Softmax's old axis (default 1) is its input's last: the two meanings agree. */
    private static boolean lastAxis(Node n) {
        long axis = n.attribute("axis") == null ? 1 : n.attribute("axis").asInt();
        int rank = rank(n.input(0));
        return axis == -1 || rank >= 0 && (axis == rank - 1 || axis + rank == rank - 1);
    }

    /**
     * Softmax(x, axis a) of the old meaning: on a 2-D view [prod(dims before a), prod(dims from a)];
     * kept as Reshape(Softmax(Flatten(x, a), axis −1), Shape(x)) when a is not the last axis.
     */
    private static boolean rewriteSoftmax(Node n) {
        if (lastAxis(n)) {
            n.setAttribute(Attribute.ofInt("axis", -1));
            return false;
        }
        long axis = n.attribute("axis") == null ? 1 : n.attribute("axis").asInt();
        Graph g = n.graph();
        Value x = n.input(0);
        Value y = n.output(0);
        String base = label(n);
        Node flatten = g.createNode("", "Flatten", g.freshNodeName(base + "_flatten"), List.of(x),
                List.of(g.freshName(base + "_2d")));
        flatten.setAttribute(Attribute.ofInt("axis", axis));
        Node shape = g.createNode("", "Shape", g.freshNodeName(base + "_shape"), List.of(x), List.of(g.freshName(base + "_shape")));
        g.insertBefore(n, flatten);
        g.insertBefore(n, shape);
        Node softmax = g.createNode("", n.opType(), g.freshNodeName(base + "_2d_" + n.opType()), List.of(flatten.output(0)),
                List.of(g.freshName(base + "_2d_out")));
        softmax.setAttribute(Attribute.ofInt("axis", -1));
        g.insertBefore(n, softmax);
        Node reshape = g.createNode("", "Reshape", g.freshNodeName(base + "_restore"), List.of(softmax.output(0), shape.output(0)),
                List.of(g.freshName(base + "_restored")));
        g.insertBefore(n, reshape);
        String name = y.name();
        g.replaceAllUsesWith(y, reshape.output(0));
        g.remove(n);
        y.rename(g.freshName(name + "_old"));
        reshape.output(0).rename(name); // the value keeps its name, a graph output's included
        return true;
    }

    private static int rank(Value v) {
        if (v == null) {
            return -1;
        }
        if (v.isInitializer()) {
            return v.initializer().rank();
        }
        List<Types.Dim> shape = v.type() == null ? null : Types.shape(v.type());
        return shape == null ? -1 : shape.size();
    }

    private static String label(Node n) {
        return n.name().isEmpty() ? n.opType() : n.name();
    }

    private static List<Node> allNodes(Graph g) {
        List<Node> out = new ArrayList<>();
        for (Node n : g.nodeList()) {
            out.add(n);
            for (Graph sub : n.subgraphs()) {
                out.addAll(allNodes(sub));
            }
        }
        return out;
    }
}
