package org.onnx2trt.rewrite.match;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.Tensor;

/**
 * What a pattern bound: nodes by binding name, values by variable (null for an absent optional
 * input), variadic captures, operands the node's opset carries as attributes (as the tensors the
 * input form would hold, see {@link org.onnx2trt.ir.OpOperands}), and attribute values (Java objects: Long, Double, String, List, Tensor;
 * null when absent without a default). Matching extends a match by copying it, so a failed branch
 * (the other order of a commutative op) leaves the earlier one untouched.
 */
public final class Match {
    private final Map<String, Node> nodes;
    private final Map<String, Value> values;
    private final Map<String, List<Value>> variadics;
    private final Map<String, Tensor> attributeOperands;
    private final Map<String, Object> attributes;

    Match() {
        this(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    private Match(Map<String, Node> nodes, Map<String, Value> values, Map<String, List<Value>> variadics,
                  Map<String, Tensor> attributeOperands, Map<String, Object> attributes) {
        this.nodes = nodes;
        this.values = values;
        this.variadics = variadics;
        this.attributeOperands = attributeOperands;
        this.attributes = attributes;
    }

    Match copy() {
        return new Match(new HashMap<>(nodes), new HashMap<>(values), new HashMap<>(variadics),
                new HashMap<>(attributeOperands), new HashMap<>(attributes));
    }

    public Map<String, Node> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    public Node node(String binding) {
        return nodes.get(binding);
    }

    /** Whether the variable is bound (possibly to null: an absent optional input). */
    public boolean hasValue(String variable) {
        return values.containsKey(variable);
    }

    public Value value(String variable) {
        return values.get(variable);
    }

    public Map<String, Value> values() {
        return Collections.unmodifiableMap(values);
    }

    public List<Value> variadic(String variable) {
        return variadics.get(variable);
    }

    /**
     * The operand an input variable names where the node's opset carries it as an attribute
     * ({@code Squeeze(x, axes)} at opset 12), as a constant tensor; null when the variable is not such one.
     */
    public Tensor attributeOperand(String variable) {
        return attributeOperands.get(variable);
    }

    public boolean hasAttribute(String variable) {
        return attributes.containsKey(variable);
    }

    public Object attribute(String variable) {
        return attributes.get(variable);
    }

    void bindNode(String name, Node n) {
        nodes.put(name, n);
    }

    void bindValue(String name, Value v) {
        values.put(name, v);
    }

    void bindVariadic(String name, List<Value> vs) {
        variadics.put(name, List.copyOf(vs));
    }

    void bindAttributeOperand(String name, Tensor value) {
        attributeOperands.put(name, value);
    }

    void bindAttribute(String name, Object value) {
        attributes.put(name, value);
    }
}
