package org.onnx2trt.verify.property;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.onnx2trt.rewrite.CompiledRule;

/**
 * A rule that names an operand as an input is tried in both forms: the generator builds some
 * instances at the bottom of the rule's range, where the operand is an attribute.
 */
class OpsetFormsTest {
    private static Set<Long> opsetsDrawn(CompiledRule rule) {
        Set<Long> opsets = new TreeSet<>();
        for (long seed = 1; seed <= 40; seed++) {
            opsets.add(InstanceGenerator.generate(rule, Choices.fresh(seed)).model().opsetVersion(""));
        }
        return opsets;
    }

    @Test
    void anOperandThatMovedIsGeneratedInBothForms() {
        CompiledRule squeezes = MutationTest.compile("""
                rule NopSqueeze
                match
                  s = Squeeze(x, axes?)
                where
                  size(axes ?? []) == 0 : "axes given"
                rewrite
                  s -> x
                end
                """);
        assertEquals(Set.of(7L, 18L), opsetsDrawn(squeezes));
    }

    @Test
    void aRuleWithoutSuchOperandsKeepsTheTopOfItsRange() {
        CompiledRule relu = MutationTest.compile("""
                rule ReluRelu
                  opset 9..
                match
                  a = Relu(x)
                  b = Relu(a)
                rewrite
                  b -> a
                end
                """);
        assertEquals(Set.of(18L), opsetsDrawn(relu));
    }
}
