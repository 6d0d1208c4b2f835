package org.onnx2trt.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.dsl.ast.RuleDecl;

/** The shipped rule files pass the front end and keep the house rules. */
class BuiltinRulesTest {

    @Test
    void everyFileLoadsWithoutDiagnostics() {
        for (String name : BuiltinRules.FILES) {
            RuleFrontEnd.Result r = RuleFrontEnd.load(BuiltinRules.read(name), name);
            assertTrue(r.ok(), r.diagnostics().format());
            assertEquals("", r.diagnostics().format(), name);
        }
    }

    @Test
    void ruleNamesAreUniqueAndEveryRuleStatesItsAlgebra() {
        Set<String> names = new HashSet<>();
        for (RuleDecl r : BuiltinRules.rules()) {
            assertTrue(names.add(r.name()), "duplicate rule " + r.name());
            assertFalse(r.doc().isEmpty(), r.name() + " has no /// line with its algebra");
            assertTrue(r.doc().get(0).contains("->"), r.name() + ": the algebra line shows before -> after");
        }
        assertTrue(names.containsAll(List.of("FuseConvBatchNorm", "FuseConvTransposeBatchNorm", "EliminateIdentity",
                "EliminateDropout", "FuseTransposeTranspose", "QuantizeConvWeightPerChannel")), names.toString());
    }

    @Test
    void everyCheckSaysWhyItDeclines() {
        for (RuleDecl r : BuiltinRules.rules()) {
            r.checks().forEach(c -> assertFalse(c.message() == null || c.message().isBlank(), r.name()));
        }
    }
}
