package org.onnx2trt.dsl.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading users' schema files, merging them, and the exact messages for malformed ones. */
class SchemaFileTest {

    private static final String CUSTOM = """
            # a custom domain
            domain com.example
            op FusedConvAct since 1
              in   X
              in   W
              in   B optional
              out  Y
              attr activation string = "Relu"     # trailing comment
              attr alpha      float  = -0.5
              attr dims       ints   = [1, -2]
              attr names      strings = ["a \\"b\\"", "#c"]
              attr body       graph  optional
            op FusedConvAct since 3, 5 deprecated
              in   X
              in   rest variadic optional
              out  Y
            """;

    @Test
    void loadsACustomDomain() {
        OpSchemas custom = OpSchemas.load(new StringReader(CUSTOM), "custom.schema");
        assertEquals(List.of("com.example"), List.copyOf(custom.domains()));
        OpSchema v1 = custom.find("com.example", "FusedConvAct", 2).orElseThrow();
        assertEquals("com.example", v1.domain());
        assertEquals("Relu", v1.attribute("activation").orElseThrow().defaultValue());
        assertEquals(-0.5f, v1.attribute("alpha").orElseThrow().defaultValue());
        assertEquals(List.of(1L, -2L), v1.attribute("dims").orElseThrow().defaultValue());
        assertEquals(List.of("a \"b\"", "#c"), v1.attribute("names").orElseThrow().defaultValue());
        assertEquals("com.example.FusedConvAct-1", v1.toString());
        OpSchema v5 = custom.find("com.example", "FusedConvAct", 9).orElseThrow();
        assertEquals(5, v5.sinceVersion());
        assertTrue(v5.deprecated());
        assertEquals(1, v5.minInputs());
        assertEquals(List.of(1, 3, 5), custom.all("com.example", "FusedConvAct").stream().map(OpSchema::sinceVersion).toList());
        assertTrue(custom.find("FusedConvAct", 5).isEmpty(), "not in the default domain");
    }

    @Test
    void mergesWithTheBuiltinTable() {
        OpSchemas merged = OpSchemas.builtin().merge(OpSchemas.parse(CUSTOM, "custom.schema"));
        assertTrue(merged.find("Conv", 13).isPresent());
        assertTrue(merged.find("com.example", "FusedConvAct", 1).isPresent());
        assertEquals(OpSchemas.builtin().size() + 3, merged.size());
        assertEquals(List.of("FusedConvAct"), merged.suggest("com.example", "FusedConvActt"));
    }

    @Test
    void mergingTheSameRevisionTwiceNamesBothPlaces() {
        OpSchemas a = OpSchemas.parse("domain com.x\nop Foo since 1\n  in X\n", "a.schema");
        OpSchemas b = OpSchemas.parse("\ndomain com.x\nop Foo since 1\n", "b.schema");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.merge(b));
        assertEquals("`Foo` since 1 in domain `com.x` is defined twice: at a.schema:2 and at b.schema:3",
                e.getMessage());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
        'op Foo since 1\\n  in X\\n  attr a flaot = 1'          | bad.schema:3: unknown attribute type `flaot`; did you mean `float`?
        'op Foo since 1\\n  attr a int = 1.5'                   | bad.schema:2: default `1.5` of `a` is not an int
        'op Foo since 1\\n  attr a float = abc'                 | bad.schema:2: default `abc` of `a` is not a float
        'op Foo since 1\\n  attr a string = NOTSET'             | bad.schema:2: default `NOTSET` of `a` is not a string; write it in double quotes
        'op Foo since 1\\n  attr a ints = 1'                    | bad.schema:2: default of `a` must be a list like [1, 2], since its type is ints
        'op Foo since 1\\n  attr a ints = [1, 2,]'              | bad.schema:2: trailing `,` in the default of `a`
        'op Foo since 1\\n  attr a tensor = 1'                  | bad.schema:2: attribute `a` of type tensor cannot have a default
        'op Foo since 1\\n  attr a int'                         | bad.schema:2: expected `attr NAME TYPE = DEFAULT`, `attr NAME TYPE optional` or `attr NAME TYPE required`
        'op Foo since 1\\n  attr a int required 3'              | bad.schema:2: unexpected `3` after `required`
        'op Foo since 1\\n  attr a int = 1\\n  attr a int = 2'  | bad.schema:3: duplicate attribute `a` in `Foo`
        'op Foo since 1\\n  in X\\n  in X'                      | bad.schema:3: duplicate input `X` in `Foo`
        'op Foo since 1\\n  in X variadic\\n  in Y'             | bad.schema:3: input `Y` follows variadic input `X`; only the last input may be variadic
        'op Foo since 1\\n  out Y opt'                          | bad.schema:2: unknown marker `opt` on output `Y`; expected `optional` or `variadic`
        '  in X'                                                | bad.schema:1: `in` outside an `op` block
        'op Foo'                                                | bad.schema:1: expected `op NAME since VERSION[, VERSION...] [deprecated]`
        'op Foo since one'                                      | bad.schema:1: since-version `one` is not a number
        'op Foo since 0'                                        | bad.schema:1: since-version must be positive, got 0
        'op Foo since 11, 9'                                    | bad.schema:1: since-versions must increase, but 9 follows 11
        'op Foo since 1,'                                       | bad.schema:1: expected a version after `,`
        'op Foo since 1 obsolete'                               | bad.schema:1: unexpected `obsolete` after the versions; expected `op NAME since VERSION[, VERSION...] [deprecated]`
        '# ok\\n\\noperator Foo'                                | bad.schema:3: expected `op`, `in`, `out`, `attr` or `domain`, found `operator`
        'op Foo since 1\\n  attr a string = "x'                 | bad.schema:2: unterminated string
        'op Foo since 1\\n  in X;'                              | bad.schema:2: unexpected character `;`
        'op Foo since 1\\nop Foo since 1'                       | bad.schema:2: `Foo` since 1 is already defined at bad.schema:1
        'domain'                                                | bad.schema:1: expected `domain NAME`
        """)
    void malformedFilesNameTheLine(String text, String message) {
        String source = text.replace("\\n", "\n");
        OpSchemaParseException e = assertThrows(OpSchemaParseException.class,
                () -> OpSchemas.parse(source, "bad.schema"));
        assertEquals(message, e.getMessage());
        assertEquals("bad.schema", e.sourceName());
        assertEquals(Integer.parseInt(message.split(":")[1]), e.line());
    }

    @Test
    void theBuiltinSourceNameIsWhatErrorsInItWouldCarry() {
        OpSchemaParseException e = assertThrows(OpSchemaParseException.class,
                () -> OpSchemas.parse("op Conv since 1\n  attr group int = one\n", OpSchemas.BUILTIN_SOURCE));
        assertEquals("onnx-ops.schema:2: default `one` of `group` is not an int", e.getMessage());
    }

    @Test
    void recordsRejectInconsistentValues() {
        assertThrows(IllegalArgumentException.class,
                () -> new AttributeSpec("a", AttributeKind.INT, 1.0f, false));
        assertThrows(IllegalArgumentException.class,
                () -> new AttributeSpec("a", AttributeKind.INT, 1L, true));
        assertThrows(IllegalArgumentException.class, () -> new OpSchema("", "Foo", 1,
                List.of(new ParamSpec("a", false, true), new ParamSpec("b", false, false)), List.of(), List.of()));
        assertEquals("", new OpSchema("ai.onnx", "Foo", 1, List.of(), List.of(), List.of()).domain());
    }
}
