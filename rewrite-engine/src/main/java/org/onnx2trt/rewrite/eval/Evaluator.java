package org.onnx2trt.rewrite.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.dsl.sema.RuleChecker;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.math.ArrayException;
import org.onnx2trt.tensor.math.ArrayMath;
import org.onnx2trt.tensor.math.DTypes;
import org.onnx2trt.tensor.math.NdArray;
import org.onnx2trt.tensor.math.ShapeOps;
import org.onnx2trt.tensor.math.Shapes;

/**
 * Evaluates the expressions of a rule: the {@code where} checks and the {@code compute} constants.
 * Values are those described in {@link Values}; names come from the {@link Environment}, builtins are
 * computed here (or asked of the environment where they need the graph), {@code native} calls go to
 * the {@link NativeFunctions}.
 *
 * <p>Operators:
 * <ul>
 *   <li>{@code + - * / %}, unary {@code -}: elementwise with broadcasting on tensors, exact on plain
 *       numbers; see {@link ArrayMath}. Lists in arithmetic are tensors (use {@code concat} to join lists).
 *   <li>{@code == != < <= > >=}: a bool tensor, elementwise, when a side is a tensor (or a graph value,
 *       read as its constant); otherwise a Boolean: numbers by value, lists item by item, dtypes,
 *       strings and bools by equality. Only numbers and tensors are ordered.
 *   <li>{@code and}, {@code or} (short-circuit), {@code not}: on Booleans or one-element tensors.
 *   <li>{@code a ?? b}: {@code b} when {@code a} is an absent optional (null), else {@code a}.
 *   <li>{@code x[i]}: an item of a list, or the sub-tensor at {@code i} along axis 0; a negative index
 *       counts from the end.
 * </ul>
 * Every failure is an {@link EvalException} placed at the innermost expression that failed.
 */
public final class Evaluator {
    private final Environment env;
    private final NativeFunctions natives;
    private final BuiltinCalls builtins;

    public Evaluator(Environment env, NativeFunctions natives) {
        this.env = env;
        this.natives = natives;
        this.builtins = new BuiltinCalls(this, env);
    }

    public Evaluator(Environment env) {
        this(env, NativeFunctions.none());
    }

    /** The value of {@code e}. */
    public Object evaluate(Expr e) {
        try {
            return eval(e);
        } catch (EvalException x) {
            throw x.at(e.span());
        } catch (ArrayException x) {
            throw new EvalException(x.reason(), e.span(), x);
        }
    }

    /** The value of a {@code where} check: true or false; fails for anything else. */
    public boolean check(Expr condition) {
        Object v = evaluate(condition);
        try {
            return truth(v, "a check");
        } catch (EvalException x) {
            throw x.at(condition.span());
        } catch (ArrayException x) {
            throw new EvalException(x.reason(), condition.span(), x);
        }
    }

    private Object eval(Expr e) {
        if (e instanceof Expr.Int i) {
            return i.value();
        }
        if (e instanceof Expr.Float f) {
            return f.value();
        }
        if (e instanceof Expr.Str s) {
            return s.value();
        }
        if (e instanceof Expr.Bool b) {
            return b.value();
        }
        if (e instanceof Expr.Name n) {
            return name(n.name());
        }
        if (e instanceof Expr.ListOf l) {
            List<Object> items = new ArrayList<>(l.items().size());
            for (Expr item : l.items()) {
                items.add(evaluate(item));
            }
            return Collections.unmodifiableList(items);
        }
        if (e instanceof Expr.Unary u) {
            Object v = evaluate(u.operand());
            if (u.op().equals("not")) {
                return !truth(v, "`not`");
            }
            return ArrayMath.unary("neg", operand(v, u.operand(), "`-`"));
        }
        if (e instanceof Expr.Binary b) {
            return binary(b);
        }
        if (e instanceof Expr.Index i) {
            if (i.target() instanceof Expr.Call c && c.function().equals("shape") && !c.isNative() && c.args().size() == 1) {
                Object of = evaluate(c.args().get(0).value());
                if (Values.isGraphValue(of)) { // shape(x)[k]: that one dim, which may be static when others are not
                    return Values.normalize(env.dim(of, longValue(evaluate(i.index()), "an index")));
                }
            }
            return index(evaluate(i.target()), i.target(), evaluate(i.index()));
        }
        if (e instanceof Expr.Member m) {
            Object record = evaluate(m.target());
            if (!(record instanceof Map<?, ?> fields) || !fields.containsKey(m.field())) {
                throw new EvalException(nameOf(m.target()) + " has no field `" + m.field() + "`");
            }
            return fields.get(m.field());
        }
        Expr.Call c = (Expr.Call) e;
        if (!c.isNative() && c.function().equals("bound") && c.args().size() == 1 && c.args().get(0).value() instanceof Expr.Name n) {
            return env.lookup(n.name()) != Environment.UNBOUND; // asks about the name, not its value
        }
        return c.isNative() ? nativeCall(c) : builtins.call(c);
    }

    private Object name(String name) {
        if (RuleChecker.DTYPE_NAMES.contains(name)) {
            for (DataType t : DataType.values()) {
                if (t.displayName().equals(name)) {
                    return t;
                }
            }
        }
        Object v = env.lookup(name);
        if (v == Environment.UNBOUND) {
            throw new EvalException("unknown name `" + name + "`");
        }
        return Values.normalize(v);
    }

    private Object binary(Expr.Binary b) {
        String op = b.op();
        if (op.equals("and") || op.equals("or")) {
            boolean left = truth(evaluate(b.left()), "`" + op + "`");
            if (op.equals("and") ? !left : left) {
                return left; // short-circuit: the right side is not evaluated
            }
            return truth(evaluate(b.right()), "`" + op + "`");
        }
        if (op.equals("??")) {
            Object left = evaluate(b.left());
            return left != null ? left : evaluate(b.right());
        }
        Object left = evaluate(b.left());
        Object right = evaluate(b.right());
        return switch (op) {
            case "+", "-", "*", "/", "%" -> ArrayMath.binary(op,
                    operand(left, b.left(), "`" + op + "`"), operand(right, b.right(), "`" + op + "`"));
            case "==", "!=", "<", "<=", ">", ">=" -> compare(op, left, b.left(), right, b.right());
            default -> throw new EvalException("unknown operator `" + op + "`");
        };
    }

    private Object compare(String op, Object left, Expr leftExpr, Object right, Expr rightExpr) {
        boolean tensors = left instanceof NdArray || right instanceof NdArray
                || Values.isGraphValue(left) || Values.isGraphValue(right);
        boolean numbers = (left instanceof Long || left instanceof Double) && (right instanceof Long || right instanceof Double);
        if (tensors || numbers) {
            String what = "`" + op + "`";
            return ArrayMath.compare(op, operand(left, leftExpr, what), operand(right, rightExpr, what));
        }
        if (op.equals("==") || op.equals("!=")) {
            return Values.equal(left, right) == op.equals("==");
        }
        throw new EvalException("`" + op + "` needs numbers or tensors, got " + Values.describe(left) + " and "
                + Values.describe(right));
    }

    private Object index(Object target, Expr targetExpr, Object index) {
        long i = longValue(index, "an index");
        if (target instanceof List<?> list) {
            int at = indexIn(i, list.size(), "a list of " + list.size() + " items");
            return list.get(at);
        }
        NdArray a = array(target, targetExpr, "indexing");
        if (a.rank() == 0) {
            throw new EvalException("cannot index a 0-d tensor");
        }
        long[] shape = a.shapeRef();
        int at = indexIn(i, shape[0], "axis 0 of size " + shape[0]);
        NdArray row = ShapeOps.slice(a, new long[] {at}, new long[] {at + 1}, null, null);
        return ShapeOps.squeeze(row, new long[] {0});
    }

    /** {@code i} as an index into {@code size} items, negative counting from the end. */
    public static int indexIn(long i, long size, String what) {
        long at = i < 0 ? i + size : i;
        if (at < 0 || at >= size) {
            throw new EvalException("index " + i + " is out of range for " + what);
        }
        return (int) at;
    }

    private Object nativeCall(Expr.Call c) {
        NativeFunctions.NativeFunction fn = natives.find(c.function());
        if (fn == null) {
            String known = natives.names().isEmpty() ? "none is registered"
                    : "registered: " + String.join(", ", natives.names());
            throw new EvalException("unknown native function `" + c.function() + "`; " + known);
        }
        List<Object> args = new ArrayList<>();
        Map<String, Object> named = new LinkedHashMap<>();
        for (Expr.Arg a : c.args()) {
            Object v = evaluate(a.value());
            if (a.name() == null) {
                args.add(v);
            } else {
                named.put(a.name(), v);
            }
        }
        try {
            return Values.normalize(fn.apply(Collections.unmodifiableList(args), Collections.unmodifiableMap(named), env));
        } catch (EvalException | ArrayException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EvalException("native function `" + c.function() + "` failed: " + e.getMessage(), c.span(), e);
        }
    }

    // ---- conversions shared with BuiltinCalls ------------------------------------------------

    /** Whether {@code v} counts as true: a Boolean, or a tensor of one element that is not zero. */
    static boolean truth(Object v, String what) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof NdArray a && a.size() == 1) {
            return a.getDouble(0) != 0;
        }
        throw new EvalException(what + " needs true or false, got " + Values.describe(v));
    }

    /** {@code v} as an NdArray, Long or Double, for arithmetic; lists and graph constants become tensors. */
    Object operand(Object v, Expr source, String what) {
        if (v instanceof NdArray || v instanceof Long || v instanceof Double) {
            return v;
        }
        if (v instanceof List<?> list) {
            return Values.listToArray(list, false);
        }
        if (v == null) {
            throw new EvalException(nameOf(source) + " is absent (an optional input that is not there)"
                    + (source instanceof Expr.Name n ? "; write `" + n.name() + " ?? ...` to give a default" : ""));
        }
        if (Values.isGraphValue(v)) {
            NdArray c = env.constantValue(v);
            if (c == null) {
                throw new EvalException(nameOf(source) + " is not a constant"
                        + (source instanceof Expr.Name n ? "; check `constant(" + n.name() + ")` first" : ""));
            }
            return c;
        }
        throw new EvalException(what + " needs a number or a tensor, got " + Values.describe(v));
    }

    /** {@code v} as a tensor: numbers become 0-d (int64, or float32 for a Double). */
    NdArray array(Object v, Expr source, String what) {
        Object o = operand(v, source, what);
        if (o instanceof Long l) {
            return NdArray.ofLongs(DataType.INT64, Shapes.SCALAR, l);
        }
        if (o instanceof Double d) {
            return NdArray.scalar(DataType.FLOAT, d);
        }
        return (NdArray) o;
    }

    /** {@code v} as a tensor, exactly: a Double becomes float64, a list of floats float64, a bool bool. */
    NdArray exactArray(Object v, Expr source, String what) {
        if (v instanceof Double d) {
            return NdArray.scalar(DataType.DOUBLE, d);
        }
        if (v instanceof Boolean b) {
            return NdArray.scalar(DataType.BOOL, b ? 1 : 0);
        }
        if (v instanceof List<?> list) {
            return Values.listToArray(list, true);
        }
        return array(v, source, what);
    }

    /** {@code v} as one integer: an int, or an integer tensor of one element. */
    static long longValue(Object v, String what) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof NdArray a && a.size() == 1 && DTypes.isInteger(a.dtype())) {
            return a.getLong(0);
        }
        throw new EvalException(what + " must be an integer, got " + Values.describe(v));
    }

    /** "`w`" for a name, "the value" for any other expression. */
    static String nameOf(Expr e) {
        return e instanceof Expr.Name n ? "`" + n.name() + "`" : "the value";
    }
}
