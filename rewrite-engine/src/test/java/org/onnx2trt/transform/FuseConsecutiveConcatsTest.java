package org.onnx2trt.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.text.GraphText;

class FuseConsecutiveConcatsTest {
    private static Model parse(String text) {
        return GraphText.parse("<ir_version: 8, opset_import: [\"\" : 17]>\n" + text, "test", 1);
    }

    private static List<String> inputsOfLast(Model m) {
        Node last = m.graph().lastNode();
        return last.inputs().stream().map(Value::name).toList();
    }

    @Test
    void anInnerConcatInTheMiddleIsSplicedInPlace() {
        Model m = parse("""
                g (float[2,1] a, float[2,2] b, float[2,3] c, float[2,4] d) => (float[2,10] y)
                {
                  inner = Concat <axis = 1> (b, c)
                  y = Concat <axis = -1> (a, inner, d)
                }
                """);
        assertEquals(1, FuseConsecutiveConcats.run(m));
        assertEquals(List.of("a", "b", "c", "d"), inputsOfLast(m));
        assertEquals(1, m.graph().nodeCount());
    }

    @Test
    void nestedConcatsFlattenAndOtherAxesOrReadersStay() {
        Model m = parse("""
                g (float[2,1] a, float[2,2] b, float[2,3] c) => (float[2,6] y, float[4,3] z)
                {
                  i1 = Concat <axis = 1> (a, b)
                  i2 = Concat <axis = 1> (i1, c)
                  y = Concat <axis = 1> (i2)
                  s = Concat <axis = 0> (c, c)
                  z = Concat <axis = 1> (s)
                }
                """);
        assertEquals(2, FuseConsecutiveConcats.run(m), "i1 into i2, i2 into y; s is joined along another axis");
        assertEquals(List.of("a", "b", "c"), m.graph().lookup("y").producer().inputs().stream().map(Value::name).toList());
        assertEquals(3, m.graph().nodeCount());
    }
}
