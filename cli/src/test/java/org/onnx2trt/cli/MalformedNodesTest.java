package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.OperatorSetIdProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.proto.Onnx.TensorShapeProto;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;

/**
 * Nodes onnxruntime would refuse at load time (issue 16: inspect and optimize --no-verify used to accept
 * them): a Constant with no value or two, an attribute of the wrong type, an If whose branch gives no
 * outputs. Each is one validation error naming the node, exit 2, nothing written.
 */
class MalformedNodesTest {
    @TempDir
    Path dir;

    @Test
    void nodesOnnxruntimeWouldRefuseAreValidationErrors() throws IOException {
        TensorProto one = TensorProto.newBuilder().setDataType(1).addDims(2).addFloatData(1).addFloatData(2).build();
        NodeProto noValue = NodeProto.newBuilder().setName("c").setOpType("Constant").addOutput("k").build();
        check(graph(noValue, add("k")), "node `c` (Constant) has 0 value attributes");
        NodeProto twoValues = noValue.toBuilder().addAttribute(attr("value").setType(AttributeProto.AttributeType.TENSOR).setT(one))
                .addAttribute(attr("value_float").setType(AttributeProto.AttributeType.FLOAT).setF(1)).build();
        check(graph(twoValues, add("k")), "has 2 value attributes");
        NodeProto leaky = NodeProto.newBuilder().setName("l").setOpType("LeakyRelu").addInput("x").addOutput("y")
                .addAttribute(attr("alpha").setType(AttributeProto.AttributeType.INTS).addInts(1)).build();
        check(graph(leaky, null), "attribute `alpha` is ints, but LeakyRelu takes float");
        GraphProto empty = GraphProto.newBuilder().setName("b").build();
        NodeProto cond = NodeProto.newBuilder().setName("c").setOpType("Constant").addOutput("k")
                .addAttribute(attr("value").setType(AttributeProto.AttributeType.TENSOR)
                        .setT(TensorProto.newBuilder().setDataType(9).addInt32Data(1))).build();
        NodeProto branchy = NodeProto.newBuilder().setName("i").setOpType("If").addInput("k").addOutput("y")
                .addAttribute(attr("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(empty))
                .addAttribute(attr("else_branch").setType(AttributeProto.AttributeType.GRAPH).setG(empty)).build();
        check(graph(cond, branchy), "its then_branch gives 0 outputs, the node has 1");
    }

    /** 340 nested If bodies (1,020 message levels) are a model, not "nested more than 1000 deep" (issue 16). */
    @Test
    void deeplyNestedIfsAreRead() throws IOException {
        TypeProto t = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1)
                .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(2)))).build();
        GraphProto body = GraphProto.newBuilder().setName("b0").addNode(NodeProto.newBuilder().setOpType("Relu").addInput("x")
                .addOutput("y0")).addOutput(ValueInfoProto.newBuilder().setName("y0").setType(t)).build();
        for (int i = 1; i <= 340; i++) {
            GraphProto other = GraphProto.newBuilder().setName("e" + i).addNode(NodeProto.newBuilder().setOpType("Relu")
                    .addInput("x").addOutput("e" + i)).addOutput(ValueInfoProto.newBuilder().setName("e" + i).setType(t)).build();
            NodeProto iff = NodeProto.newBuilder().setOpType("If").addInput("c").addOutput("y" + i)
                    .addAttribute(attr("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(body))
                    .addAttribute(attr("else_branch").setType(AttributeProto.AttributeType.GRAPH).setG(other)).build();
            body = GraphProto.newBuilder().setName("b" + i).addNode(iff).addOutput(ValueInfoProto.newBuilder().setName("y" + i)
                    .setType(t)).build();
        }
        TypeProto cond = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(9)
                .setShape(TensorShapeProto.newBuilder())).build();
        GraphProto g = body.toBuilder().setName("g").addInput(ValueInfoProto.newBuilder().setName("x").setType(t))
                .addInput(ValueInfoProto.newBuilder().setName("c").setType(cond)).build();
        Path m = Files.write(dir.resolve("nested.onnx"), ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build().toByteArray());
        CliTest.Run r = CliTest.run("inspect", m.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("681 with subgraphs"), r.out());
    }

    private static AttributeProto.Builder attr(String name) {
        return AttributeProto.newBuilder().setName(name);
    }

    private static NodeProto add(String k) {
        return NodeProto.newBuilder().setOpType("Add").addInput("x").addInput(k).addOutput("y").build();
    }

    private static ModelProto graph(NodeProto first, NodeProto second) {
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1)
                .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(2)))).build();
        GraphProto.Builder g = GraphProto.newBuilder().setName("g").addNode(first)
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(type));
        if (second != null) {
            g.addNode(second);
        }
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g)
                .build();
    }

    private void check(ModelProto model, String message) throws IOException {
        Path m = Files.write(dir.resolve("m.onnx"), model.toByteArray());
        for (List<String> args : List.of(List.of("inspect", m.toString()),
                List.of("optimize", m.toString(), "-o", dir.resolve("o.onnx").toString(), "--no-verify"))) {
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), args + ": " + r.out() + r.err());
            assertTrue(r.err().contains(message), args + ": " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertFalse(Files.exists(dir.resolve("o.onnx")));
        }
    }
}
