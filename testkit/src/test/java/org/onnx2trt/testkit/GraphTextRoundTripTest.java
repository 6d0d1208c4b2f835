package org.onnx2trt.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;
import org.onnx2trt.text.GraphText;

/** parse → print → parse gives the same model, and print is stable. */
class GraphTextRoundTripTest {

    static final String CONV_BN = """
            <ir_version: 8, opset_import: ["" : 17]>
            conv_bn (float[N,3,8,8] x) => (float[N,4,8,8] y)
            <float[4,3,3,3] w = random, float[4] b = {0.1, -0.2, 0.3, 0.4}, int64[2] shape = {1, -1}>
            {
              c = Conv <kernel_shape = [3,3], pads = [1,1,1,1]> (x, w, b)
              y = Relu (c)
            }
            """;

    static final String IF_AND_CUSTOM_DOMAIN = """
            <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
            branches (bool cond, float[2,4] x) => (float[2,4] z, float[2,4] g)
            <float[4] one = ones>
            {
              z = If <
                then_branch = then_g () => (float[2,4] t) <float[] two = {2.0}> { t = Mul (x, two) },
                else_branch = else_g () => (float[2,4] e) { e = Add (x, one) }
              > (cond)
              [gelu] g = com.microsoft.Gelu (z)
            }
            """;

    static final String EVERY_FORM = """
            <ir_version: 7, opset_import: ["" : 13, "com.acme" : 2], producer_name: "test", model_version: 4>
            "every form" (float[batch,?,3] "input.1", int64[] k = {3}, seq(float[2]) s, float unranked)
              => (float[batch,?,3] "out:0", int64[] k, float[2] a, float[2] b)
            <
              float[2,8] big = random(-1, 1),  # written back as random with a hash comment
              bool[3] mask = {true, false, true},
              double[2] d = {0.1, -1e300},
              float16[2] h = {0.5, -2.0},
              bfloat16[2] bf = {1.5, -3.0},
              uint64[1] u = {18446744073709551615},
              int8[20] z = zeros,
              float[20] o = ones,
              int4[4] packed = random
            >
            {
              [n1] "out:0" = Identity ("input.1")
              a, , b = com.acme.Thing <i = -3, f = nan, f2 = -inf, s = "q\\"uote\\n", is = [1,2], fs = [0.25,-1.0],
                ss = ["x", ""], e: ints = [], t = float[2,2] {1, 2, 3, 4}, big_t = float[32] random> (d, , h, mask)
            }
            """;

    static Stream<Arguments> texts() {
        return Stream.of(Arguments.of("conv_bn", CONV_BN), Arguments.of("if_and_custom_domain", IF_AND_CUSTOM_DOMAIN),
                Arguments.of("every_form", EVERY_FORM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void parse_print_parse_gives_the_same_model_and_the_same_text(String name, String text) {
        Model m = GraphText.parse(text, name, 7);
        String printed = GraphText.print(m);
        Model again = GraphText.parse(printed, name + " printed", 7);

        assertNull(StructuralDiff.compare(m, again, StructuralDiff.Options.DEFAULT.withAllData(0)), printed);
        assertEquals(m.irVersion(), again.irVersion());
        assertEquals(m.opsets(), again.opsets());
        assertEquals(m.producerName(), again.producerName());
        assertEquals(printed, GraphText.print(again), "same names and seed: the same data, so the same text");
        assertEquals(printed, GraphText.print(m), "print is stable");
    }

    @Test
    void conv_bn_prints_as_written_with_large_weights_as_random() {
        assertEquals("""
                <ir_version: 8, opset_import: ["" : 17]>
                conv_bn (float[N,3,8,8] x) => (float[N,4,8,8] y)
                <
                  float[4,3,3,3] w = random,  # 4x3x3x3 = 108 values, sha256 d8f4a8d7f045ebd6
                  float[4] b = {0.1, -0.2, 0.3, 0.4},
                  int64[2] shape = {1, -1}
                >
                {
                  c = Conv <kernel_shape = [3,3], pads = [1,1,1,1]> (x, w, b)
                  y = Relu (c)
                }
                """, GraphText.print(GraphText.parse(CONV_BN, "conv_bn", 7)));
    }

    @Test
    void subgraphs_print_their_attributes_one_a_line() {
        String printed = GraphText.print(GraphText.parse(IF_AND_CUSTOM_DOMAIN, "if", 0));
        assertEquals("""
                <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
                branches (bool cond, float[2,4] x) => (float[2,4] z, float[2,4] g)
                <
                  float[4] one = {1.0, 1.0, 1.0, 1.0}
                >
                {
                  z = If <
                    then_branch = then_g () => (float[2,4] t)
                    <
                      float[] two = {2.0}
                    >
                    {
                      t = Mul (x, two)
                    },
                    else_branch = else_g () => (float[2,4] e)
                    {
                      e = Add (x, one)
                    }
                  > (cond)
                  [gelu] g = com.microsoft.Gelu (z)
                }
                """, printed);
    }

    @Test
    void a_built_model_prints_and_parses_back() {
        Model built = SampleModels.classifier();
        Model parsed = GraphText.parse(GraphText.print(built), "classifier", 0);
        assertNull(StructuralDiff.compare(built, parsed));
    }

    static Stream<String> exports() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "testdata", "exports"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx")).sorted().toList();
            return names.stream();
        }
    }

    /** Real exports: names such as `/conv1/Conv_output_0`, Constant nodes, shape chains, inputs with defaults. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("exports")
    void a_pytorch_export_prints_and_parses_back(String file) {
        Model read = ModelReader.read(Path.of("..", "testdata", "exports", file));
        Model parsed = GraphText.parse(GraphText.print(read), file, 0);
        assertNull(StructuralDiff.compare(read, parsed));
        assertEquals(read.opsets(), parsed.opsets());
    }
}
