package org.onnx2trt.ir;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.NodeProto;

/**
 * An operator application. Inputs and outputs are {@link Value}s; a missing optional input or output
 * (written {@code ""} in ONNX) is null. A node read from a model keeps its {@code NodeProto}, so the
 * fields this class does not model (doc string, metadata, device configurations, unknown fields)
 * are written back unchanged.
 */
public final class Node {
    private final NodeProto original;
    private final Graph graph;
    private String name;
    private String opType;
    private String domain;
    private final List<Value> inputs = new ArrayList<>(3);
    private final List<Value> outputs = new ArrayList<>(1);
    /** Null until first needed for a node read from a proto: most nodes are never asked. */
    private Map<String, Attribute> attributes;
    /** How many attributes hold subgraphs: most nodes have none, and rewrites ask for every node. */
    private int graphAttributes;
    Node prev;
    Node next;
    boolean attached;

    Node(Graph graph, NodeProto original, String name, String domain, String opType) {
        this.graph = graph;
        this.original = original;
        this.name = name;
        this.domain = domain;
        this.opType = Objects.requireNonNull(opType, "opType");
    }

    public Graph graph() {
        return graph;
    }

    /** The node's name; may be empty (ONNX does not require one). */
    public String name() {
        return name == null ? "" : name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String opType() {
        return opType;
    }

    /** The operator domain; {@code ""} is the default ONNX domain ({@code ai.onnx}). */
    public String domain() {
        return domain == null ? "" : domain;
    }

    /** Whether the op is in the default ONNX domain. */
    public boolean isStandardDomain() {
        return domain == null || domain.isEmpty() || domain.equals("ai.onnx");
    }

    /** {@code Conv}, or {@code com.microsoft::FusedConv} for ops outside the default domain. */
    public String qualifiedOpType() {
        return isStandardDomain() ? opType : domain + "::" + opType;
    }

    /** A readable reference for messages: {@code `conv1` (Conv)}, or the first output for unnamed nodes. */
    public String describe() {
        String label = !name().isEmpty() ? name()
                : outputs.stream().filter(Objects::nonNull).findFirst().map(v -> "<producer of " + v.name() + ">").orElse("<unnamed>");
        return "`" + label + "` (" + qualifiedOpType() + ")";
    }

    public NodeProto original() {
        return original;
    }

    /** The inputs, null for an omitted optional input; an unmodifiable live list. */
    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    public int inputCount() {
        return inputs.size();
    }

    /** Replaces input {@code i} (null omits it), keeping the use lists right. */
    public void setInput(int i, Value value) {
        Value old = inputs.get(i);
        if (old != null) {
            old.removeUse(this, i);
        }
        inputs.set(i, value);
        if (value != null) {
            value.addUse(new Use(this, i));
        }
    }

    /** Appends an input (null for an omitted optional one). */
    public void addInput(Value value) {
        inputs.add(value);
        if (value != null) {
            value.addUse(new Use(this, inputs.size() - 1));
        }
    }

    /** Removes trailing inputs so that {@code count} remain. */
    public void truncateInputs(int count) {
        while (inputs.size() > count) {
            int last = inputs.size() - 1;
            setInput(last, null);
            inputs.remove(last);
        }
    }

    void detachInputs() {
        for (int i = 0; i < inputs.size(); i++) {
            Value v = inputs.get(i);
            if (v != null) {
                v.removeUse(this, i);
            }
        }
    }

    /** The outputs, null for an omitted optional output; an unmodifiable live list. */
    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public Value output(int i) {
        return i < outputs.size() ? outputs.get(i) : null;
    }

    public int outputCount() {
        return outputs.size();
    }

    void addOutputInternal(Value value) {
        outputs.add(value);
    }

    /** The attributes in their order; a live, unmodifiable map. */
    public Map<String, Attribute> attributes() {
        return Collections.unmodifiableMap(attributeMap());
    }

    public Attribute attribute(String name) {
        return attributeMap().get(name);
    }

    public boolean hasAttribute(String name) {
        return attributeMap().containsKey(name);
    }

    /** Sets (adds or replaces) an attribute. */
    public void setAttribute(Attribute attribute) {
        countGraphs(attributeMap().put(attribute.name(), attribute), -1);
        countGraphs(attribute, +1);
    }

    public void removeAttribute(String name) {
        countGraphs(attributeMap().remove(name), -1);
    }

    private void countGraphs(Attribute a, int sign) {
        if (a != null && !a.graphs().isEmpty()) {
            graphAttributes += sign;
        }
    }

    /** The attribute map, made from the original proto on first use. */
    private Map<String, Attribute> attributeMap() {
        if (attributes == null) {
            attributes = new LinkedHashMap<>();
            if (original != null) {
                for (AttributeProto a : original.getAttributeList()) {
                    attributes.put(a.getName(), Attribute.read(a, List.of()));
                }
            }
        }
        return attributes;
    }

    /** The subgraphs of this node's graph attributes. */
    public List<Graph> subgraphs() {
        if (graphAttributes == 0) {
            return List.of(); // graph attributes are always set through setAttribute, at import too
        }
        List<Graph> out = new ArrayList<>();
        for (Attribute a : attributes.values()) {
            out.addAll(a.graphs());
        }
        return out;
    }

    /**
     * Values of an enclosing scope that this node's subgraphs read (ONNX "implicit inputs"): the
     * node depends on them as much as on its explicit inputs.
     */
    public Set<Value> implicitInputs() {
        if (graphAttributes == 0) {
            return Set.of();
        }
        Set<Value> out = new LinkedHashSet<>();
        for (Graph g : subgraphs()) {
            collectCaptured(g, out);
        }
        return out;
    }

    private void collectCaptured(Graph g, Collection<Value> out) {
        for (Node n : g.nodes()) {
            for (Value v : n.inputs) {
                if (v != null && !isInside(v.graph())) {
                    out.add(v);
                }
            }
            for (Graph sub : n.subgraphs()) {
                collectCaptured(sub, out);
            }
        }
        for (Port p : g.outputs()) {
            if (!isInside(p.value().graph())) {
                out.add(p.value());
            }
        }
    }

    /** Whether {@code g} is one of this node's subgraphs or nested in one. */
    private boolean isInside(Graph g) {
        for (Graph cur = g; cur != null; cur = cur.parent()) {
            if (cur.owner() == this) {
                return true;
            }
        }
        return false;
    }

    /** Whether the node is in its graph (not removed, not yet inserted). */
    public boolean isAttached() {
        return attached;
    }

    /** The next node in the graph's order, or null. */
    public Node next() {
        return next;
    }

    /** The previous node in the graph's order, or null. */
    public Node prev() {
        return prev;
    }

    /**
     * The proto to write: the original when nothing modelled changed (the common case, and free),
     * else the original with the modelled fields written over it.
     */
    NodeProto toProto(TensorEncoder encoder) {
        if (original != null && !headerChanged() && sameNames(inputs, original.getInputList())
                && sameNames(outputs, original.getOutputList()) && !attributesChanged()) {
            return original;
        }
        NodeProto.Builder b = original != null ? original.toBuilder() : NodeProto.newBuilder();
        if (original == null || !Objects.equals(name(), original.getName())) {
            if (name == null || name.isEmpty()) {
                b.clearName();
            } else {
                b.setName(name);
            }
        }
        if (original == null || !opType.equals(original.getOpType())) {
            b.setOpType(opType);
        }
        if (original == null || !domain().equals(original.getDomain())) {
            if (domain == null) {
                b.clearDomain();
            } else {
                b.setDomain(domain);
            }
        }
        if (original == null || !sameNames(inputs, original.getInputList())) {
            b.clearInput();
            inputs.forEach(v -> b.addInput(v == null ? "" : v.name()));
        }
        if (original == null || !sameNames(outputs, original.getOutputList())) {
            b.clearOutput();
            outputs.forEach(v -> b.addOutput(v == null ? "" : v.name()));
        }
        if (original == null || attributesChanged()) {
            b.clearAttribute();
            attributeMap().values().forEach(a -> b.addAttribute(a.toProto(encoder)));
        }
        return b.build();
    }

    private boolean headerChanged() {
        return !Objects.equals(name(), original.getName()) || !opType.equals(original.getOpType())
                || !domain().equals(original.getDomain());
    }

    private boolean attributesChanged() {
        if (attributes == null) {
            return false;
        }
        if (attributes.size() != original.getAttributeCount()) {
            return true;
        }
        int i = 0;
        for (Attribute a : attributes.values()) {
            if (!a.graphs().isEmpty() || a.proto() != original.getAttribute(i++)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameNames(List<Value> values, List<String> names) {
        if (values.size() != names.size()) {
            return false;
        }
        for (int i = 0; i < values.size(); i++) {
            Value v = values.get(i);
            if (!(v == null ? "" : v.name()).equals(names.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return describe();
    }
}
