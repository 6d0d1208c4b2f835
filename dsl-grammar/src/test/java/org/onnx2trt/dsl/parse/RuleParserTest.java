package org.onnx2trt.dsl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.dsl.ast.AttrSet;
import org.onnx2trt.dsl.ast.Binding;
import org.onnx2trt.dsl.ast.Construct;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.dsl.ast.PatternArg;
import org.onnx2trt.dsl.ast.RewriteStatement;
import org.onnx2trt.dsl.ast.RuleDecl;

/** One test per grammar form, and the syntax-error messages pinned as test data. */
public class RuleParserTest {

    public static final String FUSE = """
            /// BN(Conv(x, W, B)) -> Conv(x, W*s, (B - mean)*s + beta), s = gamma / sqrt(var + eps)
            rule FuseConvBatchNorm
              opset 9..
              benefit 10
              tags fusion, bn
            match
              conv = Conv|ConvTranspose(x, w, b?)
              bn   = BatchNormalization(conv, gamma, beta, mean, var) { epsilon: eps }
            where
              constant(w, b, gamma, beta, mean, var) : "weights and statistics must be initializers"
              singleUse(conv)                         : "the conv output feeds only the BN"
            compute
              s  = gamma / sqrt(var + eps)
              w2 = w * unsqueezeTo(s, axis: 0, rank: rank(w))
              b2 = ((b ?? zerosLike(mean)) - mean) * s + beta
            rewrite
              bn -> Conv(x, w2, b2) { ...conv }
            end
            """;

    private static RuleDecl parseOne(String text) {
        RuleParser.Result r = RuleParser.parse(text, "t.rw");
        assertTrue(r.ok(), r.diagnostics().format());
        assertEquals(1, r.file().rules().size());
        return r.file().rules().get(0);
    }

    @Test
    void theDesignSketchParses() {
        RuleDecl rule = parseOne(FUSE);
        assertEquals("FuseConvBatchNorm", rule.name());
        assertEquals(List.of("BN(Conv(x, W, B)) -> Conv(x, W*s, (B - mean)*s + beta), s = gamma / sqrt(var + eps)"), rule.doc());
        assertEquals(9, rule.metadata().opsetFrom());
        assertEquals(Integer.MAX_VALUE, rule.metadata().opsetTo());
        assertEquals(10, rule.metadata().benefit());
        assertEquals(List.of("fusion", "bn"), rule.metadata().tags());
        assertEquals(2, rule.bindings().size());
        assertEquals(2, rule.checks().size());
        assertEquals("the conv output feeds only the BN", rule.checks().get(1).message());
        assertEquals(3, rule.computes().size());
        assertEquals("t.rw:2:6", rule.span().toString());
    }

    @Test
    void alternationOptionalVariadicAndWildcardArguments() {
        RuleDecl rule = parseOne("""
                rule R match
                  c = Conv|ConvTranspose(x, w, b?)
                  k = Concat(head, rest...)
                  s = Sum(_, c)
                rewrite s -> c end
                """);
        Binding conv = rule.binding("c");
        assertEquals(List.of("Conv", "ConvTranspose"), conv.ops().stream().map(o -> o.op()).toList());
        assertEquals(PatternArg.Kind.OPTIONAL, conv.args().get(2).kind());
        assertEquals(PatternArg.Kind.VARIADIC, rule.binding("k").args().get(1).kind());
        assertEquals(PatternArg.Kind.WILDCARD, rule.binding("s").args().get(0).kind());
        assertNull(rule.binding("s").args().get(0).name());
    }

    @Test
    void domainQualifiedOpsAndAttributePatterns() {
        RuleDecl rule = parseOne("""
                rule R match
                  f = com.microsoft::FusedConv(x, w) { activation: "Relu", group: 1, alpha: a }
                rewrite f -> x end
                """);
        Binding f = rule.binding("f");
        assertEquals("com.microsoft", f.ops().get(0).domain());
        assertEquals("com.microsoft::FusedConv", f.ops().get(0).qualified());
        assertEquals(new Expr.Str("Relu", f.attrs().get(0).value().span()), f.attrs().get(0).value());
        assertEquals(1L, ((Expr.Int) f.attrs().get(1).value()).value());
        assertEquals("a", f.attrs().get(2).variable());
    }

    @Test
    void listLiteralsInAttributePatterns() {
        RuleDecl rule = parseOne("""
                rule R match
                  c = Conv(x, w) { kernel_shape: [3, 3], pads: [] }
                rewrite c -> x end
                """);
        Expr.ListOf kernel = assertInstanceOf(Expr.ListOf.class, rule.binding("c").attrs().get(0).value());
        assertEquals(List.of(3L, 3L), kernel.items().stream().map(i -> ((Expr.Int) i).value()).toList());
        assertEquals(List.of(), ((Expr.ListOf) rule.binding("c").attrs().get(1).value()).items());
    }

    @Test
    void expressionsFollowUsualPrecedence() {
        RuleDecl rule = parseOne("""
                rule R match n = Relu(x)
                compute v = a + b * c - d / e ?? f
                rewrite n -> x end
                """);
        Expr e = rule.computes().get(0).value();
        // ((a + (b * c)) - (d / e)) ?? f
        Expr.Binary coalesce = assertInstanceOf(Expr.Binary.class, e);
        assertEquals("??", coalesce.op());
        Expr.Binary minus = assertInstanceOf(Expr.Binary.class, coalesce.left());
        assertEquals("-", minus.op());
        assertEquals("+", ((Expr.Binary) minus.left()).op());
        assertEquals("*", ((Expr.Binary) ((Expr.Binary) minus.left()).right()).op());
    }

    @Test
    void checksUseComparisonsBooleansIndexingAndNativeCalls() {
        RuleDecl rule = parseOne("""
                rule R match n = Conv(x, w)
                where
                  rank(w) == 4 and not allZero(pads) or shape(w)[0] >= 2 : "shape"
                  native isDepthwise(n) : "depthwise only"
                rewrite n -> x end
                """);
        Expr.Binary or = assertInstanceOf(Expr.Binary.class, rule.checks().get(0).condition());
        assertEquals("or", or.op());
        Expr.Binary and = assertInstanceOf(Expr.Binary.class, or.left());
        assertEquals("and", and.op());
        assertInstanceOf(Expr.Unary.class, and.right());
        Expr.Binary ge = assertInstanceOf(Expr.Binary.class, or.right());
        assertInstanceOf(Expr.Index.class, ge.left());
        Expr.Call nat = assertInstanceOf(Expr.Call.class, rule.checks().get(1).condition());
        assertTrue(nat.isNative());
        assertEquals("isDepthwise", nat.function());
    }

    @Test
    void rewritesWithLetsSeveralTargetsNoneAndAttributeClauses() {
        RuleDecl rule = parseOne("""
                rule R match
                  a = Split(x) { axis: ax }
                rewrite
                  let t = Transpose(x) { perm: [1, 0] }
                  (a) -> x
                  (p, q) -> Split(t, none) { ...a, -split, axis: ax + 1 } outputs 2
                end
                """);
        assertInstanceOf(RewriteStatement.Let.class, rule.rewrites().get(0));
        RewriteStatement.Replace many = (RewriteStatement.Replace) rule.rewrites().get(2);
        assertEquals(List.of("p", "q"), many.targets());
        Construct.Op split = assertInstanceOf(Construct.Op.class, many.value());
        assertEquals(2, split.outputs());
        assertNull(split.args().get(1));
        assertInstanceOf(AttrSet.CopyFrom.class, split.attrs().get(0));
        assertInstanceOf(AttrSet.Drop.class, split.attrs().get(1));
        assertInstanceOf(AttrSet.Set.class, split.attrs().get(2));
    }

    @Test
    void opsetRanges() {
        assertEquals(List.of(11, 11), range("opset 11"));
        assertEquals(List.of(11, 17), range("opset 11..17"));
        assertEquals(List.of(13, Integer.MAX_VALUE), range("opset 13.."));
    }

    private static List<Integer> range(String meta) {
        RuleDecl r = parseOne("rule R " + meta + " match n = Relu(x) rewrite n -> x end");
        return List.of(r.metadata().opsetFrom(), r.metadata().opsetTo());
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("rule R match n = Relu(x) rewrite n -> x", "t.rw:1:40: error: unexpected end of file; expected `end`"),
                Arguments.of("rule R match n = Relu(x) n -> x end",
                        "t.rw:1:28: error: unexpected `->`; expected `=`"),
                Arguments.of("rule R match rewrite n -> x end", "t.rw:1:14: error: unexpected `rewrite`; expected a name"),
                Arguments.of("rule R match n = Relu(x) $ rewrite n -> x end", "t.rw:1:26: error: unexpected character `$`"),
                Arguments.of("rule 1R match n = Relu(x) rewrite n -> x end", "t.rw:1:6: error: unexpected `1`; expected a name"),
                Arguments.of("rule R opset 17..11 match n = Relu(x) rewrite n -> x end",
                        "t.rw:1:8: error: empty opset range 17..11; write the lower bound first"),
                Arguments.of("rule R match n = Relu(x) where rank(x) == : \"m\" rewrite n -> x end",
                        "t.rw:1:43: error: unexpected `:`"));
    }

    @ParameterizedTest
    @MethodSource("syntaxErrors")
    void syntaxErrorsArePinned(String text, String expected) {
        RuleParser.Result r = RuleParser.parse(text, "t.rw");
        assertNull(r.file());
        assertEquals(expected, r.diagnostics().list().get(0).toString());
    }
}
