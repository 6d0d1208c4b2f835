package org.onnx2trt.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.DataType;

class CanonicalizeTest {

    @Test
    void constantNodesBecomeInitializersOfTheSameName() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 3);
        Value c = b.op("Constant").attr(Attribute.ofTensor("value",
                TensorProto.newBuilder().setName("ignored").setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(3)
                        .addFloatData(1).addFloatData(2).addFloatData(3).build())).outputNames("c").out();
        Value k = b.op("Constant").attr("value_ints", 2L, 3L).outputNames("k").out();
        Value y = b.op("Mul", x, c).outputNames("y").out();
        Value s = b.op("Reshape", y, k).outputNames("s").out();
        b.output(s);
        Model m = b.build();

        Canonicalize.Changes changes = Canonicalize.forRewriting(m, false);

        assertEquals(2, changes.constantNodesConverted());
        assertEquals(List.of("Mul", "Reshape"), m.graph().nodeList().stream().map(n -> n.opType()).toList());
        Value cInit = m.graph().lookup("c");
        assertTrue(cInit.isConstant());
        assertArrayEquals(new float[] {1, 2, 3}, cInit.initializer().view().toFloatArray());
        assertArrayEquals(new long[] {2, 3}, m.graph().lookup("k").initializer().view().toLongArray());
        assertEquals(List.of(), GraphValidator.errors(m));
    }

    @Test
    void aConstantThatIsAGraphOutputStaysANode() {
        GraphBuilder b = new GraphBuilder("g");
        Value c = b.op("Constant").attr("value_float", 2f).outputNames("c").out();
        b.output(c);
        Model m = b.build();
        assertEquals(0, Canonicalize.forRewriting(m, false).constantNodesConverted());
        assertEquals(1, m.graph().nodeCount());
    }

    @Test
    void initializersListedAsInputsBecomeConstantsUnlessKept() {
        for (boolean keep : new boolean[] {false, true}) {
            GraphBuilder b = new GraphBuilder("g");
            Value x = b.input("x", DataType.FLOAT, 3);
            b.output(b.op("Mul", x, b.floats("w", 1, 2, 3)).outputNames("y").out());
            Model m = withInitializerAsInput(b.build(), "w");
            Value w = m.graph().lookup("w");
            assertFalse(w.isConstant());

            Canonicalize.Changes changes = Canonicalize.forRewriting(m, keep);

            assertEquals(keep ? 0 : 1, changes.initializerInputsDemoted());
            assertEquals(!keep, w.isConstant());
            assertEquals(keep ? List.of("x", "w") : List.of("x"),
                    m.graph().inputs().stream().map(Port::name).toList());
            assertEquals(List.of(), GraphValidator.errors(m));
        }
    }

    /** The model as an exporter with {@code keep_initializers_as_inputs} writes it. */
    static Model withInitializerAsInput(Model m, String name) {
        ModelProto.Builder p = m.toProto().toBuilder();
        p.getGraphBuilder().addInput(ValueInfoProto.newBuilder().setName(name).setType(m.graph().lookup(name).type()));
        return Model.fromProto(p.build());
    }
}
