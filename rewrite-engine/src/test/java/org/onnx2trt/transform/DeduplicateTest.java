package org.onnx2trt.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;

class DeduplicateTest {
    @Test
    void equalInitializersAndEqualNodesMerge() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 3);
        Value a1 = b.floats("a1", 1, 2, 3);
        Value a2 = b.floats("a2", 1, 2, 3); // same bytes as a1
        Value c = b.floats("c", 1, 2, 4);   // different
        Value m1 = b.op("Mul", x, a1).out();
        Value m2 = b.op("Mul", x, a2).out(); // the same as m1 once a2 is a1
        Value r1 = b.op("LeakyRelu", m1).attr("alpha", 0.1f).out();
        Value r2 = b.op("LeakyRelu", m2).attr("alpha", 0.2f).out(); // other attribute: stays
        Value s = b.op("Add", b.op("Add", r1, r2).out(), b.op("Mul", x, c).out()).outputNames("y").out();
        b.output(s, DataType.FLOAT, 3);
        Model m = b.build();

        Deduplicate.Merged merged = Deduplicate.run(m.graph());

        assertEquals(new Deduplicate.Merged(1, 1), merged);
        assertEquals(List.of("a1", "c"), m.graph().initializers().stream().map(Value::name).toList());
        List<Node> relus = m.graph().nodeList().stream().filter(n -> n.opType().equals("LeakyRelu")).toList();
        assertEquals(2, relus.size());
        assertSame(relus.get(0).input(0), relus.get(1).input(0), "both read the one Mul left");
        assertEquals(List.of(), GraphValidator.errors(m));
    }

    @Test
    void tensorsThatDifferOnlyPastTheHashedBytesStayApart() {
        float[] head = new float[100]; // 400 bytes: the hash reads only the first 64
        float[] tail = head.clone();
        tail[99] = 1;
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 100);
        Value p = b.floats("p", head);
        Value q = b.floats("q", tail);
        Value r = b.floats("r", head.clone());
        b.output(b.op("Add", b.op("Add", b.op("Mul", x, p).out(), b.op("Mul", x, q).out()).out(),
                b.op("Sub", x, r).out()).outputNames("y").out(), DataType.FLOAT, 100);
        Model m = b.build();

        assertEquals(1, Deduplicate.run(m.graph()).initializers());
        assertEquals(List.of("p", "q"), m.graph().initializers().stream().map(Value::name).toList());
    }

    @Test
    void randomNodesAndGraphOutputsStayApart() {
        GraphBuilder b = new GraphBuilder("g");
        Value r1 = b.op("RandomNormal").attr("shape", 2L).out();
        Value r2 = b.op("RandomNormal").attr("shape", 2L).out();
        Value x = b.input("x", DataType.FLOAT, 2);
        Value n1 = b.op("Neg", x).outputNames("n1").out();
        Value n2 = b.op("Neg", x).outputNames("n2").out();
        b.output(b.op("Add", r1, r2).outputNames("y").out(), DataType.FLOAT, 2);
        b.output(n1, DataType.FLOAT, 2);
        b.output(n2, DataType.FLOAT, 2);
        Model m = b.build();
        assertEquals(new Deduplicate.Merged(0, 0), Deduplicate.run(m.graph()));
        assertEquals(5, m.graph().nodeCount());
    }
}
