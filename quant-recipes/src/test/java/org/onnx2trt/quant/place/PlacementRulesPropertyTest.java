package org.onnx2trt.quant.place;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.verify.property.RuleProperty;

/**
 * The placement rules are approximate (they change numbers by design) and state their bound
 * ({@code approx snr 25}): on generated instances of their own patterns, calibrated on the samples
 * they run on, every output keeps that SNR. A placement with a wrong scale is caught. The rules that
 * carry a scale across data movement (Reshape, Transpose, MaxPool, ...) are exact and checked equal.
 * The analytic bias correction (bias_correction.rw) and the removal of QDQ pairs in front of float ops
 * (qat_float_ops.rw) state their bounds the same way.
 */
class PlacementRulesPropertyTest {
    static Stream<RuleDecl> rules() {
        return Stream.of(Stream.of(QdqPlacement.Target.values()).flatMap(t -> t.rules().stream()),
                AnalyticBiasCorrection.rules().stream().map(CompiledRule::decl), // bias_correction.rw: approximate too
                FloatOpQdqRemoval.rules().stream().map(CompiledRule::decl)) // qat_float_ops.rw: approximate too
                .flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void keepsTheSnrItStatesOrIsExact(RuleDecl rule) {
        boolean movesValuesOnly = rule.name().startsWith("Propagate") || rule.name().startsWith("CarryScale");
        assertEquals(!movesValuesOnly, rule.metadata().isApproximate(),
                rule.name() + ": a placement states its bound; a rule that only carries a scale across data movement is exact");
        RuleProperty.Outcome o = RuleProperty.check(CompiledRule.compile(rule), new RuleProperty.Settings(60, 3, 100));
        System.out.println("[placement] " + o.describe().lines().findFirst().orElse(""));
        assertTrue(o.passed(), o.describe());
    }

    @Test
    void aScaleTenTimesTooFineIsCaught() {
        String wrong = """
                /// Conv(x, W) with x quantized at amax / 1270: every value above amax / 10 saturates
                rule QuantizeConvClipped
                  opset 13..
                  tags quant
                  opt-in
                  approx snr 25
                match
                  conv = Conv(x, w, b?)
                where
                  hasCalib(x)       : "no range"
                  calib(x).amax > 0 : "zero range"
                compute
                  sx = tensor(calib(x).scale / 10)
                  zx = cast(zerosLike(sx), int8)
                rewrite
                  conv -> Conv(DequantizeLinear(QuantizeLinear(x, sx, zx), sx, zx), w, b) { ...conv }
                end
                """;
        RuleFrontEnd.Result r = RuleFrontEnd.load(wrong, "wrong.rw");
        assertTrue(r.ok(), r.diagnostics().format());
        List<RuleDecl> rules = r.file().rules();
        RuleProperty.Outcome o = RuleProperty.check(CompiledRule.compile(rules.get(0)), new RuleProperty.Settings(60, 3, 100));
        assertTrue(o.refuted(), o.describe());
        assertTrue(o.describe().contains("below the 25.0 dB the rule states (approx snr)"), o.describe());
        assertEquals("FAIL", o.status());
    }
}
