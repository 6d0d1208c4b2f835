package org.onnx2trt.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.onnx2trt.proto.Onnx.SparseTensorProto;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.Tensor;

/**
 * A named tensor value of a graph (SSA: one definition, many uses). It is defined by exactly one of:
 * a node output ({@link #producer()}), an initializer, a sparse initializer, or a graph input; an
 * initializer that is also listed as a graph input is both. A value defined by none of these is
 * <em>undefined</em>: the IR keeps it so that the validator can name the nodes that read it.
 */
public final class Value {
    private String name;
    private final Graph graph;
    private Node producer;
    private int producerIndex = -1;
    private Tensor initializer;
    private SparseTensorProto sparseInitializer;
    private boolean graphInput;
    private ValueInfoProto valueInfo;
    private final List<Use> uses = new ArrayList<>(2);
    /**
     * Where each use sits in {@link #uses}, kept once a value has many readers (a constant shared by
     * thousands of nodes): removing a use is then O(1) instead of a scan of the list, which made
     * rewriting every reader of such a value quadratic.
     */
    private java.util.Map<Use, Integer> positions;
    private static final int POSITIONS_FROM = 16;
    private List<Graph> subgraphOutputReaders = List.of(); // rare: made mutable on first add

    Value(Graph graph, String name) {
        this.graph = graph;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Renames the value everywhere it is written (nodes, lists, initializer). */
    public void rename(String newName) {
        graph.renameValue(this, newName);
    }

    void setNameInternal(String newName) {
        this.name = newName;
        if (initializer != null) {
            initializer.rename(newName);
        }
    }

    /** The graph whose scope defines this value. */
    public Graph graph() {
        return graph;
    }

    /** The node that computes this value, or null. */
    public Node producer() {
        return producer;
    }

    /** Which output of {@link #producer()} this is; -1 when there is no producer. */
    public int producerIndex() {
        return producerIndex;
    }

    void setProducer(Node node, int index) {
        this.producer = node;
        this.producerIndex = index;
    }

    /** The initializer holding this value's constant data, or null. */
    public Tensor initializer() {
        return initializer;
    }

    void setInitializer(Tensor tensor) {
        this.initializer = tensor;
    }

    public SparseTensorProto sparseInitializer() {
        return sparseInitializer;
    }

    void setSparseInitializer(SparseTensorProto sparse) {
        this.sparseInitializer = sparse;
    }

    public boolean isInitializer() {
        return initializer != null;
    }

    /** Whether the value is listed in the graph's inputs (an initializer may be too). */
    public boolean isGraphInput() {
        return graphInput;
    }

    void setGraphInput(boolean graphInput) {
        this.graphInput = graphInput;
    }

    /** Whether the value is listed in its graph's outputs. */
    public boolean isGraphOutput() {
        return graph.isOutput(this);
    }

    /** Whether anything defines the value. */
    public boolean isDefined() {
        return producer != null || initializer != null || sparseInitializer != null || graphInput;
    }

    /**
     * Whether the value is a constant: an initializer that is not also a graph input (an input
     * with an initializer only gives a default that a caller may override).
     */
    public boolean isConstant() {
        return initializer != null && !graphInput;
    }

    /** The {@code value_info} entry for this value, or null. */
    public ValueInfoProto valueInfo() {
        return valueInfo;
    }

    /** Sets the {@code value_info} entry, adding the value to the graph's value_info list if new. */
    public void setValueInfo(ValueInfoProto info) {
        graph.declareValueInfo(this, info);
    }

    void setValueInfoInternal(ValueInfoProto info) {
        this.valueInfo = info;
    }

    /**
     * The best known type: from value_info, else the graph input or output declaration, else the
     * initializer; null when unknown.
     */
    public TypeProto type() {
        if (valueInfo != null && valueInfo.hasType()) {
            return valueInfo.getType();
        }
        Port port = graph.portOf(this);
        if (port != null && port.declaration().hasType()) {
            return port.declaration().getType();
        }
        return initializer != null ? Types.ofTensor(initializer) : null;
    }

    /** The places the value is read, in no particular order; a live, unmodifiable list. */
    public List<Use> uses() {
        return Collections.unmodifiableList(uses);
    }

    void addUse(Use use) {
        uses.add(use);
        if (positions != null) {
            positions.put(use, uses.size() - 1);
        } else if (uses.size() > POSITIONS_FROM) {
            positions = new java.util.HashMap<>();
            for (int i = 0; i < uses.size(); i++) {
                positions.put(uses.get(i), i);
            }
        }
    }

    void removeUse(Node user, int index) {
        if (positions != null) { // the last use moves into the removed one's place
            Integer at = positions.remove(new Use(user, index));
            if (at != null) {
                Use moved = uses.remove(uses.size() - 1);
                if (at < uses.size()) {
                    uses.set(at, moved);
                    positions.put(moved, at);
                }
            }
            return;
        }
        for (int i = uses.size() - 1; i >= 0; i--) {
            Use u = uses.get(i);
            if (u.user() == user && u.index() == index) {
                uses.remove(i);
                return;
            }
        }
    }

    /**
     * The subgraphs that list this value of an enclosing graph among their own outputs (a branch
     * that returns an outer value as it is): readers that are not node inputs.
     */
    public List<Graph> subgraphOutputReaders() {
        return Collections.unmodifiableList(subgraphOutputReaders);
    }

    void addSubgraphOutputReader(Graph subgraph) {
        if (!subgraphOutputReaders.contains(subgraph)) {
            if (subgraphOutputReaders.isEmpty()) {
                subgraphOutputReaders = new ArrayList<>(1);
            }
            subgraphOutputReaders.add(subgraph);
        }
    }

    void removeSubgraphOutputReader(Graph subgraph) {
        if (!subgraphOutputReaders.isEmpty()) {
            subgraphOutputReaders.remove(subgraph);
        }
    }

    /** Whether the value has exactly one use and is not a graph output (here or of a subgraph). */
    public boolean hasSingleUse() {
        return uses.size() == 1 && !isGraphOutput() && subgraphOutputReaders.isEmpty();
    }

    @Override
    public String toString() {
        return name;
    }
}
