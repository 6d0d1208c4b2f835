package org.onnx2trt.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.onnx2trt.ir.Model;
import org.onnx2trt.testkit.StructuralDiff.Options;
import org.onnx2trt.text.GraphText;

/** Equal up to names; every other difference found and said in words. Each equal case has a different sibling. */
class StructuralDiffTest {

    static final String CONV_RELU = """
            g (float[1,3,8,8] x) => (float[1,4,8,8] y)
            <float[4,3,3,3] w = random, float[4] b = {0.1, -0.2, 0.3, 0.4}>
            {
              [conv1] c = Conv <kernel_shape = [3,3], pads = [1,1,1,1]> (x, w, b)
              y = Relu (c)
            }
            """;

    private static String diff(String expected, String actual) {
        return diff(expected, actual, Options.DEFAULT);
    }

    private static String diff(String expected, String actual, Options options) {
        return StructuralDiff.compare(GraphText.parse(expected, "expected", 1), GraphText.parse(actual, "actual", 2), options);
    }

    @Test
    void equal_under_renaming_of_values_nodes_and_initializers() {
        assertNull(diff(CONV_RELU, """
                other (float[1,3,8,8] input) => (float[1,4,8,8] y)
                <float[4] bias = {0.1, -0.2, 0.3, 0.4}, float[4,3,3,3] weight = random>
                {
                  [Conv_0] t0 = Conv <pads = [1,1,1,1], kernel_shape = [3,3]> (input, weight, bias)
                  [Relu_1] y = Relu (t0)
                }
                """), "names, initializer order, attribute order and large random data do not matter");
    }

    @Test
    void equal_when_independent_nodes_come_in_another_order() {
        String expected = "g (float[2] x) => (float[2] y) { a = Relu (x) b = Neg (x) y = Add (a, b) }";
        assertNull(diff(expected, "g (float[2] x) => (float[2] y) { q = Neg (x) p = Relu (x) y = Add (p, q) }"));
        assertEquals("input 0 of Add computing `y`: expected Relu computing `a`, actual Neg computing `p`",
                diff(expected, "g (float[2] x) => (float[2] y) { q = Relu (x) p = Neg (x) y = Add (p, q) }"));
    }

    @Test
    void an_attribute_value_differs() {
        assertEquals("Conv computing `c`: attribute `pads`: expected [1,1,1,1], actual [0,0,0,0]",
                diff(CONV_RELU, CONV_RELU.replace("pads = [1,1,1,1]", "pads = [0,0,0,0]")));
    }

    @Test
    void an_attribute_is_missing_or_extra() {
        assertEquals("Conv computing `c`: expected attribute `pads` = [1,1,1,1], actual has none",
                diff(CONV_RELU, CONV_RELU.replace(", pads = [1,1,1,1]", "")));
        assertEquals("Conv computing `c`: actual has an extra attribute `group` = 1",
                diff(CONV_RELU, CONV_RELU.replace("pads = [1,1,1,1]", "pads = [1,1,1,1], group = 1")));
    }

    @Test
    void the_input_order_differs() {
        String expected = "g (float[2] x, float[2] z) => (float[2] y) { y = Sub (x, z) }";
        assertNull(diff(expected, "g (float[2] a, float[2] b) => (float[2] y) { y = Sub (a, b) }"));
        assertEquals("input 0 of Sub computing `y`: expected graph input 0 `x`, actual graph input 1 `z`",
                diff(expected, "g (float[2] x, float[2] z) => (float[2] y) { y = Sub (z, x) }"));
    }

    @Test
    void the_op_type_or_domain_differs() {
        assertEquals("graph output 0 `y`: expected Relu computing `y`, actual Sigmoid computing `y`",
                diff(CONV_RELU, CONV_RELU.replace("Relu", "Sigmoid")));
        String header = "<opset_import: [\"\" : 17, \"com.microsoft\" : 1, \"com.acme\" : 1]>\n";
        assertEquals("graph output 0 `y`: expected com.microsoft::Gelu computing `y`, actual com.acme::Gelu computing `y`",
                diff(header + "g (float[2] x) => (float[2] y) { y = com.microsoft.Gelu (x) }",
                        header + "g (float[2] x) => (float[2] y) { y = com.acme.Gelu (x) }"));
    }

    @Test
    void a_graph_output_name_differs_unless_told_to_ignore_it() {
        String renamed = CONV_RELU.replace("y", "out");
        assertEquals("graph output 0: expected name `y`, actual `out`; rewrites must keep the names of graph outputs",
                diff(CONV_RELU, renamed));
        assertNull(diff(CONV_RELU, renamed, Options.DEFAULT.ignoringOutputNames()));
    }

    @Test
    void an_initializer_shape_differs() {
        assertEquals("input 1 of Conv computing `c`, initializer `w`: expected float32[4,3,3,3], actual float32[4,3,1,1]",
                diff(CONV_RELU, CONV_RELU.replace("float[4,3,3,3] w", "float[4,3,1,1] w")));
    }

    @Test
    void small_initializer_data_is_compared_large_only_when_asked() {
        assertEquals("input 2 of Conv computing `c`, initializer `b`: data differs at element 2: expected 0.3, actual 0.5"
                        + " (expected {0.1, -0.2, 0.3, 0.4}, actual {0.1, -0.2, 0.5, 0.4})",
                diff(CONV_RELU, CONV_RELU.replace("0.3", "0.5")));
        assertNull(diff(CONV_RELU, CONV_RELU.replace("0.3", "0.3000001")), "within the default tolerance");
        assertNull(diff(CONV_RELU, CONV_RELU.replace("0.3", "0.5"), Options.DEFAULT.structureOnly()));
        String large = diff(CONV_RELU, CONV_RELU, Options.DEFAULT.withAllData(1e-6)); // seeds 1 and 2 differ
        assertEquals("input 1 of Conv computing `c`, initializer `w`: data differs at element 0", large.substring(0, large.indexOf(": expected ", 60)));
    }

    @Test
    void a_value_read_twice_is_not_two_equal_values() {
        String shared = "g (float[2] x) => (float[2] y) { a = Relu (x) y = Add (a, a) }";
        assertEquals("input 1 of Add computing `y`: expected `a` (output 0 of Relu), actual `a2` (output 0 of Relu);"
                        + " expected `a` corresponds to actual `a1` elsewhere",
                diff(shared, "g (float[2] x) => (float[2] y) { a1 = Relu (x) a2 = Relu (x) y = Add (a1, a2) }"));
    }

    @Test
    void nodes_and_initializers_no_output_depends_on_count_too() {
        String expected = "g (float[2] x) => (float[2] y) { y = Relu (x) }";
        assertEquals("expected 0 nodes that no graph output depends on, actual 1 (Neg computing `dead`)",
                diff(expected, "g (float[2] x) => (float[2] y) { y = Relu (x) dead = Neg (x) }"));
        assertNull(diff("g (float[2] x) => (float[2] y) { y = Relu (x) unused = Neg (x) }",
                "g (float[2] x) => (float[2] y) { dead = Neg (x) y = Relu (x) }"));
        assertEquals("expected 1 unused initializer (`w`), actual 0",
                diff("g (float[2] x) => (float[2] y) <float[2] w = zeros> { y = Relu (x) }", expected));
    }

    @Test
    void graph_inputs_compare_by_position_and_type() {
        assertEquals("graph input 0 `x`: expected float32[1,3,8,8], actual float32[N,3,8,8]",
                diff(CONV_RELU, CONV_RELU.replace("float[1,3,8,8] x", "float[N,3,8,8] x")));
        assertEquals("expected 1 graph input (`x`), actual 2 (`x`, `extra`)",
                diff(CONV_RELU, CONV_RELU.replace("float[1,3,8,8] x", "float[1,3,8,8] x, float[1] extra")));
    }

    @Test
    void subgraphs_are_compared_with_their_place_in_the_message() {
        String expected = """
                g (bool c, float[2] x) => (float[2] z) {
                  z = If <then_branch = t () => (float[2] a) { a = Relu (x) }, else_branch = e () => (float[2] x) {}> (c)
                }
                """;
        assertNull(diff(expected, expected.replace("(float[2] a) { a = Relu", "(float[2] b) { b = Relu")));
        assertEquals("If computing `z`, attribute `then_branch`: graph output 0 `a`: expected Relu computing `a`,"
                + " actual Neg computing `a`", diff(expected, expected.replace("Relu", "Neg")));
        assertEquals("If computing `z`, attribute `else_branch`: graph output 0 `x` (actual `q`): expected graph input 1 `x`,"
                + " actual `q` (output 0 of Identity)",
                diff(expected, expected.replace("(float[2] x) {}", "(float[2] q) { q = Identity (x) }")));
    }

    @Test
    void omitted_inputs_and_outputs_must_match() {
        String expected = "g (float[2] x, float[] r) => (float[2] y) { y, = Dropout (x, r) }";
        assertEquals("Dropout computing `y`: output 1: expected none (omitted), actual `mask`",
                diff(expected, "g (float[2] x, float[] r) => (float[2] y) { y, mask = Dropout (x, r) }"));
        assertEquals("Dropout computing `y`: expected 2 inputs, actual 3",
                diff(expected, "g (float[2] x, float[] r) => (float[2] y) { y, = Dropout (x, , r) }"));
        assertEquals("input 1 of Dropout computing `y`: expected graph input 1 `r`, actual no value (an omitted optional input)",
                diff(expected, "g (float[2] x, float[] r) => (float[2] y) { y, = Dropout (x, ) }"));
    }

    @Test
    void a_model_equals_itself() {
        Model m = GraphText.parse(GraphTextRoundTripTest.IF_AND_CUSTOM_DOMAIN, "m", 0);
        assertNull(StructuralDiff.compare(m, m, Options.DEFAULT.withAllData(0)));
    }
}
