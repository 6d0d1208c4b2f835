package org.onnx2trt.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.dsl.schema.AttributeKind;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.math.NdArray;

/** Operands that moved from attributes to inputs, read by schema name in either form. */
class OpOperandsTest {
    private static final OpOperands OPERANDS = OpOperands.builtin();

    private static Optional<OpOperands.AttributeForm> form(String op, long opset, int index) {
        return OPERANDS.attributeForm("", op, opset, index);
    }

    @Test
    void theSchemaTableSaysWhereEachOperandMoved() {
        assertEquals(new OpOperands.AttributeForm("pads", "pads", AttributeKind.INTS), form("Pad", 10, 1).orElseThrow());
        assertEquals(new OpOperands.AttributeForm("constant_value", "value", AttributeKind.FLOAT), form("Pad", 10, 2).orElseThrow());
        assertTrue(form("Pad", 11, 1).isEmpty(), "an input from opset 11");
        assertTrue(form("Pad", 10, 3).isEmpty(), "axes never was an attribute");
        assertEquals("axes", form("Squeeze", 12, 1).orElseThrow().attribute());
        assertTrue(form("Squeeze", 13, 1).isEmpty());
        assertEquals("axes", form("ReduceMean", 17, 1).orElseThrow().attribute());
        assertTrue(form("ReduceMean", 18, 1).isEmpty());
        assertTrue(form("ReduceSum", 13, 1).isEmpty());
        assertEquals("ends", form("Slice", 9, 2).orElseThrow().attribute());
        assertTrue(form("Slice", 9, 4).isEmpty(), "steps came with the input form");
        assertEquals(new OpOperands.AttributeForm("K", "k", AttributeKind.INT), form("TopK", 9, 1).orElseThrow());
        assertEquals("min", form("Clip", 10, 1).orElseThrow().attribute());
        assertEquals("split", form("Split", 12, 1).orElseThrow().attribute());
        assertTrue(form("Conv", 9, 2).isEmpty(), "an optional input, never an attribute");
        assertTrue(OPERANDS.attributeForm("com.microsoft", "Pad", 10, 1).isEmpty(), "other domains are not known");
    }

    @Test
    void aConstantOperandReadsTheSameInBothForms() {
        GraphBuilder old = new GraphBuilder("old");
        Value x = old.input("x", DataType.FLOAT, 1, 3, 4);
        old.output(old.op("Pad", x).attr("pads", 0L, 0, 1, 0, 0, 1).attr("value", 2f).out());
        Model m10 = old.build(10);

        GraphBuilder now = new GraphBuilder("now");
        Value y = now.input("x", DataType.FLOAT, 1, 3, 4);
        now.output(now.op("Pad", y, now.longs("pads", 0, 0, 1, 0, 0, 1), now.floats("v", new long[0], 2f)).out());
        Model m11 = now.build(11);

        for (Model m : new Model[] {m10, m11}) {
            Node pad = m.graph().nodes().iterator().next();
            long opset = m.opsetVersion("");
            assertArrayEquals(new long[] {0, 0, 1, 0, 0, 1}, NdArray.of(OPERANDS.constant(pad, opset, "pads")).toLongArray());
            Tensor value = OPERANDS.constant(pad, opset, "constant_value");
            assertEquals(0, value.rank(), "a scalar in both forms");
            assertEquals(2.0, NdArray.of(value).getDouble(0));
            assertNull(OPERANDS.constant(pad, opset, "axes"));
            assertNull(OPERANDS.constant(pad, opset, "no_such_operand"));
        }
    }

    @Test
    void aValueGoesBackIntoTheAttributeItCameFrom() {
        var axes = form("Unsqueeze", 11, 1).orElseThrow();
        Attribute a = OpOperands.toAttribute(axes, NdArray.ofLongs(DataType.INT64, new long[] {2}, 0, 2));
        assertEquals(java.util.List.of(0L, 2L), a.asInts());
        var k = form("TopK", 9, 1).orElseThrow();
        assertEquals(5, OpOperands.toAttribute(k, NdArray.ofLongs(DataType.INT64, new long[] {1}, 5)).asInt());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpOperands.toAttribute(k, NdArray.ofLongs(DataType.INT64, new long[] {2}, 5, 6)));
        assertTrue(e.getMessage().contains("`K` is the single-value attribute `k`"), e.getMessage());
    }
}
