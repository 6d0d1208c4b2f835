package org.onnx2trt.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.text.GraphText;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.Tolerance;

/**
 * Each op Java folds gives bit for bit what onnxruntime computes: the unfolded model runs in
 * onnxruntime, the folded one too, and the outputs must be equal with zero tolerance. The constant
 * part meets a graph input in a final Add or Concat, so it is not itself a graph output.
 */
class JavaFoldingTest {
    static Stream<String[]> cases() {
        return Stream.of(
                new String[] {"transpose and reshape of weights", "float[3,4] x", "float[3,4] y",
                        "<float[4,3] w = random, int64[2] s = {3, 4}>",
                        "t = Transpose (w)\n r = Reshape (t, s)\n y = Add (x, r)", "1"},
                new String[] {"unsqueeze, concat and gather of int64", "int64[5] x", "int64[5] y",
                        "<int64[] a = {7}, int64[] b = {-3}, int64[1] axes = {0}, int64[5] idx = {1, 0, -1, 1, 0}>",
                        "ua = Unsqueeze (a, axes)\n ub = Unsqueeze (b, axes)\n c = Concat <axis = 0> (ua, ub)\n"
                                + " g = Gather (c, idx)\n y = Add (x, g)", "1"},
                new String[] {"float arithmetic rounds as onnxruntime does", "float[4] x", "float[4] y",
                        "<float[4] a = random, float[4] b = random(0.5, 3), float[] c = {0.1}>",
                        "d = Div (a, b)\n s = Sqrt (b)\n r = Reciprocal (s)\n m = Mul (d, r)\n n = Neg (m)\n"
                                + " e = Sub (n, c)\n y = Add (x, e)", "1"},
                new String[] {"slice with negative steps, expand, flatten, squeeze", "float[2,6] x", "float[2,6] y",
                        "<float[1,2,3,1] w = random, int64[1] st = {-1}, int64[1] en = {-100}, int64[1] ax = {2}, int64[1] sp = {-1},"
                                + " int64[4] to = {2, 2, 3, 1}, int64[1] sq = {3}>",
                        "s = Slice (w, st, en, ax, sp)\n e = Expand (s, to)\n q = Squeeze (e, sq)\n f = Flatten <axis = 1> (q)\n"
                                + " y = Add (x, f)", "1"},
                new String[] {"squeeze without axes drops every dim of size 1", "float[3] x", "float[3] y",
                        "<float[1,3,1] w = random>", "q = Squeeze (w)\n y = Add (x, q)", "1"},
                new String[] {"lossless cast; a lossy one is left to onnxruntime", "float[3] x", "float[3] y",
                        "<int16[3] i = {1, -2, 300}, float[3] h = {1.7, -2.5, 1e10}>",
                        "c = Cast <to = 1> (i)\n k = Cast <to = 6> (h)\n kf = Cast <to = 1> (k)\n a = Add (c, kf)\n y = Add (x, a)",
                        "Cast"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void foldsBitForBitAsOnnxRuntimeComputes(String name, String in, String out, String inits, String body, String left) {
        String text = "<ir_version: 8, opset_import: [\"\" : 17]>\ng (" + in + ") => (" + out + ")\n" + inits + "\n{\n " + body + "\n}\n";
        Model before = GraphText.parse(text, name, 5);
        Model after = GraphText.parse(text, name, 5);
        int folded = JavaFolding.fold(after, 1 << 20).size();
        org.onnx2trt.transform.DeadCode.sweep(after.graph());
        assertTrue(folded > 0);
        List<String> ops = after.graph().nodeList().stream().map(Node::opType).toList();
        if (left.equals("1")) {
            assertEquals(1, ops.size(), ops.toString());
        } else {
            assertTrue(ops.contains(left), "left for onnxruntime: " + ops);
        }
        var samples = Samples.random(before, 2, 3, InputShapes.DEFAULT);
        var result = Equivalence.check(before, after, samples, Map.of(), new Tolerance(0, 0));
        assertTrue(result.passed(), result.toString());
    }
}
