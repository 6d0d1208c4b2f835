package org.onnx2trt.dsl.sema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.dsl.parse.RuleParserTest;

/** Each semantic error kind, its message pinned; and a valid rule passes without diagnostics. */
class RuleCheckerTest {

    @Test
    void theDesignSketchIsValid() {
        RuleFrontEnd.Result r = RuleFrontEnd.load(RuleParserTest.FUSE, "fuse.rw");
        assertTrue(r.ok(), r.diagnostics().format());
        assertEquals("", r.diagnostics().format());
    }

    @Test
    void sharedInputsAndDagEdgesAreAllowed() {
        RuleFrontEnd.Result r = RuleFrontEnd.load("""
                rule R match
                  a = Relu(x)
                  b = Sigmoid(x)
                  m = Mul(a, b)
                rewrite m -> a end
                """, "t.rw");
        assertTrue(r.ok(), r.diagnostics().format());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("unknown name in a check", """
                        rule R match c = Conv(x, w, b?)
                        where constant(w, bais) : "m"
                        rewrite c -> x end""",
                        "t.rw:2:19: error: unknown name `bais` (did you mean `b`?)"),
                Arguments.of("check without message", """
                        rule R match c = Conv(x, w)
                        where constant(w)
                        rewrite c -> x end""",
                        "t.rw:2:7: error: this check has no message; add `: \"...\"` saying why the rule declines when it fails"),
                Arguments.of("unknown function", """
                        rule R match c = Conv(x, w)
                        compute s = sqr(w)
                        rewrite c -> x end""",
                        "t.rw:2:13: error: unknown function `sqr` (did you mean `sqrt`?); for a Java function write `native sqr(...)`"),
                Arguments.of("wrong argument count", """
                        rule R match c = Conv(x, w)
                        compute s = sqrt(w, x)
                        rewrite c -> x end""",
                        "t.rw:2:13: error: `sqrt` takes 1 argument, not 2"),
                Arguments.of("unknown named argument", """
                        rule R match c = Conv(x, w)
                        compute s = unsqueezeTo(w, axes: 0, rank: 4)
                        rewrite c -> x end""",
                        "t.rw:2:34: error: `unsqueezeTo` has no argument `axes` (did you mean `axis`?)"),
                Arguments.of("name defined twice", """
                        rule R match c = Conv(x, w)
                        compute w = sqrt(w)
                        rewrite c -> x end""",
                        "t.rw:2:9: error: `w` is already defined at t.rw:1:26; pick another name"),
                Arguments.of("two roots", """
                        rule R match
                          a = Relu(x)
                          b = Sigmoid(x)
                        rewrite a -> x end""",
                        "t.rw:3:3: error: the match pattern has 2 roots (`a`, `b`); connect them (one must read another) or write two rules"),
                Arguments.of("self loop", """
                        rule R match a = Add(a, x)
                        rewrite a -> x end""",
                        "t.rw:1:22: error: `a` reads its own output; a pattern is acyclic"),
                Arguments.of("replacing a non-node", """
                        rule R match c = Conv(x, w)
                        rewrite x -> w
                          c -> x end""",
                        "t.rw:2:9: error: `x` is not a matched node; the left side of `->` names bindings of the match section"),
                Arguments.of("root not replaced", """
                        rule R match
                          a = Relu(x)
                          b = Neg(a)
                          c = Abs(b)
                        rewrite a -> x end""",
                        "t.rw:1:6: error: the rewrite does not replace the pattern's root `c` or a node it reads; add a line `c -> ...`"),
                Arguments.of("copying attributes from a value", """
                        rule R match c = Conv(x, w)
                        rewrite c -> Conv(x, w) { ...w } end""",
                        "t.rw:2:27: error: `...w` copies attributes from a matched node, and `w` is not one"),
                Arguments.of("output count mismatch", """
                        rule R match s = Split(x)
                        rewrite s -> Split(x) outputs 2 end""",
                        "t.rw:2:9: error: `->` has 1 target but the replacement gives 2 outputs; they must match (`outputs N` after a new node sets how many it has)"),
                Arguments.of("variadic not last", """
                        rule R match c = Concat(xs..., y)
                        rewrite c -> y end""",
                        "t.rw:1:25: error: a variadic capture must be the last input of `c`"),
                Arguments.of("optional matched node", """
                        rule R match
                          a = Relu(x)
                          b = Neg(a?)
                        rewrite b -> x end""",
                        "t.rw:3:11: error: `a` is a matched node; its output cannot be optional"),
                Arguments.of("rule defined twice", """
                        rule R match a = Relu(x) rewrite a -> x end
                        rule R match a = Neg(x) rewrite a -> x end""",
                        "t.rw:2:6: error: rule `R` is defined twice; the first is at t.rw:1:6"),
                Arguments.of("unknown named input", """
                        rule R match c = Conv(x, bais: b?)
                        rewrite c -> x end""",
                        "t.rw:1:26: error: unknown input `bais` of `Conv` (did you mean `B`?)"),
                Arguments.of("positional input after a named one", """
                        rule R match c = Conv(X: x, w)
                        rewrite c -> x end""",
                        "t.rw:1:29: error: a positional input after a named one; write named inputs last"),
                Arguments.of("named input given twice", """
                        rule R match c = Conv(x, X: y)
                        rewrite c -> x end""",
                        "t.rw:1:26: error: input `X` is given twice"),
                Arguments.of("unknown op", """
                        rule R match c = Covn(x, w)
                        rewrite c -> x end""",
                        "t.rw:1:18: error: unknown op `Covn` (did you mean `Conv`?)"),
                Arguments.of("too many inputs", """
                        rule R match c = Relu(x, y)
                        rewrite c -> x end""",
                        "t.rw:1:18: error: `Relu` takes at most 1 input; the pattern gives 2"),
                Arguments.of("unknown attribute in a pattern", """
                        rule R match n = BatchNormalization(x, g, b, m, v) { epsilom: e }
                        rewrite n -> x end""",
                        "t.rw:1:54: error: `BatchNormalization` has no attribute `epsilom` (did you mean `epsilon`?)"),
                Arguments.of("unknown attribute on a new node", """
                        rule R match c = Conv(x, w)
                        rewrite c -> Conv(x, w) { ...c, grup: 2 } end""",
                        "t.rw:2:33: error: `Conv` has no attribute `grup` (did you mean `group`?)"),
                Arguments.of("custom domains are not checked, unknown default ops are", """
                        rule R match c = com.acme::Frob(x, y, z)
                        rewrite c -> Idnetity(x) end""",
                        "t.rw:2:14: error: unknown op `Idnetity` (did you mean `Identity`?)"),
                Arguments.of("a rewrite may not make an op outside the default domain", """
                        rule R match c = Conv(x, w)
                        rewrite c -> com.microsoft::FusedConv(x, w) end""",
                        "t.rw:2:14: error: the rewrite makes `com.microsoft::FusedConv`, an op outside the ONNX default domain:"
                                + " TensorRT's parser cannot read it and optimize refuses a model it would bring it into; write the"
                                + " replacement with default-domain ops"),
                Arguments.of("unknown value in a rewrite", """
                        rule R match c = Conv(x, w)
                        rewrite c -> Relu(xx) end""",
                        "t.rw:2:19: error: unknown name `xx` (did you mean `x`?)"),
                Arguments.of("a new node reads the value it replaces", """
                        rule R match
                          c = Conv(x, w)
                          r = Relu(c)
                        rewrite r -> Clip(r) end""",
                        "t.rw:4:19: error: the new Clip reads `r`, which the rewrite replaces: its readers would move to"
                                + " the new node, which would then read itself; read what `r` reads instead (its inputs in"
                                + " the match section)"),
                Arguments.of("an op the rule's opset range never sees", """
                        rule R opset 7..13 match h = HardSwish(x)
                        rewrite h -> x end""",
                        "t.rw:1:30: error: `HardSwish` exists from opset 14, and the rule's range 7..13 ends before it:"
                                + " the rule can never match; start the range at 14 or later"),
                Arguments.of("a new op before the opset that has it", """
                        rule R opset 11.. match
                          s = Sigmoid(x)
                          m = Mul(x, s)
                        rewrite m -> HardSwish(x) end""",
                        "t.rw:4:14: error: the rewrite makes `HardSwish`, which exists from opset 14, and the rule's range"
                                + " 11.. starts before it: the new node would be invalid there; write `opset 14..`"),
                Arguments.of("an unknown effect", """
                        rule R effect logit match s = Sigmoid(x)
                        rewrite s -> x end""",
                        "t.rw:1:15: error: unknown effect `logit` (did you mean `logits`?); the effects are logits"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorsArePinned(String label, String text, String expected) {
        RuleFrontEnd.Result r = RuleFrontEnd.load(text, "t.rw");
        assertEquals(null, r.file(), label);
        assertEquals(expected, r.diagnostics().list().get(0).toString(), r.diagnostics().format());
    }
}
