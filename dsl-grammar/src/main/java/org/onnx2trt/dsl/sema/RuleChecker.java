package org.onnx2trt.dsl.sema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onnx2trt.dsl.ast.AttrPattern;
import org.onnx2trt.dsl.ast.AttrSet;
import org.onnx2trt.dsl.ast.Binding;
import org.onnx2trt.dsl.ast.Check;
import org.onnx2trt.dsl.ast.Construct;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.dsl.ast.PatternArg;
import org.onnx2trt.dsl.ast.RewriteStatement;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.dsl.ast.RuleFile;
import org.onnx2trt.dsl.ast.Span;
import org.onnx2trt.dsl.ast.Assignment;
import org.onnx2trt.dsl.diag.Diagnostics;
import org.onnx2trt.dsl.diag.Suggestions;

/**
 * The semantic pass over parsed rules: every name defined before use and defined once, the match
 * pattern one connected DAG with a single root, every check with a message, known functions with
 * the right arguments, and a rewrite that replaces the root. Checks against the op schema table
 * (ops, inputs, attributes) are in {@link SchemaChecker}.
 */
public final class RuleChecker {
    /** Element type names usable in expressions, e.g. {@code dtype(x) == float32}, {@code cast(q, int8)}. */
    public static final Set<String> DTYPE_NAMES = Set.of("float32", "float16", "bfloat16", "float64", "int8", "uint8",
            "int16", "uint16", "int32", "uint32", "int64", "uint64", "bool");

    /** What a name in a rule stands for. */
    enum Kind { NODE, VALUE, VALUES, ATTRIBUTE, COMPUTED, LET }

    private final Diagnostics diagnostics;
    private Map<String, Kind> names;
    private Map<String, Span> definedAt;

    private RuleChecker(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** Checks every rule of {@code file}, reporting into {@code diagnostics}. */
    public static void check(RuleFile file, Diagnostics diagnostics) {
        RuleChecker checker = new RuleChecker(diagnostics);
        Map<String, Span> seen = new HashMap<>();
        for (RuleDecl rule : file.rules()) {
            Span first = seen.putIfAbsent(rule.name(), rule.span());
            if (first != null) {
                diagnostics.error(rule.span(), "rule `" + rule.name() + "` is defined twice; the first is at " + first);
            }
            checker.checkRule(rule);
        }
    }

    private void checkRule(RuleDecl rule) {
        names = new LinkedHashMap<>();
        definedAt = new HashMap<>();
        for (Binding b : rule.bindings()) {
            define(b.name(), Kind.NODE, b.span());
        }
        String root = checkPattern(rule.form(0));
        for (int f = 1; f < rule.forms().size(); f++) { // the alternatives: same bindings, each form a DAG with the same root
            String other = checkPattern(rule.form(f));
            if (root != null && other != null && !root.equals(other)) {
                diagnostics.error(rule.span(), "the pattern's forms have different roots (`" + root + "` and `" + other
                        + "`); alternatives must keep the node the rewrite replaces at the root");
            }
        }
        for (Check c : rule.checks()) {
            checkExpr(c.condition());
            if (c.message() == null) {
                diagnostics.error(c.span(), "this check has no message; add `: \"...\"` saying why the rule declines when it fails");
            } else if (c.message().isBlank()) {
                diagnostics.error(c.span(), "this check's message is empty; say why the rule declines when it fails");
            }
        }
        for (Assignment a : rule.computes()) {
            checkExpr(a.value());
            define(a.name(), Kind.COMPUTED, a.span());
        }
        boolean rootReplaced = false;
        for (RewriteStatement s : rule.rewrites()) {
            if (s instanceof RewriteStatement.Let let) {
                checkConstruct(let.value());
                define(let.name(), Kind.LET, let.span());
            } else if (s instanceof RewriteStatement.Replace r) {
                checkConstruct(r.value());
                for (String target : r.targets()) {
                    if (names.get(target) != Kind.NODE) {
                        diagnostics.error(r.span(), "`" + target + "` is not a matched node; the left side of `->`"
                                + " names bindings of the match section" + Suggestions.didYouMean(target, nodes()));
                    }
                    rootReplaced |= target.equals(root);
                }
                int produced = r.value() instanceof Construct.Op op ? op.outputs() : 1;
                if (r.targets().size() != produced) {
                    diagnostics.error(r.span(), "`->` has " + plural(r.targets().size(), "target")
                            + " but the replacement gives " + plural(produced, "output")
                            + "; they must match (`outputs N` after a new node sets how many it has)");
                }
            }
        }
        if (root != null && !rootReplaced && !rootReadsReplaced(rule, root)) {
            diagnostics.error(rule.span(), "the rewrite does not replace the pattern's root `" + root
                    + "` or a node it reads; add a line `" + root + " -> ...`");
        }
        checkNoReadOfReplaced(rule);
    }

    /**
     * A rewrite may leave the root in place and change what it reads ({@code dq -> x} under a root that
     * reads {@code dq}): the root's function changes through that input, in every form of the pattern.
     * This lets one rule with an alternation at its root ({@code Softmax|Sigmoid(dq)}) keep the op it
     * matched, which a replacement of the root would have to name.
     */
    private static boolean rootReadsReplaced(RuleDecl rule, String root) {
        Set<String> replaced = new HashSet<>();
        for (RewriteStatement s : rule.rewrites()) {
            if (s instanceof RewriteStatement.Replace r) {
                replaced.addAll(r.targets());
            }
        }
        for (List<Binding> form : rule.forms()) {
            boolean reads = form.stream().filter(b -> b.name().equals(root))
                    .flatMap(b -> b.args().stream())
                    .anyMatch(a -> a.kind() == PatternArg.Kind.CAPTURE && replaced.contains(a.name()));
            if (!reads) {
                return false;
            }
        }
        return true;
    }

    /**
     * A new node may not read a value the rewrite replaces: once replaced, its readers move to the
     * replacement, which would then read itself (the engine declines every such match at run time).
     */
    private void checkNoReadOfReplaced(RuleDecl rule) {
        Set<String> replaced = new HashSet<>();
        for (RewriteStatement s : rule.rewrites()) {
            if (s instanceof RewriteStatement.Replace r) {
                replaced.addAll(r.targets());
            }
        }
        for (RewriteStatement s : rule.rewrites()) {
            Construct c = s instanceof RewriteStatement.Let let ? let.value() : ((RewriteStatement.Replace) s).value();
            if (c instanceof Construct.Op op) {
                reportReadsOf(replaced, op);
            }
        }
    }

    private void reportReadsOf(Set<String> replaced, Construct.Op op) {
        for (Construct arg : op.args()) {
            if (arg instanceof Construct.Value v && replaced.contains(v.name())) {
                diagnostics.error(v.span(), "the new " + op.op().op() + " reads `" + v.name() + "`, which the rewrite"
                        + " replaces: its readers would move to the new node, which would then read itself; read what `"
                        + v.name() + "` reads instead (its inputs in the match section)");
            } else if (arg instanceof Construct.Op inner) {
                reportReadsOf(replaced, inner);
            }
        }
    }

    /** Defines the pattern's variables and returns its root binding (null when there is none). */
    private String checkPattern(RuleDecl rule) {
        Map<String, Integer> consumers = new HashMap<>();
        for (Binding b : rule.bindings()) {
            for (PatternArg a : b.args()) {
                if (a.kind() == PatternArg.Kind.WILDCARD) {
                    continue;
                }
                Kind existing = names.get(a.name());
                if (existing == Kind.NODE) {
                    if (a.kind() != PatternArg.Kind.CAPTURE) {
                        diagnostics.error(a.span(), "`" + a.name() + "` is a matched node; its output cannot be "
                                + (a.kind() == PatternArg.Kind.OPTIONAL ? "optional" : "variadic"));
                    } else if (a.name().equals(b.name())) {
                        diagnostics.error(a.span(), "`" + b.name() + "` reads its own output; a pattern is acyclic");
                        continue; // reported here; not a reason to call the pattern rootless too
                    }
                    consumers.merge(a.name(), 1, Integer::sum);
                } else if (existing == null) {
                    define(a.name(), a.kind() == PatternArg.Kind.VARIADIC ? Kind.VALUES : Kind.VALUE, a.span());
                } else if (existing == Kind.VALUES || a.kind() == PatternArg.Kind.VARIADIC) {
                    diagnostics.error(a.span(), "`" + a.name() + "` is bound twice and one of them is variadic;"
                            + " a variadic capture takes all remaining inputs of one node");
                }
                // a plain capture seen twice is the same value read twice: a shared input, allowed
            }
            for (AttrPattern ap : b.attrs()) {
                if (ap.variable() != null) {
                    define(ap.variable(), Kind.ATTRIBUTE, ap.span());
                }
            }
            checkVariadicLast(b);
        }
        List<String> roots = new ArrayList<>();
        for (Binding b : rule.bindings()) {
            if (!consumers.containsKey(b.name())) {
                roots.add(b.name());
            }
        }
        if (roots.isEmpty()) {
            diagnostics.error(rule.span(), "the match pattern is cyclic: every binding reads another; a pattern has a root that nothing in it reads");
            return null;
        }
        if (roots.size() > 1) {
            diagnostics.error(rule.binding(roots.get(1)).span(), "the match pattern has " + roots.size()
                    + " roots (" + String.join(", ", roots.stream().map(r -> "`" + r + "`").toList())
                    + "); connect them (one must read another) or write two rules");
        }
        return roots.get(0);
    }

    private void checkVariadicLast(Binding b) {
        for (int i = 0; i < b.args().size() - 1; i++) {
            if (b.args().get(i).kind() == PatternArg.Kind.VARIADIC) {
                diagnostics.error(b.args().get(i).span(), "a variadic capture must be the last input of `" + b.name() + "`");
            }
        }
    }

    private void define(String name, Kind kind, Span span) {
        Span earlier = definedAt.putIfAbsent(name, span);
        if (earlier != null && earlier.equals(span)) {
            return; // the same binding seen again in another form of the pattern
        }
        if (earlier != null) {
            diagnostics.error(span, "`" + name + "` is already defined at " + earlier + "; pick another name");
            return;
        }
        names.put(name, kind);
    }

    private void checkConstruct(Construct c) {
        if (c instanceof Construct.Value v) {
            checkName(v.name(), v.span());
            return;
        }
        Construct.Op op = (Construct.Op) c;
        for (Construct arg : op.args()) {
            if (arg != null) {
                checkConstruct(arg);
            }
        }
        if (op.outputs() < 1) {
            diagnostics.error(op.span(), "a new node has at least one output");
        }
        for (AttrSet a : op.attrs()) {
            if (a instanceof AttrSet.CopyFrom from && names.get(from.from()) != Kind.NODE) {
                diagnostics.error(from.span(), "`..." + from.from() + "` copies attributes from a matched node, and `"
                        + from.from() + "` is not one" + Suggestions.didYouMean(from.from(), nodes()));
            } else if (a instanceof AttrSet.Set set) {
                checkExpr(set.value());
            }
        }
    }

    private void checkExpr(Expr e) {
        if (e instanceof Expr.Name n) {
            if (!DTYPE_NAMES.contains(n.name())) {
                checkName(n.name(), n.span());
            }
        } else if (e instanceof Expr.Call c) {
            c.args().forEach(a -> checkExpr(a.value()));
            if (!c.isNative()) {
                checkCall(c);
            }
        } else if (e instanceof Expr.Unary u) {
            checkExpr(u.operand());
        } else if (e instanceof Expr.Binary b) {
            checkExpr(b.left());
            checkExpr(b.right());
        } else if (e instanceof Expr.Index i) {
            checkExpr(i.target());
            checkExpr(i.index());
        } else if (e instanceof Expr.Member m) {
            checkExpr(m.target());
            Set<String> fields = m.target() instanceof Expr.Call c && !c.isNative() ? Builtins.fields(c.function()) : Set.of();
            if (fields.isEmpty()) {
                diagnostics.error(m.span(), "`." + m.field() + "`: only a record such as `calib(x)` has fields");
            } else if (!fields.contains(m.field())) {
                diagnostics.error(m.span(), "`" + ((Expr.Call) m.target()).function() + "(...)` has no field `" + m.field()
                        + "`" + Suggestions.didYouMean(m.field(), fields) + "; its fields are " + String.join(", ",
                        new java.util.TreeSet<>(fields)));
            }
        } else if (e instanceof Expr.ListOf l) {
            l.items().forEach(this::checkExpr);
        }
        // literals need no check
    }

    private void checkCall(Expr.Call c) {
        Builtins.Signature sig = Builtins.find(c.function());
        if (sig == null) {
            diagnostics.error(c.span(), "unknown function `" + c.function() + "`"
                    + Suggestions.didYouMean(c.function(), Builtins.all().keySet())
                    + "; for a Java function write `native " + c.function() + "(...)`");
            return;
        }
        long positional = c.args().stream().filter(a -> a.name() == null).count();
        if (positional < sig.min() || (sig.max() >= 0 && positional > sig.max())) {
            String want = sig.max() < 0 ? "at least " + sig.min() : sig.min() == sig.max() ? Integer.toString(sig.min())
                    : sig.min() + " to " + sig.max();
            diagnostics.error(c.span(), "`" + c.function() + "` takes " + want + " argument"
                    + (want.equals("1") ? "" : "s") + ", not " + positional);
        }
        for (Expr.Arg a : c.args()) {
            if (a.name() != null && !sig.named().contains(a.name())) {
                diagnostics.error(a.value().span(), "`" + c.function() + "` has no argument `" + a.name() + "`"
                        + (sig.named().isEmpty() ? "" : Suggestions.didYouMean(a.name(), sig.named())));
            }
        }
    }

    private void checkName(String name, Span span) {
        if (!names.containsKey(name)) {
            diagnostics.error(span, "unknown name `" + name + "`" + Suggestions.didYouMean(name, names.keySet()));
        }
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private List<String> nodes() {
        return names.entrySet().stream().filter(e -> e.getValue() == Kind.NODE).map(Map.Entry::getKey).toList();
    }
}
