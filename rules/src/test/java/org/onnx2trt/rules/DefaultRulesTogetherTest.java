package org.onnx2trt.rules;

import org.onnx2trt.testkit.Numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onnx2trt.inspect.ModelSummary;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.text.GraphText;

/** Rules that only make sense together: the default set on blocks that need several of them. */
class DefaultRulesTogetherTest {

    static Map<String, Integer> optimize(Model m) throws Exception {
        new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin())
                .run(m, Program.fixpoint("default", RuleLibrary.builtin().select(List.of(), List.of())), new Trace(false));
        assertEquals(List.of(), GraphValidator.errors(m));
        return ModelSummary.of(m).opHistogram();
    }

    /** BN(Conv3×3(x)) + BN(Conv1×1(x)) + BN(x): three BN folds, the branch merge, then the identity. */
    @Test
    void aRepVggTrainingBlockBecomesOneConv() throws Exception {
        String text = """
                m (float[1,4,8,8] x) => (float[1,4,8,8] y)
                <float[4,4,3,3] w3 = random, float[4,4,1,1] w1 = random,
                 float[4] g3 = random(0.5, 1.5), float[4] b3 = random, float[4] m3 = random, float[4] v3 = random(0.5, 2),
                 float[4] g1 = random(0.5, 1.5), float[4] b1 = random, float[4] m1 = random, float[4] v1 = random(0.5, 2),
                 float[4] gi = random(0.5, 1.5), float[4] bi = random, float[4] mi = random, float[4] vi = random(0.5, 2)>
                {
                  c3 = Conv <kernel_shape = [3,3], pads = [1,1,1,1], strides = [1,1], dilations = [1,1], group = 1> (x, w3)
                  n3 = BatchNormalization (c3, g3, b3, m3, v3)
                  c1 = Conv <kernel_shape = [1,1], pads = [0,0,0,0], strides = [1,1], dilations = [1,1], group = 1> (x, w1)
                  n1 = BatchNormalization (c1, g1, b1, m1, v1)
                  ni = BatchNormalization (x, gi, bi, mi, vi)
                  s = Add (n3, n1)
                  y = Add (s, ni)
                }
                """;
        Model before = GraphText.parse(text, "repvgg", 1);
        Model after = GraphText.parse(text, "repvgg", 1);
        assertEquals(Map.of("Conv", 1), optimize(after));
        Numerics.assertSameOutputs(before, after, 1e-5, "repvgg block");
    }

    /** (x − mean) / std before an unpadded stem conv, whose BN follows: both folds, one Conv. */
    @Test
    void aNormalizationPrologueAndTheStemBatchNormFold() throws Exception {
        String text = """
                m (float[1,3,16,16] x) => (float[1,8,7,7] y)
                <float[1,3,1,1] mean = random, float[1,3,1,1] std = random(0.2, 0.3), float[8,3,3,3] w = random,
                 float[8] g = random(0.5, 1.5), float[8] be = random, float[8] mu = random, float[8] v = random(0.5, 2)>
                {
                  s = Sub (x, mean)
                  n = Div (s, std)
                  c = Conv <strides = [2,2]> (n, w)
                  b = BatchNormalization (c, g, be, mu, v)
                  y = Relu (b)
                }
                """;
        Model before = GraphText.parse(text, "stem", 1);
        Model after = GraphText.parse(text, "stem", 1);
        assertEquals(Map.of("Conv", 1, "Relu", 1), optimize(after));
        Numerics.assertSameOutputs(before, after, 1e-5, "normalized stem");
    }
}
