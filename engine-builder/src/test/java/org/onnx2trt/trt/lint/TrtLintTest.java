package org.onnx2trt.trt.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.ir.Model;
import org.onnx2trt.text.GraphText;

/**
 * Golden findings on hand-built models, one or more per rule family: the findings (severity, rule,
 * node) a graph must give, and nothing else; a clean graph gives none.
 */
class TrtLintTest {
    private static List<String> lint(String text, String version) {
        Model m = GraphText.parse(text, "case", 1);
        return TrtLint.lint(m, TrtVersion.parse(version)).findings().stream()
                .map(f -> f.severity().label() + " " + f.rule() + " " + f.node()).toList();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a Conv network reads cleanly", """
                        m (float[1,3,8,8] x) => (float[1,4,8,8] y) <float[4,3,3,3] w = random> {
                          [conv] y = Conv <pads = [1,1,1,1]> (x, w)
                        }""", List.of()),
                Arguments.of("opset 8 is older than the parser reads", """
                        <ir_version: 4, opset_import: ["" : 8]>
                        m (float[4] x) => (float[4] y) { [r] y = Relu (x) }""", List.of("error opset (model)")),
                Arguments.of("an onnxruntime op and an op the parser does not import", """
                        <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
                        m (float[1,3,8,8] x) => (int64[3] y, float[1,3,8,8] z) <float[3,3,1,1] w = random> {
                          [fused] z = com.microsoft.FusedConv (x, w)
                          [uniq] y = Unique (x)
                        }""", List.of("error foreign-op fused", "error unsupported-op uniq")),
                Arguments.of("QOperator ops: TensorRT reads QDQ instead", """
                        m (int8[1,3,4,4] x, int8[3,3,1,1] w) => (int32[1,3,4,4] y) {
                          [ci] y = ConvInteger (x, w)
                        }""", List.of("error unsupported-op ci")),
                Arguments.of("float64 and uint16 values", """
                        m (double[4] x, float[4] f) => (double[4] y, uint16[4] u) {
                          [d] y = Relu (x)
                          [c] u = Cast <to = 4> (f)
                        }""", List.of("error unsupported-type c", "warning double d")),
                Arguments.of("asymmetric uint8 QDQ and an int32 bias: onnxruntime's form", """
                        m (float[1,8] x) => (float[1,8] y, float[8] b)
                        <float[] s = {0.1}, uint8[] z = {128}, int32[8] bq = {1,2,3,4,5,6,7,8}, float[8] sb = {0.01,0.01,0.01,0.01,0.01,0.01,0.01,0.01}>
                        {
                          [q] t = QuantizeLinear (x, s, z)
                          [dq] y = DequantizeLinear (t, s, z)
                          [bias] b = DequantizeLinear <axis = 0> (bq, sb)
                        }""", List.of("error qdq-uint8 q", "error qdq-zero-point q", "error qdq-uint8 dq", "error qdq-zero-point dq",
                        "error qdq-int32-bias bias")),
                Arguments.of("a zero scale, a wrong axis, a per-channel activation", """
                        m (float[1,8] x) => (float[4,8] y, float[1,8] a)
                        <float[4,8] w = random, float[] s0 = {0}, int8[] z = {0}, float[8] s8 = {0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1}, int8[8] z8 = {0,0,0,0,0,0,0,0}>
                        {
                          [qw] tw = QuantizeLinear <axis = 0> (w, s8, z8)
                          [dqw] y = DequantizeLinear <axis = 0> (tw, s8, z8)
                          [qx] tx = QuantizeLinear <axis = 1> (x, s8, z8)
                          [dqx] a0 = DequantizeLinear <axis = 1> (tx, s8, z8)
                          [qz] t0 = QuantizeLinear (a0, s0, z)
                          [dqz] a = DequantizeLinear (t0, s0, z)
                        }""", List.of("error qdq-axis qw", "error qdq-axis dqw", "error qdq-scale qz", "error qdq-scale dqz",
                        "warning qdq-per-channel-activation qx")),
                Arguments.of("pooling: 1-D, dilated, indices read", """
                        m (float[1,3,8] x, float[1,3,8,8] x2) => (float[1,3,4] y, float[1,3,3,3] y2, int64[1,3,4,4] i)
                        {
                          [p1] y = MaxPool <kernel_shape = [2], strides = [2]> (x)
                          [p2] y2 = AveragePool <kernel_shape = [2,2], dilations = [2,2], strides = [2,2]> (x2)
                          [p3] v, i = MaxPool <kernel_shape = [2,2], strides = [2,2]> (x2)
                        }""", List.of("error pool-rank p1", "error pool-dilations p2", "error maxpool-indices p3")),
                Arguments.of("Resize, Pad and TopK outside what TensorRT runs", """
                        m (float[1,3,4,4] x) => (float[1,3,8,8] y, float[1,3,6,6] p, float[1,3,4,4] v, int64[1,3,4,4] k)
                        <float[4] sc = {1,1,2,2}, int64[8] pads = {0,0,1,1,0,0,1,1}, int64[1] kk = {4}>
                        {
                          [rs] y = Resize <mode = "linear", coordinate_transformation_mode = "tf_crop_and_resize"> (x, , sc)
                          [pd] p = Pad <mode = "mirror"> (x, pads)
                          [tk] v, k = TopK <axis = 3, sorted = 0> (x, kk)
                        }""", List.of("error resize-mode rs", "error pad-mode pd", "error topk tk")),
                Arguments.of("operands the parser needs constant, and training modes", """
                        m (float[1,3,4,4] x, int64[1] ax, float[3] s, float[3] b, float[3] mean, float[3] var) => (float[1,3,1,4] y, float[1,3,4,4] z)
                        {
                          [rm] y = ReduceMean (x, ax)
                          [bn] z = BatchNormalization <training_mode = 1> (x, s, b, mean, var)
                        }""", List.of("error computed-operand rm", "error training-mode bn")),
                Arguments.of("a symbolic batch and a data-dependent shape", """
                        m (float[N,4] x) => (int64[2,M] y) { [nz] y = NonZero (x) }""",
                        List.of("warning data-dependent-shape nz", "info dynamic-input x"))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void findings(String title, String model, List<String> expected) {
        assertEquals(expected.stream().sorted().toList(), lint(model, "11.2").stream().sorted().toList(), title);
    }

    @Test
    void theOpsetRangeFollowsTheVersion() {
        String opset25 = """
                <ir_version: 11, opset_import: ["" : 25]>
                m (float[4] x) => (float[4] y) { [r] y = Relu (x) }""";
        assertEquals(List.of("error opset (model)"), lint(opset25, "11.2"));
        assertEquals(List.of(), lint(opset25, "11.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrtVersion.parse("8.6")).getMessage()
                .contains("give a 10.x or 11.x version"));
    }

    @Test
    void everyFindingHasAFixOrSaysWhyNot() {
        for (Arguments a : cases().toList()) {
            Model m = GraphText.parse((String) a.get()[1], "case", 1);
            for (Finding f : TrtLint.lint(m, TrtVersion.DEFAULT).findings()) {
                assertFalse(f.message().isBlank(), f.toString());
                assertFalse(f.node().isBlank(), f.toString());
            }
        }
        assertTrue(ParserOps.size() >= 200, "the parser's table: " + ParserOps.size());
    }
}
