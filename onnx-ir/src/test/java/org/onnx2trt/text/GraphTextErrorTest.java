package org.onnx2trt.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Error messages are test data: each bad text and the exact message it gets, place included. */
class GraphTextErrorTest {

    static Stream<Arguments> badTexts() {
        return Stream.of(
                // ---- syntax
                Arguments.of("missing closing parenthesis", """
                        g (float[2] x) => (float[2] y) {
                          y = Relu (x
                        }
                        """, "bad.txt:3:1: error: unexpected `}`; expected `)`"),
                Arguments.of("op without parentheses", """
                        g (float[2] x) => (float[2] y) {
                          y = Relu x)
                        }
                        """, "bad.txt:2:12: error: unexpected `x`; expected one of `<`, `(`"),
                Arguments.of("stray character", """
                        g (float[2] x) => (float[2] y) {
                          y = Relu (x) ;
                        }
                        """, "bad.txt:2:16: error: unexpected character `;`"),
                Arguments.of("unterminated string", """
                        g (float[2] x) => (float[2] y) {
                          y = Pad <mode = "constant> (x)
                        }
                        """, "bad.txt:2:19: error: unterminated string; close it with `\"` on the same line"),
                Arguments.of("missing closing brace", "g (float[2] x) => (float[2] y) {\n  y = Relu (x)\n",
                        "bad.txt:3:1: error: unexpected end of input; expected one of `,`, `[`, `=`, `}`, a name, a string"),
                Arguments.of("empty text", "", "bad.txt:1:1: error: unexpected end of input; expected one of `<`, a name, a string"),
                Arguments.of("text after the graph", "g (float[2] x) => (float[2] y) { y = Relu (x) } extra",
                        "bad.txt:1:49: error: unexpected `extra`; expected end of input"),
                Arguments.of("deep nesting", "g () => () { y = If <b = " + "(".repeat(200) + "> () }",
                        "bad.txt:1:124: error: brackets nest deeper than 100 levels"),

                // ---- types
                Arguments.of("misspelt dtype", "g (flaot[2] x) => (float[2] x) {}",
                        "bad.txt:1:4: error: unknown dtype `flaot`; did you mean `float`?"),
                Arguments.of("unknown dtype", "g (float[2] x) => (tensor[2] x) {}",
                        "bad.txt:1:20: error: unknown dtype `tensor`; expected one of float, uint8, int8, uint16, int16,"
                        + " int32, int64, string, bool, float16, double, uint32, uint64, complex64, complex128, bfloat16,"
                        + " float8e4m3fn, float8e4m3fnuz, float8e5m2, float8e5m2fnuz, uint4, int4, float4e2m1, float8e8m0,"
                        + " uint2, int2, float6e2m3, float6e3m2, float32, float64"),

                // ---- names
                Arguments.of("undefined input", """
                        g (float[2] x) => (float[2] y) {
                          t = Relu (x)
                          y = Add (t, bias)
                        }
                        """, "bad.txt:3:15: error: `bias` is not defined; declare it as a graph input or initializer,"
                        + " or compute it with a node before this one"),
                Arguments.of("input read before its node", """
                        g (float[2] x) => (float[2] y) {
                          y = Add (x, t)
                          t = Relu (x)
                        }
                        """, "bad.txt:2:15: error: `t` is read before it is defined; write the node that computes it first\n"
                        + "bad.txt:3:3: note: `t` is defined here"),
                Arguments.of("duplicate node output", """
                        g (float[2] x) => (float[2] y) {
                          t = Relu (x)
                          t = Neg (x)
                          y = Add (t, x)
                        }
                        """, "bad.txt:3:3: error: `t` is already defined; every value needs its own name\n"
                        + "bad.txt:2:3: note: `t` is first defined here"),
                Arguments.of("initializer named as an input", "g (float[2] x) => (float[2] x) <float[2] x = zeros> {}",
                        "bad.txt:1:42: error: `x` is already defined; every value needs its own name\n"
                        + "bad.txt:1:13: note: `x` is first defined here"),
                Arguments.of("subgraph redefines an outer name", """
                        g (bool c, float[2] x) => (float[2] z) {
                          z = If <then_branch = t () => (float[2] x) { x = Relu (x) }, else_branch = e () => (float[2] x) {}> (c)
                        }
                        """, "bad.txt:2:48: error: `x` is already defined; every value needs its own name\n"
                        + "bad.txt:1:21: note: `x` is first defined here"),
                Arguments.of("undefined graph output", "g (float[2] x) => (float[2] y, float[2] z) { y = Relu (x) }",
                        "bad.txt:1:41: error: graph output `z` is not defined by any node, input or initializer"),
                Arguments.of("node without outputs", "g (float[2] x) => (float[2] x) { = Relu (x) }",
                        "bad.txt:1:36: error: `Relu` has no outputs; name at least one before `=`"),
                Arguments.of("domain not imported", "g (float[2] x) => (float[2] y) { y = com.acme.Foo (x) }",
                        "bad.txt:1:38: error: domain `com.acme` of `com.acme.Foo` is not imported; add `\"com.acme\" : 1`"
                        + " to `opset_import` in the header"),
                Arguments.of("default domain not imported", "<opset_import: [\"com.acme\" : 1]> g (float[2] x) => (float[2] y) { y = Relu (x) }",
                        "bad.txt:1:71: error: the default domain of `Relu` is not imported; add `\"\" : 17`"
                        + " to `opset_import` in the header"),

                // ---- data
                Arguments.of("too few values", "g (float[2] x) => (float[2] x) <float[2,2] w = {1, 2, 3}> {}",
                        "bad.txt:1:48: error: initializer `w` of shape [2,2] needs 4 values, got 3"),
                Arguments.of("value out of range", "g (float[2] x) => (float[2] x) <int8[2] w = {1, 200}> {}",
                        "bad.txt:1:49: error: `200` is out of the range of int8 [-128, 127]"),
                Arguments.of("value out of the range of float16", "g (float[2] x) => (float[2] x) <float16[1] h = {70000}> {}",
                        "bad.txt:1:49: error: `70000` is out of the range of float16"),
                Arguments.of("fraction in an integer tensor", "g (float[2] x) => (float[2] x) <int64[2] w = {1, 2.5}> {}",
                        "bad.txt:1:50: error: `2.5` is not a whole number, as int64 needs"),
                Arguments.of("symbolic initializer shape", "g (float[2] x) => (float[2] x) <float[N] w = random> {}",
                        "bad.txt:1:39: error: initializer `w` needs a static shape; `N` is not a number"),
                Arguments.of("initializer without shape", "g (float[2] x) => (float[2] x) <float w = random> {}",
                        "bad.txt:1:33: error: initializer `w` needs a shape, such as `float[4]`; write `float[]` for a scalar"),
                Arguments.of("empty uniform range", "g (float[2] x) => (float[2] x) <float[2] w = random(1, 1)> {}",
                        "bad.txt:1:53: error: `random(lo, hi)` needs lo < hi, got 1 and 1"),
                Arguments.of("huge tensor", "g (float[2] x) => (float[2] x) <float[100000,100000] w = zeros> {}",
                        "bad.txt:1:33: error: initializer `w` is too large; graph text makes tensors of at most 16777216 elements"),
                Arguments.of("string tensor", "g (float[2] x) => (float[2] x) <string[1] s = {1}> {}",
                        "bad.txt:1:47: error: initializer `s`: string tensors cannot be written in graph text"),

                // ---- attributes
                Arguments.of("duplicate attribute", "g (float[2] x) => (float[2] y) { y = Pad <mode = \"a\", mode = \"b\"> (x) }",
                        "bad.txt:1:55: error: attribute `mode` is given twice\nbad.txt:1:43: note: given first here"),
                Arguments.of("untyped empty list", "g (float[2] x) => (float[2] y) { y = Pad <pads = []> (x) }",
                        "bad.txt:1:50: error: the empty list `pads` needs its type; write `pads: ints = []` (or floats, strings)"),
                Arguments.of("declared type does not fit", "g (float[2] x) => (float[2] y) { y = Pad <pads: ints = [1.5]> (x) }",
                        "bad.txt:1:56: error: attribute `pads` is declared `ints`, but its value is a list of floats"),
                Arguments.of("unknown attribute type", "g (float[2] x) => (float[2] y) { y = Pad <p: intz = 1> (x) }",
                        "bad.txt:1:46: error: unknown attribute type `intz`; expected one of int, float, string, tensor,"
                        + " graph, ints, floats, strings"),

                // ---- header and literals
                Arguments.of("header key twice", "<ir_version: 8, ir_version: 9> g (float[2] x) => (float[2] x) {}",
                        "bad.txt:1:17: error: `ir_version` is given twice\nbad.txt:1:2: note: given first here"),
                Arguments.of("domain imported twice", "<opset_import: [\"\" : 17, \"\" : 18]> g (float[2] x) => (float[2] x) {}",
                        "bad.txt:1:26: error: domain `\"\"` is imported twice"),
                Arguments.of("integer too large", "<ir_version: 99999999999999999999> g (float[2] x) => (float[2] x) {}",
                        "bad.txt:1:14: error: `99999999999999999999` is too large for a 64-bit integer"),
                Arguments.of("unknown escape", "g (float[2] \"a\\qb\") => (float[2] \"a\\qb\") {}",
                        "bad.txt:1:13: error: unknown escape `\\q` in a string; use \\\" \\\\ \\n \\t \\r or \\uXXXX"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTexts")
    void bad_text_gets_its_message(String description, String text, String message) {
        GraphTextException e = assertThrows(GraphTextException.class, () -> GraphText.parse(text, "bad.txt", 0));
        assertEquals(message, e.getMessage());
    }

    @Test
    void the_exception_carries_the_place_apart_from_the_text() {
        GraphTextException e = assertThrows(GraphTextException.class,
                () -> GraphText.parse("g (float[2] x) => (float[2] y) {\n  y = Relu (q)\n}", "models/relu.txt", 0));
        assertEquals("models/relu.txt", e.sourceName());
        assertEquals(2, e.line());
        assertEquals(13, e.column());
        assertEquals("`q` is not defined; declare it as a graph input or initializer, or compute it with a node"
                + " before this one", e.reason());
    }
}
