package org.onnx2trt.rewrite.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onnx2trt.rewrite.eval.EvalTesting.shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.onnx2trt.dsl.ast.Assignment;
import org.onnx2trt.dsl.ast.Check;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.dsl.parse.RuleParser;
import org.onnx2trt.rewrite.eval.EvalTesting.Env;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.math.NdArray;

/**
 * The Conv+BatchNormalization fusion of DESIGN.md §4, its checks and computes evaluated as the
 * rewriter will, against the same arithmetic written as plain loops.
 */
class BatchNormFoldingTest {
    private static final String RULE = """
            /// BN(Conv(x, W, B)) -> Conv(x, W*s, (B - mean)*s + beta), s = gamma / sqrt(var + eps)
            rule FuseConvBatchNorm
            match
              conv = Conv(x, w, b?)
              bn   = BatchNormalization(conv, gamma, beta, mean, var) { epsilon: eps }
            where
              constant(w, b, gamma, beta, mean, var)   : "weights and statistics must be initializers"
              singleUse(conv)                          : "the conv output feeds only the BN"
            compute
              s  = gamma / sqrt(var + eps)
              w2 = w * unsqueezeTo(s, axis: 0, rank: rank(w))
              b2 = ((b ?? zerosLike(mean)) - mean) * s + beta
            rewrite
              bn -> Conv(x, w2, b2) { ...conv }
            end
            """;

    private static final int C = 4; // output channels
    private static final int K = 3 * 2 * 2; // weights per output channel: [C, 3, 2, 2]

    @Test
    void fold_with_a_conv_bias() {
        fold(true);
    }

    @Test
    void fold_without_a_conv_bias() {
        fold(false);
    }

    private static void fold(boolean withBias) {
        Random random = new Random(withBias ? 11 : 12);
        float[] w = floats(random, C * K, -1, 1);
        float[] b = floats(random, C, -0.5f, 0.5f);
        float[] gamma = floats(random, C, 0.5f, 2);
        float[] beta = floats(random, C, -1, 1);
        float[] mean = floats(random, C, -1, 1);
        float[] var = floats(random, C, 0.01f, 3);
        float eps = 1e-5f; // a float attribute, as ONNX stores it

        RuleDecl rule = parseRule();
        Env env = new Env().answer("constant", args -> true).answer("singleUse", args -> args.size() == 1);
        // the rewriter answers rank from the value's static type; here the constant's own
        env.answer("rank", args -> (long) env.constants.get(args.get(0)).rank());
        env.graph("conv", null);
        env.graph("w", NdArray.ofFloats(shape(C, 3, 2, 2), w));
        if (withBias) {
            env.graph("b", NdArray.ofFloats(shape(C), b));
        } else {
            env.bind("b", null);
        }
        env.graph("gamma", NdArray.ofFloats(shape(C), gamma));
        env.graph("beta", NdArray.ofFloats(shape(C), beta));
        env.graph("mean", NdArray.ofFloats(shape(C), mean));
        env.graph("var", NdArray.ofFloats(shape(C), var));
        env.bind("eps", eps);

        Evaluator evaluator = new Evaluator(env);
        for (Check check : rule.checks()) {
            assertTrue(evaluator.check(check.condition()), check.message());
        }
        Map<String, Object> computed = new LinkedHashMap<>();
        for (Assignment a : rule.computes()) {
            Object v = evaluator.evaluate(a.value());
            computed.put(a.name(), v);
            env.bind(a.name(), v); // later computes see earlier ones
        }
        assertEquals(List.of("s", "w2", "b2"), List.copyOf(computed.keySet()));

        // the same, as plain loops: every step rounded to float32 as the evaluator promises
        float[] s = new float[C];
        float[] w2 = new float[C * K];
        float[] b2 = new float[C];
        for (int c = 0; c < C; c++) {
            float varPlusEps = (float) ((double) var[c] + (double) eps);
            float root = (float) Math.sqrt(varPlusEps);
            s[c] = (float) ((double) gamma[c] / root);
            for (int k = 0; k < K; k++) {
                w2[c * K + k] = (float) ((double) w[c * K + k] * s[c]);
            }
            float centered = (float) ((double) (withBias ? b[c] : 0f) - mean[c]);
            float scaled = (float) ((double) centered * s[c]);
            b2[c] = (float) ((double) scaled + beta[c]);
        }

        Tensor sTensor = ((NdArray) computed.get("s")).toTensor("s");
        Tensor w2Tensor = ((NdArray) computed.get("w2")).toTensor("w2");
        Tensor b2Tensor = ((NdArray) computed.get("b2")).toTensor("b2");
        assertEquals(DataType.FLOAT, w2Tensor.dataType());
        assertArrayEquals(new long[] {C, 3, 2, 2}, w2Tensor.dims());
        assertArrayEquals(new long[] {C}, b2Tensor.dims());
        assertArrayEquals(s, sTensor.view().toFloatArray());
        assertArrayEquals(w2, w2Tensor.view().toFloatArray());
        assertArrayEquals(b2, b2Tensor.view().toFloatArray());

        // and close to the exact math: the fold does not drift
        for (int c = 0; c < C; c++) {
            double exactS = gamma[c] / Math.sqrt((double) var[c] + eps);
            double exactB = ((withBias ? b[c] : 0) - mean[c]) * exactS + beta[c];
            assertEquals(exactS, s[c], 1e-6 * Math.abs(exactS));
            assertEquals(exactB, b2[c], 1e-5);
            assertEquals(w[c * K] * exactS, w2[c * K], 1e-6);
        }
    }

    private static RuleDecl parseRule() {
        RuleParser.Result r = RuleParser.parse(RULE, "fuse.rw");
        assertTrue(r.ok(), r.diagnostics()::format);
        return r.file().rules().get(0);
    }

    private static float[] floats(Random random, int n, float lo, float hi) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = lo + random.nextFloat() * (hi - lo);
        }
        return out;
    }
}
