package org.onnx2trt.dsl.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.dsl.schema.OpSchema;
import org.onnx2trt.dsl.schema.OpSchemas;

/** "Did you mean" for op types, inputs and attributes. */
class SuggestionsTest {

    private static final OpSchemas SCHEMAS = OpSchemas.builtin();

    @Test
    void swappedLettersInAnOpType() {
        assertEquals("Conv", SCHEMAS.suggest("Covn").get(0));
        assertEquals("Sigmoid", SCHEMAS.suggest("Sigmod").get(0));
        assertEquals("Conv", SCHEMAS.suggest("conv").get(0));
    }

    @Test
    void anOpTypeTypedInPart() {
        assertTrue(SCHEMAS.suggest("BatchNorm").contains("BatchNormalization"));
    }

    @Test
    void nothingCloseMeansNoSuggestion() {
        assertEquals(List.of(), SCHEMAS.suggest("Xyzzyq"));
    }

    @Test
    void attributeOfBatchNormalization() {
        OpSchema bn = SCHEMAS.find("BatchNormalization", 15).orElseThrow();
        assertEquals(List.of("epsilon"), bn.suggestAttribute("epsilom"));
        assertEquals(List.of("momentum"), bn.suggestAttribute("momentun"));
    }

    @Test
    void spelledOutInputOfConv() {
        OpSchema conv = SCHEMAS.find("Conv", 13).orElseThrow();
        assertEquals(List.of("B"), conv.suggestInput("bais"));
        assertEquals(List.of("B"), conv.suggestInput("bias"));
        assertEquals(List.of("W"), conv.suggestInput("weight"));
        assertEquals(List.of(), conv.suggestInput("zzz"));
        assertEquals(List.of("Y"), conv.suggestOutput("y"));
    }

    @Test
    void aShortNameGetsOnlyAnExactMatchOrWhatItSpellsOut() {
        assertEquals(null, Suggestions.closest("qz", List.of("b", "by", "x")));
        assertEquals("b", Suggestions.closest("bais", List.of("b", "w", "mean")));
        assertEquals("", Suggestions.didYouMean("zz", List.of("conv")));
        assertEquals(" (did you mean `Relu`?)", Suggestions.didYouMean("Rleu", List.of("Relu", "Elu")));
    }

    @Test
    void distanceCountsASwapAsOneEdit() {
        assertEquals(1, Suggestions.distance("covn", "conv"));
        assertEquals(1, Suggestions.distance("epsilom", "epsilon"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
        assertEquals(0, Suggestions.distance("", ""));
    }
}
