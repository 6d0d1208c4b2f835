package org.onnx2trt.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.text.GraphText;

class KnownShapeFoldingTest {
    private static Model parse(String text) {
        return GraphText.parse("<ir_version: 8, opset_import: [\"\" : 17]>\n" + text, "test", 1);
    }

    @Test
    void aReshapeTargetBuiltFromTheInputsOwnDimsBecomesCopiesAndOneInferredDim() {
        // x.view(x.shape[0], 8, x.shape[2] * x.shape[3]): batch copied (0), 8 kept, H·W inferred (−1)
        Model m = parse("""
                g (float[N,8,H,W] x) => (float[N,8,?] y)
                <int64[] zero = {0}, int64[] two = {2}, int64[] three = {3}, int64[1] axes = {0}, int64[1] eight = {8}>
                {
                  s = Shape (x)
                  n = Gather (s, zero)
                  h = Gather (s, two)
                  w = Gather (s, three)
                  hw = Mul (h, w)
                  nu = Unsqueeze (n, axes)
                  hwu = Unsqueeze (hw, axes)
                  t = Concat <axis = 0> (nu, eight, hwu)
                  y = Reshape (x, t)
                }
                """);
        KnownShapeFolding.Result r = KnownShapeFolding.run(m);
        assertEquals(1, r.reshapeTargets());
        DeadCode.sweep(m.graph());
        assertEquals(List.of("Reshape"), m.graph().nodeList().stream().map(Node::opType).toList());
        assertArrayEquals(new long[] {0, 8, -1}, m.graph().nodeList().get(0).input(1).initializer().view().toLongArray());
    }

    @Test
    void twoOpenDimsOrADimAtAnotherPositionStayComputed() {
        Model m = parse("""
                g (float[N,8,H,W] x) => (float[N,8,W,H] y)
                <int64[] zero = {0}, int64[] two = {2}, int64[] three = {3}, int64[1] axes = {0}, int64[1] eight = {8}>
                {
                  s = Shape (x)
                  n = Gather (s, zero)
                  h = Gather (s, two)
                  w = Gather (s, three)
                  nu = Unsqueeze (n, axes)
                  hu = Unsqueeze (h, axes)
                  wu = Unsqueeze (w, axes)
                  t = Concat <axis = 0> (nu, eight, wu, hu)
                  y = Reshape (x, t)
                }
                """);
        assertEquals(0, KnownShapeFolding.run(m).reshapeTargets(), "W at position 2 and H at 3 are no copies");
    }

    @Test
    void equalSymbolicVectorsMergeIntoTheFirst() {
        Model m = parse("""
                g (float[N,3] x) => (float[N,3] y)
                <int64[] zero = {0}, int64[1] axes = {0}, int64[1] three = {3}>
                {
                  r = Relu (x)
                  a = Shape (x)
                  b = Shape (r)
                  an = Gather (a, zero)
                  bn = Gather (b, zero)
                  au = Unsqueeze (an, axes)
                  bu = Unsqueeze (bn, axes)
                  t1 = Concat <axis = 0> (au, three)
                  t2 = Concat <axis = 0> (bu, three)
                  p = Reshape (x, t1)
                  q = Reshape (r, t2)
                  y = Add (p, q)
                }
                """);
        KnownShapeFolding.Result r = KnownShapeFolding.run(m);
        // Shape(r), its Gather, Unsqueeze and Concat hold what x's chain holds; and t1 = [N, 3] is Shape(x) itself
        assertEquals(5, r.merged());
        assertEquals(2, r.reshapeTargets(), "[N, 3] on an [N, 3] input is [0, 3]");
        DeadCode.sweep(m.graph());
        assertEquals(0, m.graph().nodeList().stream().filter(n -> n.opType().equals("Shape")).count());
    }
}
