package org.onnx2trt.verify.property;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onnx2trt.dsl.ast.Check;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.eval.Environment;
import org.onnx2trt.rewrite.eval.EvalException;
import org.onnx2trt.rewrite.eval.Evaluator;

/**
 * What a rule's checks ask of its variables, read from the checks' text so that generation can aim at
 * instances that fire: a Gelu rule's {@code allEqual(half, 0.5)} makes the generator fill {@code half}
 * with 0.5 most of the time, a HardSwish rule's {@code abs(a - 1.0 / 6) < 1e-6} sets the HardSigmoid's
 * alpha to 1/6, {@code isScalar(eps)} makes {@code eps} a scalar. Unaimed draws stay: a check must
 * also see values that fail it.
 *
 * <p>Forms understood, each as one conjunct of a check: {@code allEqual(v, C)}, {@code allClose(v, C)},
 * {@code allZero(v)} ({@code v} may be written {@code v ?? D} in each), {@code v == C},
 * {@code (v ?? D) == C}, {@code abs(v - C) < E}, {@code isScalar(v)}, {@code perChannel(v, axis: A, ...)},
 * {@code onlyOutput(n)}, {@code rank(v) == N}, {@code gather(p, p) == p} (p the identity),
 * {@code asDtype(t) == dtype(x)}, {@code losslessCast(dtype(x), asDtype(t))}, {@code a == b} (two
 * names), {@code size(v) <= rank(x)}, {@code producer(v) == "Op"} (a Conv, or a DQ(Q(v)), made for it),
 * {@code shape(w)[k] >= N} (channel and matrix dims of N or 2N), {@code
 * (param("k") ?? D) == C} (the instance given that parameter); of a disjunction, one alternative drawn per instance (the one
 * that asks something two times in three). Where {@code C} is a constant
 * expression (literals, lists of them, + − × ÷ of them).
 */
final class Aims {
    /** The value aimed at a permutation {@code p} that a check wants to be the identity ({@code gather(p, p) == p}). */
    static final Object IDENTITY = new Object() {
        @Override
        public String toString() {
            return "the identity permutation";
        }
    };

    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, Long> ranks = new HashMap<>();
    private final Set<String> scalars = new HashSet<>();
    private final Map<String, Long> channelAxes = new HashMap<>();
    private final Set<String> onlyOutputs = new HashSet<>();
    private final Map<String, String> sameDtypeAs = new HashMap<>();
    private final Map<String, String> losslessFrom = new HashMap<>();
    private final Map<String, String> equalTo = new HashMap<>();
    private final Map<String, String> producers = new HashMap<>();
    private final Map<String, Object> parameters = new HashMap<>();
    private final Map<String, String> noLongerThanRank = new HashMap<>();
    private long width;

    private final Choices choices;
    private boolean insideAlternative;

    private Aims(Choices choices) {
        this.choices = choices;
    }

    /** The aims of one instance: the same for every instance but where a check is a disjunction. */
    static Aims of(CompiledRule rule, Choices choices) {
        Aims aims = new Aims(choices);
        for (Check c : rule.decl().checks()) {
            aims.read(c.condition());
        }
        return aims;
    }

    /** The value the checks want {@code variable} to hold (Long, Double, or a List of them), or null. */
    Object value(String variable) {
        return variable == null ? null : values.get(variable);
    }

    /**
     * The axis of the tensor it broadcasts against along which a check ({@code perChannel(v, axis: A,
     * rank: R)}) wants {@code variable} to run, or null.
     */
    Long channelAxis(String variable) {
        return variable == null ? null : channelAxes.get(variable);
    }

    /** Whether a check asks for the output of binding {@code name} to be a graph output no node reads ({@code onlyOutput}). */
    boolean onlyOutput(String name) {
        return onlyOutputs.contains(name);
    }

    /** The rank a check ({@code rank(v) == N}) asks of {@code variable}, or null. */
    Long rank(String variable) {
        return variable == null ? null : ranks.get(variable);
    }

    /** The variable whose element type a check ({@code asDtype(t) == dtype(x)}) asks type attribute {@code variable} to name, or null. */
    String sameDtypeAs(String variable) {
        return variable == null ? null : sameDtypeAs.get(variable);
    }

    /**
     * The variable every value of which a check ({@code losslessCast(dtype(x), asDtype(t))}) asks the
     * type named by attribute {@code variable} to hold, or null.
     */
    String losslessFrom(String variable) {
        return variable == null ? null : losslessFrom.get(variable);
    }

    /** The op a check ({@code producer(v) == "Conv"}) asks to make {@code variable}, or null. */
    String producer(String variable) {
        return variable == null ? null : producers.get(variable);
    }

    /** The recipe parameters the checks ask for ({@code (param("k") ?? D) == C}): what an aimed instance is given. */
    Map<String, Object> parameters() {
        return parameters;
    }

    /** The other variable a check ({@code a == b}, both names) asks {@code variable} to equal, or null. */
    String equalTo(String variable) {
        return variable == null ? null : equalTo.get(variable);
    }

    /** The variable whose rank a check ({@code size(v) <= rank(x)}) asks the size of {@code variable} not to exceed, or null. */
    String noLongerThanRankOf(String variable) {
        return variable == null ? null : noLongerThanRank.get(variable);
    }

    /** The least size checks ask of a dim ({@code shape(w)[k] >= N}: the largest such N), or 0. */
    long width() {
        return width;
    }

    /** Whether a check asks for {@code variable} to be a scalar. */
    boolean scalar(String variable) {
        return variable != null && scalars.contains(variable);
    }

    private void read(Expr e) {
        if (e instanceof Expr.Binary b && b.op().equals("and")) {
            read(b.left());
            read(b.right());
            return;
        }
        if (e instanceof Expr.Binary b && b.op().equals("or") && b.left() instanceof Expr.Unary u && u.op().equals("not")
                && u.operand() instanceof Expr.Call c && c.function().equals("bound")) {
            read(b.right()); // `not bound(v) or ...`: what a form that binds v asks of it
            return;
        }
        if (e instanceof Expr.Binary b && b.op().equals("or")) {
            // A disjunction: aim at one alternative, drawn (two times in three the one that asks
            // something, where only one does); inside it, at the first of any nested one.
            boolean top = !insideAlternative;
            insideAlternative = true;
            Expr chosen = b.left();
            if (top) {
                boolean left = asksSomething(b.left());
                boolean right = asksSomething(b.right());
                int draw = choices.draw(6);
                chosen = left == right ? (draw < 3 ? b.left() : b.right())
                        : (draw < 4) == left ? b.left() : b.right();
            }
            read(chosen);
            insideAlternative = !top;
            return;
        }
        if (e instanceof Expr.Binary b && b.op().equals("==") && calledOnName(b.left(), "producer") != null
                && b.right() instanceof Expr.Str op) {
            producers.putIfAbsent(calledOnName(b.left(), "producer"), op.value());
            return;
        }
        if (e instanceof Expr.Binary b && b.op().equals("==") && parameterName(b.left()) != null
                && constant(b.right()) != null) {
            parameters.putIfAbsent(parameterName(b.left()), constant(b.right()));
            return;
        }
        if (e instanceof Expr.Binary b && b.op().equals("==") && variable(b.left()) != null && variable(b.right()) != null) {
            equalTo.putIfAbsent(variable(b.left()), variable(b.right())); // whichever is drawn second copies the first
            equalTo.putIfAbsent(variable(b.right()), variable(b.left()));
            return;
        }
        if (e instanceof Expr.Binary b && b.op().equals(">=") && b.left() instanceof Expr.Index i
                && calledOnName(i.target(), "shape") != null && constant(b.right()) instanceof Long n) {
            width = Math.max(width, n); // shape(w)[k] >= N: channels or matrix dims of at least N
            return;
        }
        if (e instanceof Expr.Binary b && b.op().equals("<=") && calledOnName(b.left(), "size") != null
                && calledOnName(b.right(), "rank") != null) {
            noLongerThanRank.putIfAbsent(calledOnName(b.left(), "size"), calledOnName(b.right(), "rank"));
            return;
        }
        if (e instanceof Expr.Call call && call.args().size() >= 2
                && (call.function().equals("allEqual") || call.function().equals("allClose"))
                && variable(call.args().get(0).value()) != null) {
            aim(variable(call.args().get(0).value()), constant(call.args().get(1).value()));
        } else if (e instanceof Expr.Call call && call.function().equals("allZero") && call.args().size() == 1
                && variable(call.args().get(0).value()) != null) {
            aim(variable(call.args().get(0).value()), 0L);
        } else if (e instanceof Expr.Call call && call.function().equals("perChannel") && !call.args().isEmpty()
                && call.args().get(0).value() instanceof Expr.Name n) {
            for (Expr.Arg a : call.args()) {
                if ("axis".equals(a.name()) && constant(a.value()) instanceof Long axis) {
                    channelAxes.putIfAbsent(n.name(), axis);
                }
            }
        } else if (e instanceof Expr.Call call && call.function().equals("onlyOutput")) {
            call.args().stream().filter(a -> a.value() instanceof Expr.Name).forEach(a -> onlyOutputs.add(((Expr.Name) a.value()).name()));
        } else if (e instanceof Expr.Call call && call.function().equals("isScalar") && call.args().size() == 1
                && call.args().get(0).value() instanceof Expr.Name n) {
            scalars.add(n.name());
        } else if (e instanceof Expr.Binary b && b.op().equals("==") && calledOnName(b.left(), "asDtype") != null
                && calledOnName(b.right(), "dtype") != null) {
            sameDtypeAs.putIfAbsent(calledOnName(b.left(), "asDtype"), calledOnName(b.right(), "dtype"));
        } else if (e instanceof Expr.Call call && call.function().equals("losslessCast") && call.args().size() == 2
                && calledOnName(call.args().get(0).value(), "dtype") != null
                && calledOnName(call.args().get(1).value(), "asDtype") != null) {
            losslessFrom.putIfAbsent(calledOnName(call.args().get(1).value(), "asDtype"),
                    calledOnName(call.args().get(0).value(), "dtype"));
        } else if (e instanceof Expr.Binary b && b.op().equals("==") && b.left() instanceof Expr.Call rank
                && rank.function().equals("rank") && rank.args().size() == 1 && rank.args().get(0).value() instanceof Expr.Name n
                && constant(b.right()) instanceof Long r) {
            ranks.putIfAbsent(n.name(), r);
        } else if (e instanceof Expr.Binary b && b.op().equals("==") && b.left() instanceof Expr.Call gather
                && gather.function().equals("gather") && gather.args().size() == 2 && b.right() instanceof Expr.Name p
                && gather.args().stream().allMatch(a -> a.value() instanceof Expr.Name n && n.name().equals(p.name()))) {
            aim(p.name(), IDENTITY); // gather(p, p) == p: p composed with itself is p, the identity
        } else if (e instanceof Expr.Binary b && b.op().equals("==")) {
            String v = variable(b.left());
            aim(v, v == null ? null : constant(b.right()));
        } else if (e instanceof Expr.Binary b && b.op().equals("<") && b.left() instanceof Expr.Call abs
                && abs.function().equals("abs") && abs.args().size() == 1
                && abs.args().get(0).value() instanceof Expr.Binary diff && diff.op().equals("-")
                && diff.left() instanceof Expr.Name n) {
            aim(n.name(), constant(diff.right()));
        }
    }

    /** Whether {@code e} holds a form these aims read (nested disjunctions read by their first alternative). */
    private static boolean asksSomething(Expr e) {
        Aims scratch = new Aims(null);
        scratch.insideAlternative = true;
        scratch.read(e);
        return !(scratch.values.isEmpty() && scratch.ranks.isEmpty() && scratch.scalars.isEmpty()
                && scratch.producers.isEmpty() && scratch.parameters.isEmpty()
                && scratch.channelAxes.isEmpty() && scratch.onlyOutputs.isEmpty() && scratch.sameDtypeAs.isEmpty()
                && scratch.losslessFrom.isEmpty() && scratch.equalTo.isEmpty() && scratch.noLongerThanRank.isEmpty()
                && scratch.width == 0);
    }

    /** The name {@code k} in {@code param("k")} or {@code param("k") ?? D}, else null. */
    private static String parameterName(Expr e) {
        Expr call = e instanceof Expr.Binary b && b.op().equals("??") ? b.left() : e;
        return call instanceof Expr.Call c && c.function().equals("param") && c.args().size() == 1
                && c.args().get(0).value() instanceof Expr.Str s ? s.value() : null;
    }

    /** The name {@code v} in {@code function(v)}, else null. */
    private static String calledOnName(Expr e, String function) {
        return e instanceof Expr.Call c && c.function().equals(function) && c.args().size() == 1
                && c.args().get(0).value() instanceof Expr.Name n ? n.name() : null;
    }

    /** {@code v} or {@code (v ?? default)}: the variable named, else null. */
    private static String variable(Expr e) {
        if (e instanceof Expr.Name n) {
            return n.name();
        }
        if (e instanceof Expr.Binary b && b.op().equals("??") && b.left() instanceof Expr.Name n) {
            return n.name();
        }
        return null;
    }

    private void aim(String variable, Object value) {
        if (variable != null && value != null) {
            values.putIfAbsent(variable, value);
        }
    }

    /** Evaluates expressions that name nothing: the rule language's own arithmetic, so an aim is what the check computes. */
    private static final Evaluator CONSTANTS = new Evaluator(new Environment() {
        @Override
        public Object lookup(String name) {
            return UNBOUND;
        }

        @Override
        public Object callPredicate(String name, List<Object> args, Map<String, Object> named) {
            throw new EvalException("`" + name + "` needs a graph");
        }
    });

    /**
     * The value of a constant expression (a number, a string, a list of numbers; a bool as 1 or 0, as
     * attributes hold it), or null when it is not one.
     */
    static Object constant(Expr e) {
        Object v;
        try {
            v = CONSTANTS.evaluate(e);
        } catch (RuntimeException notConstant) { // a name, a graph fact, an integer division by 0: no constant
            return null;
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (v instanceof List<?> list && !list.stream().allMatch(x -> x instanceof Number)) {
            return null;
        }
        return v instanceof Number || v instanceof String || v instanceof List ? v : null;
    }
}
