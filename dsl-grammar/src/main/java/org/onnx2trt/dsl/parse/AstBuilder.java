package org.onnx2trt.dsl.parse;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.onnx2trt.dsl.ast.Assignment;
import org.onnx2trt.dsl.ast.AttrPattern;
import org.onnx2trt.dsl.ast.AttrSet;
import org.onnx2trt.dsl.ast.Binding;
import org.onnx2trt.dsl.ast.Check;
import org.onnx2trt.dsl.ast.Construct;
import org.onnx2trt.dsl.ast.Effect;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.dsl.ast.Metadata;
import org.onnx2trt.dsl.ast.OpRef;
import org.onnx2trt.dsl.ast.PatternArg;
import org.onnx2trt.dsl.ast.RewriteStatement;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.dsl.ast.RuleFile;
import org.onnx2trt.dsl.ast.Span;
import org.onnx2trt.dsl.diag.Diagnostics;
import org.onnx2trt.dsl.diag.Suggestions;
import org.onnx2trt.dsl.grammar.RuleDslParser;
import org.onnx2trt.dsl.grammar.RuleDslParser.*;

/** Turns the parse tree into the immutable AST; one method per labelled form of the grammar. */
final class AstBuilder {
    private final String source;
    private final Diagnostics diagnostics;
    /** The checks the literal inputs of the rule being built add ({@code Mul(x, 0.5)}). */
    private final List<Check> literalChecks = new ArrayList<>();

    AstBuilder(String source, Diagnostics diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    RuleFile file(RuleFileContext ctx) {
        List<RuleDecl> rules = new ArrayList<>();
        for (RuleDeclContext r : ctx.ruleDecl()) {
            rules.add(rule(r));
        }
        return new RuleFile(source, rules);
    }

    private RuleDecl rule(RuleDeclContext ctx) {
        List<String> doc = new ArrayList<>();
        for (Token t : ctx.docs) {
            doc.add(t.getText().substring(3).strip());
        }
        literalChecks.clear();
        List<List<Binding>> forms = List.of(List.of());
        for (BindingContext b : ctx.matchSection().binding()) {
            List<List<Binding>> next = new ArrayList<>();
            for (Binding alternative : binding(b)) { // every combination of the bindings' alternatives
                for (List<Binding> form : forms) {
                    List<Binding> extended = new ArrayList<>(form);
                    extended.add(alternative);
                    next.add(extended);
                }
            }
            forms = next;
        }
        if (forms.size() > RuleDecl.MAX_FORMS) {
            diagnostics.error(span(ctx.name), "the alternatives make " + forms.size() + " pattern forms; at most "
                    + RuleDecl.MAX_FORMS + " (write several rules)");
        }
        List<Binding> bindings = forms.get(0);
        List<Check> checks = new ArrayList<>(literalChecks); // a literal input's checks come first
        if (ctx.whereSection() != null) {
            for (CheckContext c : ctx.whereSection().check()) {
                checks.add(new Check(expr(c.expr()), c.message == null ? null : unquote(c.message), span(c)));
            }
        }
        List<Assignment> computes = new ArrayList<>();
        if (ctx.computeSection() != null) {
            for (AssignmentContext a : ctx.computeSection().assignment()) {
                computes.add(new Assignment(a.name.getText(), expr(a.expr()), span(a)));
            }
        }
        List<RewriteStatement> rewrites = new ArrayList<>();
        for (RewriteStatementContext s : ctx.rewriteSection().rewriteStatement()) {
            rewrites.add(rewrite(s));
        }
        return new RuleDecl(ctx.name.getText(), doc, metadata(ctx), bindings, checks, computes, rewrites, span(ctx.name),
                forms);
    }

    private Metadata metadata(RuleDeclContext ctx) {
        int from = 0;
        int to = Integer.MAX_VALUE;
        int benefit = Metadata.DEFAULT_BENEFIT;
        List<String> tags = new ArrayList<>();
        boolean optIn = false;
        Set<Effect> effects = EnumSet.noneOf(Effect.class);
        Double approxSnrDb = null;
        Span at = ctx.metadata().isEmpty() ? span(ctx.name) : span(ctx.metadata(0));
        for (MetadataContext m : ctx.metadata()) {
            if (m instanceof OpsetMetaContext o) {
                from = integer(o.from);
                to = o.range == null ? from : o.to == null ? Integer.MAX_VALUE : integer(o.to);
                if (to < from) {
                    diagnostics.error(span(o), "empty opset range " + from + ".." + to + "; write the lower bound first");
                }
            } else if (m instanceof BenefitMetaContext b) {
                benefit = integer(b.value);
            } else if (m instanceof TagsMetaContext t) {
                t.tags.forEach(tag -> tags.add(tag.getText()));
            } else if (m instanceof OptInMetaContext) {
                optIn = true;
            } else if (m instanceof ApproxMetaContext a) {
                if (!a.metric.getText().equals("snr")) {
                    diagnostics.error(span(a.metric), "unknown bound `" + a.metric.getText() + "`; an approximate rule states"
                            + " the output SNR it keeps: `approx snr 30` (dB)");
                } else if (!(Double.parseDouble(a.value.getText()) > 0)) {
                    diagnostics.error(span(a), "`approx snr " + a.value.getText() + "`: give a positive SNR in dB");
                } else {
                    approxSnrDb = Double.parseDouble(a.value.getText());
                }
            } else if (m instanceof EffectMetaContext e) {
                for (Token name : e.effects) {
                    Effect.named(name.getText()).ifPresentOrElse(effects::add, () -> diagnostics.error(span(name),
                            "unknown effect `" + name.getText() + "`" + Suggestions.didYouMean(name.getText(), Effect.spellings())
                                    + "; the effects are " + String.join(", ", Effect.spellings())));
                }
            }
        }
        return new Metadata(from, to, benefit, tags, optIn, effects, approxSnrDb, at);
    }

    /** The binding's forms: one, or one per alternative ({@code p = Pow(d, 2) | Mul(d, d)}). */
    private List<Binding> binding(BindingContext ctx) {
        List<Binding> out = new ArrayList<>();
        for (OpPatternContext p : ctx.forms) {
            out.add(binding(ctx, p, ctx.forms.size() > 1));
        }
        return out;
    }

    private Binding binding(BindingContext ctx, OpPatternContext p, boolean alternative) {
        List<OpRef> ops = new ArrayList<>();
        for (OpRefContext o : p.ops) {
            ops.add(opRef(o));
        }
        List<PatternArg> args = new ArrayList<>();
        for (PatternArgContext a : p.patternArg()) {
            args.add(patternArg(a, ctx.name.getText(), args.size(), alternative));
        }
        List<AttrPattern> attrs = new ArrayList<>();
        if (p.attrPatterns() != null) {
            for (AttrPatternContext a : p.attrPatterns().attrPattern()) {
                if (a instanceof AttrCaptureContext c) {
                    attrs.add(new AttrPattern(c.attr.getText(), c.var.getText(), null, span(c)));
                } else if (a instanceof AttrEqualsContext e) {
                    attrs.add(new AttrPattern(e.attr.getText(), null, literal(e.value), span(e)));
                } else if (a instanceof AttrEqualsListContext e) {
                    List<Expr> items = e.items.stream().map(this::literal).toList();
                    attrs.add(new AttrPattern(e.attr.getText(), null, new Expr.ListOf(items, span(e)), span(e)));
                }
            }
        }
        return new Binding(ctx.name.getText(), ops, args, attrs, span(ctx.name));
    }

    private OpRef opRef(OpRefContext ctx) {
        return new OpRef(ctx.domain == null ? "" : ctx.domain.getText(), ctx.op.getText(), span(ctx));
    }

    private PatternArg patternArg(PatternArgContext arg, String binding, int position, boolean alternative) {
        String input = arg.input == null ? null : arg.input.getText();
        PatternValueContext ctx = arg.patternValue();
        Span at = span(arg);
        if (ctx instanceof LiteralArgContext l) {
            return literalArg(l, binding, position, alternative, input, at);
        }
        if (ctx instanceof OptionalArgContext o) {
            return new PatternArg(PatternArg.Kind.OPTIONAL, o.name.getText(), input, at);
        }
        if (ctx instanceof VariadicArgContext v) {
            return new PatternArg(PatternArg.Kind.VARIADIC, v.name.getText(), input, at);
        }
        if (ctx instanceof WildcardArgContext) {
            return new PatternArg(PatternArg.Kind.WILDCARD, null, input, at);
        }
        CaptureArgContext c = (CaptureArgContext) ctx;
        return new PatternArg(PatternArg.Kind.CAPTURE, c.name.getText(), input, at);
    }

    /**
     * {@code Mul(x, 0.5)}: an input that must be a constant of one element equal to the literal,
     * compared in the constant's dtype. It becomes a capture of a name no rule can write ({@code $1})
     * and a check before the rule's own: {@code constant($1) and isScalar($1) and allEqual($1, 0.5)};
     * in one alternative of several, {@code not bound($1) or (...)}, which holds in the other forms.
     */
    private PatternArg literalArg(LiteralArgContext l, String binding, int position, boolean alternative, String input,
                                  Span at) {
        String name = "$" + (literalChecks.size() + 1);
        String text = (l.minus != null ? "-" : "") + l.value.getText();
        Expr value = l.value.getType() == RuleDslParser.INT ? new Expr.Int(Long.parseLong(text), at)
                : new Expr.Float(Double.parseDouble(text), at);
        Expr ref = new Expr.Name(name, at);
        Expr condition = new Expr.Binary("and", new Expr.Binary("and",
                new Expr.Call("constant", List.of(new Expr.Arg(null, ref)), false, at),
                new Expr.Call("isScalar", List.of(new Expr.Arg(null, ref)), false, at), at),
                new Expr.Call("allEqual", List.of(new Expr.Arg(null, ref), new Expr.Arg(null, value)), false, at), at);
        if (alternative) {
            Expr bound = new Expr.Call("bound", List.of(new Expr.Arg(null, ref)), false, at);
            condition = new Expr.Binary("or", new Expr.Unary("not", bound, at), condition, at);
        }
        literalChecks.add(new Check(condition, "input " + position + " of `" + binding + "` is not the constant " + text, at));
        return new PatternArg(PatternArg.Kind.CAPTURE, name, input, at);
    }

    private RewriteStatement rewrite(RewriteStatementContext ctx) {
        if (ctx instanceof LetStatementContext l) {
            return new RewriteStatement.Let(l.name.getText(), construct(l.construct()), span(l));
        }
        if (ctx instanceof ReplaceStatementContext r) {
            return new RewriteStatement.Replace(names(r.targets), construct(r.construct()), span(r));
        }
        ReplaceManyStatementContext m = (ReplaceManyStatementContext) ctx;
        return new RewriteStatement.Replace(names(m.targets), construct(m.construct()), span(m));
    }

    private Construct construct(ConstructContext ctx) {
        if (ctx instanceof ValueConstructContext v) {
            return new Construct.Value(v.name.getText(), span(v));
        }
        OpConstructContext o = (OpConstructContext) ctx;
        List<Construct> args = new ArrayList<>();
        for (ConstructArgContext a : o.constructArg()) {
            args.add(a instanceof ConstructValueArgContext c ? construct(c.construct()) : null);
        }
        List<AttrSet> attrs = new ArrayList<>();
        if (o.attrSets() != null) {
            for (AttrSetContext a : o.attrSets().attrSet()) {
                if (a instanceof CopyAttrsContext c) {
                    attrs.add(new AttrSet.CopyFrom(c.from.getText(), span(c)));
                } else if (a instanceof DropAttrContext d) {
                    attrs.add(new AttrSet.Drop(d.attr.getText(), span(d)));
                } else if (a instanceof SetAttrContext s) {
                    attrs.add(new AttrSet.Set(s.attr.getText(), expr(s.expr()), span(s)));
                }
            }
        }
        int outputs = o.count == null ? 1 : integer(o.count);
        return new Construct.Op(opRef(o.opRef()), args, attrs, outputs, span(o));
    }

    private Expr expr(ExprContext ctx) {
        Span at = span(ctx);
        if (ctx instanceof ParenExprContext p) {
            return expr(p.expr());
        }
        if (ctx instanceof IndexExprContext i) {
            return new Expr.Index(expr(i.target), expr(i.index), at);
        }
        if (ctx instanceof MemberExprContext m) {
            return new Expr.Member(expr(m.target), m.field.getText(), at);
        }
        if (ctx instanceof NativeCallExprContext n) {
            return new Expr.Call(n.fn.getText(), args(n.callArgs()), true, at);
        }
        if (ctx instanceof CallExprContext c) {
            return new Expr.Call(c.fn.getText(), args(c.callArgs()), false, at);
        }
        if (ctx instanceof UnaryExprContext u) {
            return new Expr.Unary(u.op.getText(), expr(u.operand), at);
        }
        if (ctx instanceof MultiplicativeExprContext m) {
            return new Expr.Binary(m.op.getText(), expr(m.left), expr(m.right), span(m.op));
        }
        if (ctx instanceof AdditiveExprContext a) {
            return new Expr.Binary(a.op.getText(), expr(a.left), expr(a.right), span(a.op));
        }
        if (ctx instanceof ComparisonExprContext c) {
            return new Expr.Binary(c.op.getText(), expr(c.left), expr(c.right), span(c.op));
        }
        if (ctx instanceof CoalesceExprContext c) {
            return new Expr.Binary("??", expr(c.left), expr(c.right), at);
        }
        if (ctx instanceof AndExprContext a) {
            return new Expr.Binary("and", expr(a.left), expr(a.right), at);
        }
        if (ctx instanceof OrExprContext o) {
            return new Expr.Binary("or", expr(o.left), expr(o.right), at);
        }
        if (ctx instanceof ListExprContext l) {
            List<Expr> items = new ArrayList<>();
            l.expr().forEach(e -> items.add(expr(e)));
            return new Expr.ListOf(items, at);
        }
        if (ctx instanceof LiteralExprContext l) {
            return literal(l.literal());
        }
        return new Expr.Name(((NameExprContext) ctx).name.getText(), at);
    }

    private List<Expr.Arg> args(CallArgsContext ctx) {
        List<Expr.Arg> out = new ArrayList<>();
        if (ctx != null) {
            for (CallArgContext a : ctx.callArg()) {
                out.add(new Expr.Arg(a.name == null ? null : a.name.getText(), expr(a.expr())));
            }
        }
        return out;
    }

    private Expr literal(LiteralContext ctx) {
        Span at = span(ctx);
        if (ctx instanceof IntLiteralContext i) {
            try {
                return new Expr.Int(Long.parseLong(i.getText()), at);
            } catch (NumberFormatException e) {
                diagnostics.error(at, "integer `" + i.getText() + "` is too large; the limit is " + Long.MAX_VALUE);
                return new Expr.Int(0, at);
            }
        }
        if (ctx instanceof FloatLiteralContext f) {
            return new Expr.Float(Double.parseDouble(f.getText()), at);
        }
        if (ctx instanceof StringLiteralContext s) {
            return new Expr.Str(unquote(s.STRING().getSymbol()), at);
        }
        return new Expr.Bool(ctx instanceof TrueLiteralContext, at);
    }

    private int integer(Token t) {
        try {
            return Integer.parseInt(t.getText());
        } catch (NumberFormatException e) {
            diagnostics.error(span(t), "`" + t.getText() + "` is too large here; the limit is " + Integer.MAX_VALUE);
            return 0;
        }
    }

    private static List<String> names(List<Token> tokens) {
        return tokens.stream().map(Token::getText).toList();
    }

    /** The text of a string literal without quotes, escapes resolved ({@code \"}, {@code \\}, {@code \n}). */
    private static String unquote(Token t) {
        String s = t.getText();
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() - 1) {
                char n = s.charAt(++i);
                out.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private Span span(ParserRuleContext ctx) {
        return span(ctx.getStart());
    }

    private Span span(Token t) {
        return new Span(source, t.getLine(), t.getCharPositionInLine() + 1);
    }
}
