package org.onnx2trt.rewrite;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onnx2trt.dsl.ast.AttrSet;
import org.onnx2trt.dsl.ast.Check;
import org.onnx2trt.dsl.ast.Construct;
import org.onnx2trt.dsl.ast.Effect;
import org.onnx2trt.dsl.ast.RewriteStatement;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.dsl.schema.AttributeKind;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.OpOperands;
import org.onnx2trt.ir.TensorEncoder;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.rewrite.match.Match;
import org.onnx2trt.rewrite.match.SchemaFacts;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.math.NdArray;

/**
 * Applies one rule to one match, all or nothing: checks, computed constants, new nodes built
 * detached, the result validated, and only then inserted before the root with the old outputs'
 * readers moved over. A rewrite that would break the graph (a replacement reading the value it
 * replaces, an extra output still in use, a graph output that would lose its name) declines and
 * leaves the graph as it was.
 */
final class MatchRewrite {
    private final CompiledRule rule;
    private final RuleExpressions expressions;
    private final SchemaFacts schema;
    private final long opset;
    private final Model model;
    private final Graph graph;
    private final Match match;
    private final Node root;

    private final Map<String, Object> computed = new LinkedHashMap<>();
    private final RuleExpressions.Scope scope;
    private final Map<String, Value> materialized = new LinkedHashMap<>();
    private final Map<String, Value> lets = new LinkedHashMap<>();
    private final List<Node> created = new ArrayList<>();
    private final List<Value> createdInitializers = new ArrayList<>();
    private final Map<Value, Value> replacements = new LinkedHashMap<>();

    MatchRewrite(CompiledRule rule, RuleExpressions expressions, SchemaFacts schema, Model model, Match match, Node root) {
        this.rule = rule;
        this.expressions = expressions;
        this.schema = schema;
        this.opset = model.opsetVersion("");
        this.model = model;
        this.graph = root.graph();
        this.match = match;
        this.root = root;
        this.scope = expressions.scope(model, match, computed);
    }

    /** Runs the checks; null when all pass, else the first failing check's message. */
    String failedCheck() {
        RuleDecl d = rule.decl();
        for (Check c : d.checks()) {
            try {
                Object ok = scope.evaluate(c.condition());
                if (ok instanceof NdArray a && a.size() == 1) {
                    ok = a.getDouble(0) != 0; // `reduceMin(g) > 0`: a one-element comparison, as `and` reads it
                }
                if (!(ok instanceof Boolean b)) {
                    return "check at " + c.span() + " gave " + ok + ", not true or false";
                }
                if (!b) {
                    return c.message();
                }
            } catch (RuleExpressions.EvaluationFailure e) {
                return c.message() + " (cannot evaluate: " + e.getMessage() + ")";
            }
        }
        return null;
    }

    /**
     * Computes, builds and commits the rewrite.
     *
     * @return the values created
     * @throws RewriteException when it cannot be applied; the graph is then unchanged
     */
    List<Value> apply() throws RewriteException {
        try {
            for (var a : rule.decl().computes()) {
                computed.put(a.name(), scope.evaluate(a.value()));
            }
            for (RewriteStatement s : rule.decl().rewrites()) {
                if (s instanceof RewriteStatement.Let let) {
                    Value v = build(let.value()).get(0);
                    if (v == null) {
                        throw new RewriteException("`let " + let.name() + "` names an absent optional input");
                    }
                    lets.put(let.name(), v);
                } else {
                    RewriteStatement.Replace r = (RewriteStatement.Replace) s;
                    List<Value> outs = build(r.value());
                    if (outs.contains(null)) {
                        throw new RewriteException("the replacement of `" + r.targets().get(0) + "` is an absent optional input");
                    }
                    for (int i = 0; i < r.targets().size(); i++) {
                        Node target = match.node(r.targets().get(i));
                        if (target.output(0) == null) { // e.g. a Dropout whose mask alone is read
                            throw new RewriteException(target.describe() + " has no output 0 (it is omitted): there is"
                                    + " nothing to replace, and its other outputs would be left without a producer");
                        }
                        replacements.put(target.output(0), outs.get(i));
                    }
                }
            }
            validate();
        } catch (RuleExpressions.EvaluationFailure e) {
            undo();
            throw new RewriteException("cannot compute: " + e.getMessage());
        } catch (RewriteException e) {
            undo();
            throw e;
        }
        return commit();
    }

    private List<Value> build(Construct c) throws RuleExpressions.EvaluationFailure, RewriteException {
        if (c instanceof Construct.Value v) {
            return java.util.Collections.singletonList(resolve(v.name()));
        }
        Construct.Op op = (Construct.Op) c;
        List<Value> inputs = new ArrayList<>();
        List<Attribute> operandAttributes = new ArrayList<>();
        for (int k = 0; k < op.args().size(); k++) {
            Construct arg = op.args().get(k);
            var form = arg == null ? java.util.Optional.<OpOperands.AttributeForm>empty()
                    : schema.attributeForm(op.op().domain(), op.op().op(), opset, k);
            if (form.isPresent()) { // this opset writes the operand as an attribute (Squeeze's axes before 13)
                operandAttributes.add(operandAttribute(op, arg, form.get()));
                inputs.add(null);
            } else {
                inputs.add(arg == null ? null : build(arg).get(0));
            }
        }
        while (!inputs.isEmpty() && inputs.get(inputs.size() - 1) == null) {
            inputs.remove(inputs.size() - 1); // absent optionals at the end are left out, not written as ""
        }
        if (!operandAttributes.isEmpty() && inputs.contains(null)) {
            throw new RewriteException("the new " + op.op().op() + " gives an input after an operand that opset " + opset
                    + " writes as an attribute");
        }
        List<String> outputNames = new ArrayList<>();
        String base = rule.name() + "/" + op.op().op();
        for (int i = 0; i < op.outputs(); i++) {
            String name = graph.freshName(base + (i == 0 ? "" : "_" + i));
            outputNames.add(name);
        }
        Node n = graph.createNode(op.op().domain(), op.op().op(), graph.freshNodeName(base), inputs, outputNames);
        created.add(n);
        for (AttrSet a : op.attrs()) {
            if (a instanceof AttrSet.CopyFrom from) {
                for (Attribute attr : match.node(from.from()).attributes().values()) {
                    if (attr.graphs().isEmpty()) {
                        n.setAttribute(attr);
                    }
                }
            } else if (a instanceof AttrSet.Drop drop) {
                n.removeAttribute(drop.attr());
            } else if (a instanceof AttrSet.Set set) {
                Object value = scope.evaluate(set.value());
                var declared = schema.attributeKind(op.op().domain(), op.op().op(), opset, set.attr());
                n.setAttribute(declared.isPresent() ? typedAttribute(op, set.attr(), value, declared.get())
                        : toAttribute(set.attr(), value));
            }
        }
        operandAttributes.forEach(n::setAttribute); // after `...from`, which may copy the matched node's
        return n.outputs();
    }

    /**
     * An operand of a new node that the model's opset writes as an attribute: its value must be a
     * constant (computed, matched as a constant, or matched from an attribute).
     */
    private Attribute operandAttribute(Construct.Op op, Construct arg, OpOperands.AttributeForm form)
            throws RuleExpressions.EvaluationFailure, RewriteException {
        String what = "the new " + op.op().op() + "'s `" + form.operand() + "`";
        Object value = null;
        if (arg instanceof Construct.Value v) {
            String name = v.name();
            if (computed.containsKey(name)) {
                value = computed.get(name);
            } else if (match.attributeOperand(name) != null) {
                value = match.attributeOperand(name);
            } else if (!lets.containsKey(name) && match.hasValue(name) && match.value(name) != null
                    && match.value(name).isConstant()) {
                value = match.value(name).initializer();
            }
        }
        if (value == null) {
            throw new RewriteException(what + " is not a constant, and opset " + opset + " writes it as the attribute `"
                    + form.attribute() + "`");
        }
        NdArray array = value instanceof Tensor t ? NdArray.of(t) : NdArray.of(expressions.toTensor(value, form.operand()));
        try {
            return OpOperands.toAttribute(form, array);
        } catch (IllegalArgumentException e) {
            throw new RewriteException(what + ": " + e.getMessage());
        }
    }

    /**
     * A name in the rewrite: a let, a computed constant (as a new initializer), a captured value
     * (null when an optional input is absent), or a matched node's output.
     */
    private Value resolve(String name) throws RuleExpressions.EvaluationFailure, RewriteException {
        if (lets.containsKey(name)) {
            return lets.get(name);
        }
        if (computed.containsKey(name)) {
            Value v = materialized.get(name);
            if (v == null) {
                Tensor t = expressions.toTensor(computed.get(name), graph.freshName(rule.name() + "/" + name));
                v = graph.addInitializer(t);
                createdInitializers.add(v);
                materialized.put(name, v);
            }
            return v;
        }
        Tensor operand = match.attributeOperand(name);
        if (operand != null) { // matched from an attribute; an input in this construct
            Value v = materialized.get(name);
            if (v == null) {
                v = graph.addInitializer(NdArray.of(operand).toTensor(graph.freshName(rule.name() + "/" + name)));
                createdInitializers.add(v);
                materialized.put(name, v);
            }
            return v;
        }
        if (match.hasValue(name)) {
            return match.value(name); // null for an absent optional input: the new node omits it too
        }
        Node n = match.node(name);
        if (n != null) {
            return n.output(0);
        }
        throw new RewriteException("`" + name + "` has no value here");
    }

    /**
     * An attribute of the type the schema declares: a one-element tensor becomes the scalar an
     * {@code int} or {@code float} attribute holds, a tensor the list an {@code ints} or {@code floats}
     * one holds. A value that cannot have that type declines the rewrite, naming both.
     */
    private Attribute typedAttribute(Construct.Op op, String name, Object value, AttributeKind kind)
            throws RuleExpressions.EvaluationFailure, RewriteException {
        Object v = value instanceof NdArray a && (kind == AttributeKind.INT || kind == AttributeKind.FLOAT) && a.size() == 1
                ? (kind == AttributeKind.INT ? (Object) a.getLong(0) : (Object) a.getDouble(0))
                : value instanceof NdArray a && (kind == AttributeKind.INTS || kind == AttributeKind.FLOATS)
                ? (kind == AttributeKind.INTS ? toList(a.toLongArray()) : toList(a.toDoubleArray()))
                : value;
        Attribute attribute = toAttribute(name, v);
        boolean fits = switch (kind) {
            case INT -> attribute.type() == AttributeProto.AttributeType.INT;
            case FLOAT -> attribute.type() == AttributeProto.AttributeType.FLOAT
                    || attribute.type() == AttributeProto.AttributeType.INT;
            case STRING -> attribute.type() == AttributeProto.AttributeType.STRING;
            case INTS -> attribute.type() == AttributeProto.AttributeType.INTS;
            case FLOATS -> attribute.type() == AttributeProto.AttributeType.FLOATS
                    || attribute.type() == AttributeProto.AttributeType.INTS;
            case STRINGS -> attribute.type() == AttributeProto.AttributeType.STRINGS;
            case TENSOR -> attribute.type() == AttributeProto.AttributeType.TENSOR;
            default -> true;
        };
        if (!fits) {
            throw new RewriteException("attribute `" + name + "` of the new " + op.op().op() + " is " + article(kind.spelling())
                    + ", and the rule gives " + org.onnx2trt.rewrite.eval.Values.describe(value));
        }
        if (kind == AttributeKind.FLOAT && attribute.type() == AttributeProto.AttributeType.INT) {
            return Attribute.ofFloat(name, attribute.asInt()); // `{ alpha: 1 }`: the literal 1 meant 1.0
        }
        if (kind == AttributeKind.FLOATS && attribute.type() == AttributeProto.AttributeType.INTS) {
            float[] fs = new float[attribute.asInts().size()];
            for (int i = 0; i < fs.length; i++) {
                fs[i] = attribute.asInts().get(i);
            }
            return Attribute.ofFloats(name, fs);
        }
        return attribute;
    }

    private static String article(String word) {
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    private static List<Object> toList(long[] values) {
        List<Object> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(v);
        }
        return out;
    }

    private static List<Object> toList(double[] values) {
        List<Object> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    private Attribute toAttribute(String name, Object value) throws RuleExpressions.EvaluationFailure {
        if (value instanceof Long || value instanceof Integer) {
            return Attribute.ofInt(name, ((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return Attribute.ofFloat(name, ((Number) value).floatValue());
        }
        if (value instanceof Boolean b) {
            return Attribute.ofInt(name, b ? 1 : 0);
        }
        if (value instanceof String s) {
            return Attribute.ofString(name, s);
        }
        if (value instanceof List<?> list && list.stream().allMatch(x -> x instanceof Long || x instanceof Integer)) {
            return Attribute.ofInts(name, list.stream().mapToLong(x -> ((Number) x).longValue()).toArray());
        }
        if (value instanceof List<?> list && list.stream().allMatch(x -> x instanceof Number)) {
            float[] fs = new float[list.size()];
            for (int i = 0; i < fs.length; i++) {
                fs[i] = ((Number) list.get(i)).floatValue();
            }
            return Attribute.ofFloats(name, fs);
        }
        if (value instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
            AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
            list.forEach(x -> b.addStrings(com.google.protobuf.ByteString.copyFromUtf8((String) x)));
            return Attribute.of(b.build());
        }
        return Attribute.ofTensor(name, TensorEncoder.inlineRaw(expressions.toTensor(value, name)));
    }

    private void validate() throws RewriteException {
        Set<Value> replaced = replacements.keySet();
        for (Node n : created) {
            for (Value in : n.inputs()) {
                if (in != null && replaced.contains(in)) {
                    throw new RewriteException("the replacement reads `" + in.name() + "`, the value it replaces");
                }
            }
        }
        for (Map.Entry<Value, Value> e : replacements.entrySet()) {
            Value old = e.getKey();
            Value repl = e.getValue();
            Node producer = old.producer();
            for (int i = 1; i < producer.outputCount(); i++) {
                Value extra = producer.output(i);
                if (extra != null && (!extra.uses().isEmpty() || extra.isGraphOutput())) {
                    throw new RewriteException(producer.describe() + " output " + i + " (`" + extra.name()
                            + "`) is used, and the rewrite replaces only output 0");
                }
            }
            if (old.isGraphOutput() && !created.contains(repl.producer()) && !canTakeName(repl)) {
                throw new RewriteException("`" + old.name() + "` is a graph output and its replacement `" + repl.name()
                        + "` is " + (repl.isGraphInput() ? "a graph input" : "also a graph output")
                        + "; removing the node would rename the model's interface");
            }
        }
    }

    /** Whether a value that is not new may be renamed to a graph output's name. */
    private static boolean canTakeName(Value v) {
        return !v.isGraphInput() && !v.isGraphOutput();
    }

    private List<Value> commit() {
        for (Node n : created) {
            graph.insertBefore(root, n);
        }
        for (Map.Entry<Value, Value> e : replacements.entrySet()) {
            Value old = e.getKey();
            Value repl = e.getValue();
            boolean output = old.isGraphOutput();
            graph.replaceAllUsesWith(old, repl);
            // A value made by this rewrite takes the name of the one it replaces, which goes away:
            // names stay stable through rewrites, so what is keyed by them (a calibration table, a
            // user's --explain NODE, a TensorRT layer name) still finds the value.
            if (output || repl.producer() != null && created.contains(repl.producer()) && !repl.isGraphOutput()) {
                String name = old.name();
                old.rename(graph.freshName(name + "_replaced"));
                repl.rename(name);
                if (output && graph == model.graph() && rule.decl().metadata().effects().contains(Effect.LOGITS)) {
                    LogitOutputs.add(model, name); // declared in the rule's header: `effect logits`
                }
            }
        }
        // Likewise a node made by this rewrite takes the name of the matched node whose output it
        // replaces, once that node is gone: `--exclude conv1` and layer names keep meaning the layer.
        Map<Node, Node> renames = new IdentityHashMap<>();
        for (Map.Entry<Value, Value> e : replacements.entrySet()) {
            Node old = e.getKey().producer();
            Node made = e.getValue().producer();
            if (old != null && made != null && created.contains(made) && !old.name().isEmpty()
                    && !renames.containsValue(old)) {
                renames.putIfAbsent(made, old);
            }
        }
        removeDeadMatchedNodes();
        renames.forEach((made, old) -> {
            if (!old.isAttached()) {
                made.setName(old.name());
            }
        });
        List<Value> out = new ArrayList<>(createdInitializers);
        created.forEach(n -> n.outputs().forEach(v -> {
            if (v != null) {
                out.add(v);
            }
        }));
        return out;
    }

    /** Removes matched nodes nothing reads any more, and the constants only they read. */
    private void removeDeadMatchedNodes() {
        Set<Node> candidates = new LinkedHashSet<>(match.nodes().values());
        Map<Value, Boolean> inputs = new IdentityHashMap<>();
        boolean removed = true;
        while (removed) {
            removed = false;
            for (Node n : List.copyOf(candidates)) {
                if (n.isAttached() && isDead(n)) {
                    n.inputs().forEach(v -> {
                        if (v != null) {
                            inputs.put(v, true);
                        }
                    });
                    graph.remove(n);
                    candidates.remove(n);
                    removed = true;
                }
            }
        }
        for (Value v : inputs.keySet()) {
            if (v.isConstant() && v.uses().isEmpty() && !v.isGraphOutput() && v.graph() == graph
                    && v.subgraphOutputReaders().isEmpty()) {
                graph.removeInitializer(v);
            }
        }
    }

    private static boolean isDead(Node n) {
        for (Value out : n.outputs()) {
            if (out != null && (!out.uses().isEmpty() || out.isGraphOutput() || !out.subgraphOutputReaders().isEmpty())) {
                return false;
            }
        }
        return true;
    }

    private void undo() {
        for (int i = created.size() - 1; i >= 0; i--) {
            graph.discard(created.get(i));
        }
        for (Value v : createdInitializers) {
            if (v.uses().isEmpty()) {
                graph.removeInitializer(v);
            }
        }
    }
}
