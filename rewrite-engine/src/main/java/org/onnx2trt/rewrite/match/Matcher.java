package org.onnx2trt.rewrite.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.onnx2trt.dsl.ast.AttrPattern;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.dsl.ast.OpRef;
import org.onnx2trt.dsl.ast.PatternArg;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.OpOperands;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.Tensor;

/**
 * Matches a {@link Pattern} at a node: op types first, then inputs (recursively through the
 * producers the pattern names), then attributes. Binary ops that commute are tried in both input
 * orders, so one rule covers {@code Add(x, c)} and {@code Add(c, x)}. Structure only: checks on
 * data ({@code where}) run after a match.
 *
 * <p>A failed match says why, in the words of the rule ({@code `bn` input 0 is not produced by
 * `conv`: it is a graph input}), for the trace's "why did rule R not fire here?".
 */
public final class Matcher {
    /** Ops whose two inputs may be swapped without changing the result. */
    static final Set<String> COMMUTATIVE = Set.of("Add", "Mul", "Min", "Max", "Sum", "Mean", "And", "Or", "Xor",
            "Equal", "BitwiseAnd", "BitwiseOr", "BitwiseXor");

    private final Pattern pattern;
    private final SchemaFacts schema;
    private final long opset;
    private Supplier<String> failure;

    public Matcher(Pattern pattern, SchemaFacts schema, long opset) {
        this.pattern = pattern;
        this.schema = schema;
        this.opset = opset;
    }

    /** A match, or why there is none. */
    /** A match, or the reason there is none (its text made on demand: most attempts fail and nobody asks). */
    public record Result(Match match, Supplier<String> reason) {
        public boolean matched() {
            return match != null;
        }

        public String failure() {
            return reason == null ? null : reason.get();
        }
    }

    /** Tries the pattern with its root at {@code root}. */
    public Result match(Node root) {
        failure = null;
        Match m = matchNode(pattern.root(), root, new Match());
        return new Result(m, m == null ? failure : null);
    }

    private Match matchNode(Pattern.NodePattern np, Node n, Match m) {
        Node bound = m.node(np.name);
        if (bound != null) {
            return bound == n ? m : fail(() -> "`" + np.name + "` would be two different nodes");
        }
        if (!opMatches(np.ops, n)) {
            return fail(() -> "`" + np.name + "` needs " + np.opsText() + ", found " + n.describe());
        }
        if (m.nodes().containsValue(n)) {
            return fail(() -> n.describe() + " is already matched by another binding");
        }
        // Bind in place: a failure below fails this whole attempt, and the only alternatives (the two
        // orders of a commutative node) each start from their own copy (see matchInputs).
        Match next = m;
        next.bindNode(np.name, n);
        next = matchAttributes(np, n, next);
        if (next == null) {
            return null;
        }
        if (COMMUTATIVE.contains(n.opType()) && n.isStandardDomain() && np.inputs.size() == 2 && n.inputCount() == 2) {
            if (literalWantsSwap(np, n)) { // Mul(0.5, x) for the pattern Mul(x, 0.5): the constant's order first
                Match swapped = matchInputs(np, n, next, new int[] {1, 0});
                if (swapped != null) {
                    return swapped;
                }
            }
            Match straight = matchInputs(np, n, next, new int[] {0, 1});
            if (straight != null) {
                return straight;
            }
            Supplier<String> firstFailure = failure;
            Match swapped = matchInputs(np, n, next, new int[] {1, 0});
            if (swapped == null) {
                failure = firstFailure; // report the reading in the rule's own order
            }
            return swapped;
        }
        return matchInputs(np, n, next, null);
    }

    /**
     * Whether a literal input of the pattern ({@code Mul(x, 0.5)}, captured as {@code $1} and checked
     * after the match) sits where the node has no constant and the other input is one: then the
     * swapped order is the one its check can pass.
     */
    private static boolean literalWantsSwap(Pattern.NodePattern np, Node n) {
        for (int i = 0; i < 2; i++) {
            String v = np.inputs.get(i).variable();
            if (v != null && v.startsWith("$") && n.input(i) != null && !n.input(i).isConstant()
                    && n.input(1 - i) != null && n.input(1 - i).isConstant()) {
                return true;
            }
        }
        return false;
    }

    private Match matchInputs(Pattern.NodePattern np, Node n, Match m, int[] order) {
        int present = presentInputCount(n);
        boolean variadic = !np.inputs.isEmpty() && np.inputs.get(np.inputs.size() - 1).kind() == PatternArg.Kind.VARIADIC;
        if (!variadic && present > np.inputs.size()) {
            return fail(() -> "`" + np.name + "` has " + present + " inputs, the pattern names " + np.inputs.size());
        }
        // A commutative node tries two orders from the same start: each needs its own copy. In
        // fixed order there is no alternative to return to, so bindings go into m itself.
        Match cur = order == null ? m : m.copy();
        for (int i = 0; i < np.inputs.size(); i++) {
            Pattern.InputPattern ip = np.inputs.get(i);
            int index = order == null ? i : order[i];
            if (ip.kind() == PatternArg.Kind.VARIADIC) {
                List<Value> rest = new ArrayList<>();
                for (int k = index; k < n.inputCount(); k++) {
                    rest.add(n.input(k));
                }
                cur.bindVariadic(ip.variable(), rest);
                continue;
            }
            if (index >= n.inputCount()) { // perhaps an operand this opset carries as an attribute
                var form = schema.attributeForm(n.domain(), n.opType(), opset, index);
                if (form.isPresent()) {
                    cur = matchAttributeOperand(np, i, ip, n, form.get(), cur);
                    if (cur == null) {
                        return null;
                    }
                    continue;
                }
            }
            Value v = n.input(index);
            cur = matchInput(np, i, ip, v, cur);
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    private Match matchInput(Pattern.NodePattern np, int position, Pattern.InputPattern ip, Value v, Match m) {
        switch (ip.kind()) {
            case WILDCARD -> {
                return v != null ? m : fail(() -> "`" + np.name + "` input " + position + " is absent");
            }
            case ANY -> {
                return m;
            }
            case OPTIONAL -> {
                return bindValue(ip.variable(), v, m);
            }
            default -> {
                if (v == null) {
                    return fail(() -> "`" + np.name + "` input " + position + " (`" + ip.variable() + "`) is absent");
                }
                if (ip.producer() == null) {
                    return bindValue(ip.variable(), v, m);
                }
                Node producer = v.producer();
                if (producer == null || v.producerIndex() != 0) {
                    return fail(() -> "`" + np.name + "` input " + position + " is not computed by `" + ip.producer().name
                            + "`: `" + v.name() + "` is " + (producer == null ? origin(v) : "output "
                            + v.producerIndex() + " of " + producer.describe()));
                }
                return matchNode(ip.producer(), producer, m);
            }
        }
    }

    /**
     * An input position the node's opset writes as an attribute: the variable binds the attribute's
     * value as the tensor the input would hold, so one pattern reads both forms.
     */
    private Match matchAttributeOperand(Pattern.NodePattern np, int position, Pattern.InputPattern ip, Node n,
                                        OpOperands.AttributeForm form, Match m) {
        Attribute a = n.attribute(form.attribute());
        Tensor t = a == null ? null : OpOperands.toTensor(a, form.operand());
        String where = " (the attribute `" + form.attribute() + "` at opset " + opset + ")";
        switch (ip.kind()) {
            case ANY -> {
                return m;
            }
            case WILDCARD -> {
                return t != null ? m : fail(() -> "`" + np.name + "` input " + position + where + " is absent");
            }
            case OPTIONAL -> {
                if (t == null) {
                    return bindValue(ip.variable(), null, m);
                }
            }
            default -> {
                if (t == null) {
                    return fail(() -> "`" + np.name + "` input " + position + " (`" + ip.variable() + "`)" + where + " is absent");
                }
                if (ip.producer() != null) {
                    return fail(() -> "`" + np.name + "` input " + position + where + " is not computed by `"
                            + ip.producer().name + "`");
                }
            }
        }
        if (m.hasValue(ip.variable()) || m.attributeOperand(ip.variable()) != null) {
            return fail(() -> "`" + ip.variable() + "` names two operands, one of them an attribute" + where);
        }
        m.bindAttributeOperand(ip.variable(), t);
        return m;
    }

    private Match bindValue(String variable, Value v, Match m) {
        if (m.hasValue(variable)) {
            return m.value(variable) == v ? m : fail(() -> "`" + variable + "` would be two different values: `"
                    + name(m.value(variable)) + "` and `" + name(v) + "`");
        }
        m.bindValue(variable, v);
        return m;
    }

    private Match matchAttributes(Pattern.NodePattern np, Node n, Match m) {
        for (AttrPattern ap : np.attrs) {
            Attribute a = n.attribute(ap.attr());
            Object value = a != null ? attributeValue(a) : schema.defaultValue(n.domain(), n.opType(), opset, ap.attr());
            if (ap.variable() != null) {
                m.bindAttribute(ap.variable(), value);
            } else if (!literalEquals(ap.value(), value)) {
                return fail(() -> "`" + np.name + "` needs " + ap.attr() + " = " + literalText(ap.value()) + ", found "
                        + (value == null ? "none" : value));
            }
        }
        return m;
    }

    /** An attribute's value as a Java object: Long, Double, String, List of those, or Tensor. */
    public static Object attributeValue(Attribute a) {
        return switch (a.type()) {
            case INT -> a.asInt();
            case FLOAT -> (double) a.asFloat();
            case STRING -> a.asString();
            case INTS -> List.copyOf(a.asInts());
            case FLOATS -> a.asFloats().stream().map(Float::doubleValue).toList();
            case STRINGS -> a.proto().getStringsList().stream().map(s -> s.toStringUtf8()).toList();
            case TENSOR -> Tensor.fromProto(a.asTensor());
            default -> a.proto();
        };
    }

    private static boolean literalEquals(Expr literal, Object value) {
        if (literal instanceof Expr.Int i) {
            return value instanceof Long l && l == i.value() || value instanceof Double d && d == i.value();
        }
        if (literal instanceof Expr.Float f) {
            return value instanceof Number n && (float) n.doubleValue() == (float) f.value();
        }
        if (literal instanceof Expr.Str s) {
            return s.value().equals(value);
        }
        if (literal instanceof Expr.Bool b) {
            return value instanceof Long l && (l != 0) == b.value();
        }
        if (literal instanceof Expr.ListOf list) {
            if (!(value instanceof List<?> values) || values.size() != list.items().size()) {
                return false;
            }
            for (int i = 0; i < values.size(); i++) {
                if (!literalEquals(list.items().get(i), values.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static String literalText(Expr literal) {
        if (literal instanceof Expr.Str s) {
            return "\"" + s.value() + "\"";
        }
        if (literal instanceof Expr.Int i) {
            return Long.toString(i.value());
        }
        if (literal instanceof Expr.Float f) {
            return Double.toString(f.value());
        }
        if (literal instanceof Expr.ListOf list) {
            return list.items().stream().map(Matcher::literalText).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(literal);
    }

    private static boolean opMatches(List<OpRef> ops, Node n) {
        for (OpRef op : ops) {
            boolean domainOk = op.domain().isEmpty() ? n.isStandardDomain() : op.domain().equals(n.domain());
            if (domainOk && op.op().equals(n.opType())) {
                return true;
            }
        }
        return false;
    }

    /** Inputs up to the last one present (trailing omitted optionals do not count). */
    private static int presentInputCount(Node n) {
        int count = n.inputCount();
        while (count > 0 && n.input(count - 1) == null) {
            count--;
        }
        return count;
    }

    private static String origin(Value v) {
        if (v.isInitializer()) {
            return "an initializer";
        }
        return v.isGraphInput() ? "a graph input" : "not defined";
    }

    private static String name(Value v) {
        return v == null ? "(absent)" : v.name();
    }

    /** Records the first reason an attempt failed; the text is built only when someone asks for it. */
    private Match fail(Supplier<String> why) {
        if (failure == null) {
            failure = why;
        }
        return null;
    }

    @Override
    public String toString() {
        return "Matcher(" + Objects.toString(pattern.root().name) + ")";
    }
}
