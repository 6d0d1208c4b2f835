package org.onnx2trt.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.SparseTensorProto;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.Tensor;

/**
 * A graph: nodes in order, the values they compute, initializers, inputs, outputs and value_info.
 * Subgraphs (bodies of If/Loop/Scan) are graphs whose {@link #owner()} is the node holding them;
 * their nodes may read values of enclosing graphs, which are found by name through the scope chain.
 *
 * <p>Nodes form a doubly-linked list: insert and remove are O(1), and iterating while removing the
 * current node is safe. {@link #replaceAllUsesWith} costs the number of uses, not the graph size.
 */
public final class Graph {
    private final GraphProto original;
    private final Graph parent;
    private final Node owner;
    /** The main graph; it holds the names defined in subgraphs, for {@link #freshName}. */
    private final Graph root;
    private final Set<String> subgraphNames;
    private final Map<String, Integer> nextSuffix;
    private String name;

    private Node first;
    private Node last;
    private int nodeCount;

    private final Map<String, Value> scope;
    private final List<Port> inputs = new ArrayList<>();
    private final List<Port> outputs = new ArrayList<>();
    private final Map<Value, Port> inputPorts = new IdentityHashMap<>();
    private final Map<Value, Port> outputPorts = new IdentityHashMap<>();
    // Insertion-ordered sets: writing keeps the file's order, and removal is O(1) (a rewrite run
    // removes thousands of initializers from lists of tens of thousands).
    private final Set<Value> initializers = new LinkedHashSet<>();
    private final List<Value> sparseInitializers = new ArrayList<>();
    private final Set<Value> valueInfos = new LinkedHashSet<>();
    private final List<Value> shadowDefinitions = new ArrayList<>();

    private Graph(GraphProto original, Graph parent, Node owner, String name) {
        this.original = original;
        this.parent = parent;
        this.owner = owner;
        this.name = name;
        // Sized for the names an imported graph defines, so that big graphs do not rehash as they load.
        int expected = original == null ? 16
                : original.getNodeCount() + original.getInitializerCount() + original.getInputCount() + 16;
        int capacity = (int) Math.min(1 << 30, expected * 4L / 3 + 1);
        this.scope = new HashMap<>(capacity);
        this.root = parent == null ? this : parent.root;
        this.subgraphNames = parent == null ? new HashSet<>() : null;
        this.nextSuffix = parent == null ? new HashMap<>() : null;
    }

    /** A new, empty top-level graph. */
    public static Graph create(String name) {
        return new Graph(null, null, null, name);
    }

    /** A new, empty subgraph of a node of this graph, to pass to {@link Attribute#ofGraph}. */
    public Graph newSubgraph(Node owner, String name) {
        return new Graph(null, this, owner, name);
    }

    /** A graph as read from a proto; see {@link GraphImporter}. */
    static Graph forImport(GraphProto original, Graph parent, Node owner) {
        return new Graph(original, parent, owner, original.getName());
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public GraphProto original() {
        return original;
    }

    /** The enclosing graph of a subgraph; null for the main graph. */
    public Graph parent() {
        return parent;
    }

    /** The node whose attribute holds this subgraph; null for the main graph. */
    public Node owner() {
        return owner;
    }

    // ---- values and names ----------------------------------------------------------------

    /** The value of this name visible here: defined in this graph or an enclosing one; null if none. */
    public Value lookup(String name) {
        for (Graph g = this; g != null; g = g.parent) {
            Value v = g.scope.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /**
     * A name used nowhere in the model, built from {@code base}: {@code base}, else {@code base_1},
     * {@code base_2}, ... The next suffix to try is remembered per base, so making thousands of
     * names from one base costs linear time, not quadratic.
     */
    public String freshName(String base) {
        if (!isNameTaken(base)) {
            return base;
        }
        Map<String, Integer> next = root.nextSuffix;
        for (int i = next.getOrDefault(base, 1); ; i++) {
            String candidate = base + "_" + i;
            if (!isNameTaken(candidate)) {
                next.put(base, i + 1);
                return candidate;
            }
        }
    }

    /**
     * A name no value has and no node made through here has: for a new node whose outputs may later
     * be renamed (a rewrite gives its output the replaced value's name), so that the node's name is
     * never handed out again.
     */
    public String freshNodeName(String base) {
        String name = freshName(base);
        root.subgraphNames.add(name); // reserved: freshName will not return it again
        return name;
    }

    /** Whether a value anywhere in the model (main graph or any subgraph) has this name. */
    private boolean isNameTaken(String name) {
        return root.scope.containsKey(name) || root.subgraphNames.contains(name);
    }

    /** Makes a value of this name in this graph's scope; a second definition of a name is kept aside. */
    Value newValue(String name) {
        Value v = new Value(this, name);
        Value earlier = scope.putIfAbsent(name, v);
        if (earlier != null) {
            shadowDefinitions.add(v);
        }
        noteName(name);
        return v;
    }

    /**
     * The value of this name already in this graph's scope, or a new one entered under it: one
     * hash lookup where {@code values().get} then {@link #newValue} would take two.
     */
    Value valueFor(String name) {
        Value fresh = new Value(this, name);
        Value earlier = scope.putIfAbsent(name, fresh);
        if (earlier != null) {
            return earlier;
        }
        noteName(name);
        return fresh;
    }

    private void noteName(String name) {
        if (root != this) {
            root.subgraphNames.add(name);
        }
    }

    /** A value that is not entered in the scope (a second value_info entry for one name). */
    Value unscopedValue(String name) {
        return new Value(this, name);
    }

    /** Values whose names were defined earlier in the same graph (invalid ONNX, for the validator). */
    public List<Value> duplicateDefinitions() {
        return Collections.unmodifiableList(shadowDefinitions);
    }

    /** Every value in this graph's own scope, by name (the first definition of each name). */
    public Map<String, Value> values() {
        return Collections.unmodifiableMap(scope);
    }

    void renameValue(Value v, String newName) {
        if (v.name().equals(newName)) {
            return;
        }
        if (lookup(newName) != null) {
            throw new IllegalArgumentException("cannot rename `" + v.name() + "` to `" + newName + "`: the name is taken");
        }
        if (scope.get(v.name()) == v) {
            scope.remove(v.name());
        }
        v.setNameInternal(newName);
        scope.put(newName, v);
        noteName(newName);
    }

    void forget(Value v) {
        if (scope.get(v.name()) == v) {
            scope.remove(v.name());
        }
        shadowDefinitions.remove(v);
    }

    // ---- inputs, outputs, initializers, value_info ---------------------------------------

    public List<Port> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<Port> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    /** The graph inputs that are not initializers: what a caller must feed. */
    public List<Value> runtimeInputs() {
        List<Value> out = new ArrayList<>();
        for (Port p : inputs) {
            if (!p.value().isInitializer()) {
                out.add(p.value());
            }
        }
        return out;
    }

    /**
     * Drops the graph-input entries of initializers, which turns them from overridable defaults into
     * constants (exporters with {@code keep_initializers_as_inputs} list every weight as an input, and
     * no fusion may touch a weight a caller could replace). Returns how many entries were dropped.
     */
    public int demoteInitializerInputs() {
        int before = inputs.size();
        inputs.removeIf(p -> p.value().isInitializer());
        for (Value v : initializers) {
            if (v.isGraphInput()) {
                inputPorts.remove(v);
                v.setGraphInput(false);
            }
        }
        return before - inputs.size();
    }

    /** Adds a graph input of a fresh name and a type. */
    public Value addInput(String name, TypeProto type) {
        if (lookup(name) != null) {
            throw new IllegalArgumentException("input `" + name + "`: the name is taken");
        }
        Value v = newValue(name);
        addInputPort(v, ValueInfoProto.newBuilder().setName(name).setType(type).build());
        return v;
    }

    void addInputPort(Value v, ValueInfoProto declaration) {
        Port p = new Port(v, declaration);
        inputs.add(p);
        inputPorts.putIfAbsent(v, p);
        v.setGraphInput(true);
    }

    /** Lists {@code v} as a graph output, declared with {@code type} (null: the value's known type). */
    public void addOutput(Value v, TypeProto type) {
        ValueInfoProto.Builder decl = ValueInfoProto.newBuilder().setName(v.name());
        TypeProto t = type != null ? type : v.type();
        if (t != null) {
            decl.setType(t);
        }
        addOutputPort(v, decl.build());
    }

    void addOutputPort(Value v, ValueInfoProto declaration) {
        Port p = new Port(v, declaration);
        outputs.add(p);
        outputPorts.putIfAbsent(v, p);
        if (v.graph() != this) {
            v.addSubgraphOutputReader(this); // a subgraph returning an outer value reads it
        }
    }

    /** Removes {@code v} from the outputs list (all its entries). */
    public void removeOutput(Value v) {
        outputs.removeIf(p -> p.value() == v);
        outputPorts.remove(v);
        v.removeSubgraphOutputReader(this);
    }

    boolean isOutput(Value v) {
        return outputPorts.containsKey(v);
    }

    /** The input port of {@code v}, else its output port, else null. */
    Port portOf(Value v) {
        Port p = inputPorts.get(v);
        return p != null ? p : outputPorts.get(v);
    }

    /** The initializers in their order, as values (a copy). */
    public List<Value> initializers() {
        return List.copyOf(initializers);
    }

    /** Adds an initializer under the tensor's name, which must be fresh. */
    public Value addInitializer(Tensor tensor) {
        if (lookup(tensor.name()) != null) {
            throw new IllegalArgumentException("initializer `" + tensor.name() + "`: the name is taken");
        }
        Value v = newValue(tensor.name());
        attachInitializer(v, tensor);
        return v;
    }

    void attachInitializer(Value v, Tensor tensor) {
        v.setInitializer(tensor);
        initializers.add(v);
    }

    /**
     * Drops an initializer that nothing reads any more (and its graph input entry, if it had one).
     *
     * @throws IllegalStateException if the value still has uses or is a graph output
     */
    public void removeInitializer(Value v) {
        if (!v.uses().isEmpty() || isOutput(v) || !v.subgraphOutputReaders().isEmpty()) {
            throw new IllegalStateException("initializer `" + v.name() + "` is still used");
        }
        initializers.remove(v);
        v.setInitializer(null);
        if (v.isGraphInput()) {
            inputs.removeIf(p -> p.value() == v);
            inputPorts.remove(v);
            v.setGraphInput(false);
        }
        valueInfos.remove(v);
        forget(v);
    }

    public List<Value> sparseInitializers() {
        return Collections.unmodifiableList(sparseInitializers);
    }

    void attachSparseInitializer(Value v, SparseTensorProto sparse) {
        v.setSparseInitializer(sparse);
        sparseInitializers.add(v);
    }

    /** The values with a value_info entry, in the list's order. */
    public List<Value> valueInfos() {
        return List.copyOf(valueInfos);
    }

    /** Drops every value_info entry of this graph (not of subgraphs): the declared types of computed values. */
    public void clearValueInfos() {
        for (Value v : valueInfos) {
            v.setValueInfoInternal(null);
        }
        valueInfos.clear();
    }

    void declareValueInfo(Value v, ValueInfoProto info) {
        valueInfos.add(v);
        v.setValueInfoInternal(info);
    }

    void appendValueInfoEntry(Value v) {
        valueInfos.add(v);
    }

    // ---- nodes ---------------------------------------------------------------------------

    /** The number of nodes in this graph (not counting subgraphs). */
    public int nodeCount() {
        return nodeCount;
    }

    /** The nodes in order. Removing the node just returned while iterating is safe. */
    public Iterable<Node> nodes() {
        return () -> new Iterator<>() {
            private Node next = first;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Node next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Node n = next;
                next = n.next;
                return n;
            }
        };
    }

    /** The nodes in order, copied. */
    public List<Node> nodeList() {
        List<Node> out = new ArrayList<>(nodeCount);
        for (Node n = first; n != null; n = n.next) {
            out.add(n);
        }
        return out;
    }

    public Node firstNode() {
        return first;
    }

    public Node lastNode() {
        return last;
    }

    /**
     * Makes a node, not yet in the order (see {@link #append}, {@link #insertBefore}). Its outputs are
     * new values named {@code outputNames}; an empty name is an omitted optional output.
     */
    public Node createNode(String domain, String opType, String name, List<Value> inputs, List<String> outputNames) {
        Node n = new Node(this, null, name, domain, opType);
        for (Value in : inputs) {
            n.addInput(in);
        }
        for (String out : outputNames) {
            if (out == null || out.isEmpty()) {
                n.addOutputInternal(null);
                continue;
            }
            if (lookup(out) != null) {
                throw new IllegalArgumentException("output `" + out + "` of new " + opType + ": the name is taken");
            }
            Value v = newValue(out);
            v.setProducer(n, n.outputCount());
            n.addOutputInternal(v);
        }
        return n;
    }

    /** Makes a node and appends it to the order. */
    public Node addNode(String opType, List<Value> inputs, List<String> outputNames) {
        Node n = createNode("", opType, "", inputs, outputNames);
        append(n);
        return n;
    }

    Node importNode(NodeProto proto) {
        Node n = new Node(this, proto, proto.hasName() ? proto.getName() : null,
                proto.hasDomain() ? proto.getDomain() : null, proto.getOpType());
        append(n);
        return n;
    }

    public void append(Node n) {
        checkDetached(n);
        n.prev = last;
        n.next = null;
        if (last == null) {
            first = n;
        } else {
            last.next = n;
        }
        last = n;
        n.attached = true;
        nodeCount++;
    }

    /** Inserts {@code n} right before {@code anchor}, which must be in this graph. */
    public void insertBefore(Node anchor, Node n) {
        checkDetached(n);
        checkMember(anchor);
        n.next = anchor;
        n.prev = anchor.prev;
        if (anchor.prev == null) {
            first = n;
        } else {
            anchor.prev.next = n;
        }
        anchor.prev = n;
        n.attached = true;
        nodeCount++;
    }

    /** Inserts {@code n} right after {@code anchor}, which must be in this graph. */
    public void insertAfter(Node anchor, Node n) {
        checkMember(anchor);
        if (anchor.next == null) {
            append(n);
        } else {
            insertBefore(anchor.next, n);
        }
    }

    /**
     * Removes a node whose outputs nothing reads any more; its inputs lose the uses it made.
     *
     * @throws IllegalStateException if an output still has uses or is a graph output
     */
    public void remove(Node n) {
        checkMember(n);
        for (Value out : n.outputs()) {
            if (out != null && (!out.uses().isEmpty() || isOutput(out) || !out.subgraphOutputReaders().isEmpty())) {
                throw new IllegalStateException("cannot remove " + n.describe() + ": its output `" + out.name()
                        + "` is still used");
            }
        }
        unlink(n);
        n.detachInputs();
        for (Value out : n.outputs()) {
            if (out != null) {
                out.setProducer(null, -1);
                valueInfos.remove(out);
                forget(out);
            }
        }
    }

    /**
     * Throws away a node made by {@link #createNode} that was never inserted: its inputs lose the
     * uses it made and its output names are free again.
     */
    public void discard(Node n) {
        if (n.graph() != this || n.attached) {
            throw new IllegalArgumentException(n.describe() + " is not a detached node of this graph");
        }
        n.detachInputs();
        for (Value out : n.outputs()) {
            if (out != null) {
                out.setProducer(null, -1);
                forget(out);
            }
        }
    }

    /** Takes {@code n} out of the order without touching its values (to move it elsewhere). */
    public void unlink(Node n) {
        checkMember(n);
        if (n.prev == null) {
            first = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            last = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        n.prev = n.next = null;
        n.attached = false;
        nodeCount--;
    }

    /**
     * Makes every reader of {@code old} read {@code replacement} instead: node inputs (here and in
     * subgraphs) and graph output entries (here and in subgraphs that return {@code old} as it is).
     * Costs the number of uses.
     */
    public void replaceAllUsesWith(Value old, Value replacement) {
        Objects.requireNonNull(replacement);
        if (old == replacement) {
            return;
        }
        for (Use u : List.copyOf(old.uses())) {
            u.user().setInput(u.index(), replacement);
        }
        redirectOutputs(old, replacement);
        for (Graph sub : List.copyOf(old.subgraphOutputReaders())) {
            sub.redirectOutputs(old, replacement);
        }
    }

    /** Makes this graph's output entries of {@code old} name {@code replacement}. */
    private void redirectOutputs(Value old, Value replacement) {
        Port port = outputPorts.remove(old);
        if (port == null) {
            return;
        }
        for (Port p : outputs) {
            if (p.value() == old) {
                p.setValue(replacement);
            }
        }
        outputPorts.putIfAbsent(replacement, port);
        old.removeSubgraphOutputReader(this);
        if (replacement.graph() != this) {
            replacement.addSubgraphOutputReader(this);
        }
    }

    private void checkDetached(Node n) {
        if (n.graph() != this) {
            throw new IllegalArgumentException(n.describe() + " belongs to another graph");
        }
        if (n.attached) {
            throw new IllegalStateException(n.describe() + " is already in the graph");
        }
    }

    private void checkMember(Node n) {
        if (n.graph() != this || !n.attached) {
            throw new IllegalArgumentException(n.describe() + " is not in graph `" + name + "`");
        }
    }

    // ---- writing -------------------------------------------------------------------------

    /** The proto form, tensors written as they were read. */
    public GraphProto toProto() {
        return toProto(TensorEncoder.INLINE);
    }

    /** The proto form; fields this class does not model come from the original proto unchanged. */
    public GraphProto toProto(TensorEncoder encoder) {
        GraphProto.Builder b = original != null ? original.toBuilder() : GraphProto.newBuilder();
        if (original == null || !Objects.equals(name, original.getName())) {
            if (name == null) {
                b.clearName();
            } else {
                b.setName(name);
            }
        }
        b.clearNode();
        for (Node n = first; n != null; n = n.next) {
            b.addNode(n.toProto(encoder));
        }
        b.clearInitializer();
        for (Value v : initializers) {
            b.addInitializer(encoder.encode(v.initializer()));
        }
        b.clearSparseInitializer();
        for (Value v : sparseInitializers) {
            b.addSparseInitializer(v.sparseInitializer());
        }
        b.clearInput();
        inputs.forEach(p -> b.addInput(named(p.declaration(), p.value().name())));
        b.clearOutput();
        outputs.forEach(p -> b.addOutput(named(p.declaration(), p.value().name())));
        b.clearValueInfo();
        valueInfos.forEach(v -> b.addValueInfo(named(v.valueInfo(), v.name())));
        return b.build();
    }

    private static ValueInfoProto named(ValueInfoProto info, String name) {
        return info.getName().equals(name) ? info : info.toBuilder().setName(name).build();
    }

    @Override
    public String toString() {
        return "graph `" + name + "` (" + nodeCount + " nodes)";
    }
}
