package org.onnx2trt.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

class DeadCodeTest {

    @Test
    void removesDeadChainsAndTheInitializersOnlyTheyRead() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        Value w = b.floats("w", 1, 2, 3, 4);
        Value unused = b.floats("unused", 5);
        Value dead1 = b.op("Mul", x, w).out();
        b.op("Relu", dead1).out(); // dead2 reads dead1: both go, in one sweep
        Value y = b.op("Sigmoid", x).outputNames("y").out();
        b.output(y);
        Model m = b.build();
        DeadCode.Removed r = DeadCode.sweep(m.graph());
        assertEquals(new DeadCode.Removed(2, 2), r);
        assertEquals(List.of("Sigmoid"), m.graph().nodeList().stream().map(Node::opType).toList());
        assertEquals(List.of(), m.graph().initializers());
        assertEquals(List.of(), GraphValidator.errors(m));
        assertEquals(new DeadCode.Removed(0, 0), DeadCode.sweep(m.graph()), "a second sweep finds nothing");
    }

    @Test
    void keepsGraphOutputsAndInitializersThatAreInputs() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        Value a = b.op("Relu", x).outputNames("a").out();
        Value y = b.op("Sigmoid", a).outputNames("y").out();
        b.output(a);
        b.output(y);
        b.initializer(Tensor.zeros("bias", DataType.FLOAT, 4));
        Model m = CanonicalizeTest.withInitializerAsInput(b.build(), "bias");
        assertEquals(new DeadCode.Removed(0, 0), DeadCode.sweep(m.graph()));
        assertEquals(2, m.graph().nodeCount());
        assertEquals(1, m.graph().initializers().size());
    }

    @Test
    void sweepsInsideSubgraphsAndKeepsOuterValuesTheyRead() {
        GraphBuilder b = new GraphBuilder("g");
        Value cond = b.input("cond", DataType.BOOL);
        Value x = b.input("x", DataType.FLOAT, 4);
        Value outerW = b.floats("outer_w", 1, 1, 1, 1);
        b.floats("outer_unused", 1);
        Graph g = b.graph();
        Node ifNode = g.createNode("", "If", "if1", List.of(cond), List.of("y"));
        Graph then = g.newSubgraph(ifNode, "then_branch");
        Node deadInBody = then.addNode("Neg", List.of(x), List.of("dead"));
        Node live = then.addNode("Mul", List.of(x, outerW), List.of("t"));
        then.addOutput(live.output(0), Types.tensor(DataType.FLOAT, 4));
        ifNode.setAttribute(Attribute.ofGraph("then_branch", then));
        Graph other = g.newSubgraph(ifNode, "else_branch");
        Node e = other.addNode("Relu", List.of(x), List.of("e"));
        other.addOutput(e.output(0), Types.tensor(DataType.FLOAT, 4));
        ifNode.setAttribute(Attribute.ofGraph("else_branch", other));
        g.append(ifNode);
        b.output(ifNode.output(0), DataType.FLOAT, 4);
        Model m = b.build();

        DeadCode.Removed r = DeadCode.sweep(m.graph());

        assertEquals(new DeadCode.Removed(1, 1), r, "the body's Neg and the outer initializer nothing reads");
        assertEquals(List.of("outer_w"), m.graph().initializers().stream().map(Value::name).toList());
        assertEquals(List.of("Mul"), then.nodeList().stream().map(Node::opType).toList());
        assertFalse(deadInBody.isAttached());
        assertEquals(List.of(), GraphValidator.errors(m));
    }
}
