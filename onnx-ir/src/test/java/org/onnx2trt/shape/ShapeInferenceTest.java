package org.onnx2trt.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.text.GraphText;

class ShapeInferenceTest {
    private static Model parse(String text) {
        return GraphText.parse("<ir_version: 8, opset_import: [\"\" : 17]>\n" + text, "test", 1);
    }

    private static String type(Model m, ShapeInference.Result r, String value) {
        return r.of(m.graph().lookup(value)).toString();
    }

    @Test
    void cnnKeepsTheBatchSymbolThroughConvPoolAndGemm() {
        Model m = parse("""
                cnn (float[N,3,32,32] x) => (float[N,10] y)
                <float[8,3,3,3] w = random, float[10,128] fc = random>
                {
                  c = Conv <pads = [1,1,1,1], strides = [2,2]> (x, w)
                  p = MaxPool <kernel_shape = [3,3], strides = [2,2], ceil_mode = 1> (c)
                  q = AveragePool <kernel_shape = [2,2], strides = [2,2]> (p)
                  f = Flatten (q)
                  y = Gemm <transB = 1> (f, fc)
                }
                """);
        ShapeInference.Result r = ShapeInference.infer(m);
        assertEquals("float32[N,8,16,16]", type(m, r, "c"));
        assertEquals("float32[N,8,8,8]", type(m, r, "p"));
        assertEquals("float32[N,8,4,4]", type(m, r, "q"));
        assertEquals("float32[N,128]", type(m, r, "f"));
        assertEquals("float32[N,10]", type(m, r, "y"));
        assertTrue(r.conflicts().isEmpty(), r.conflicts().toString());
    }

    @Test
    void aShapeChainCarriesTheSymbolIntoReshape() {
        Model m = parse("""
                chain (float[N,4,5,6] x) => (float[N,120] y)
                <int64[1] zero = {0}, int64[1] minus1 = {-1}>
                {
                  s = Shape (x)
                  b = Gather (s, zero)
                  shape = Concat <axis = 0> (b, minus1)
                  y = Reshape (x, shape)
                }
                """);
        ShapeInference.Result r = ShapeInference.infer(m);
        assertEquals("int64[4] = [N, 4, 5, 6]", type(m, r, "s"));
        assertEquals("int64[2] = [N, -1]", type(m, r, "shape"));
        assertEquals("float32[N,120]", type(m, r, "y"));
    }

    @Test
    void staticPiecesOfAShapeAreKnownNumbersEvenWithASymbolicBatch() {
        Model m = parse("""
                chain (float[N,4,5,6] x) => (float[?,4] y)
                <int64[] one = {1}, int64[1] axes = {0}, int64[1] minus1 = {-1}, int64[1] four = {4}, int64[1] two = {2}, int64[2] ones = {1, 1}>
                {
                  s = Shape (x)
                  c = Gather (s, one)
                  cu = Unsqueeze (c, axes)
                  hw = Slice (s, two, four)
                  m = Mul (hw, ones)
                  t = Transpose <perm = [0,2,3,1]> (x)
                  shape = Concat <axis = 0> (minus1, cu)
                  y = Reshape (t, shape)
                }
                """);
        ShapeInference.Result r = ShapeInference.infer(m);
        assertEquals("int64[] = [4]", type(m, r, "c"));
        assertEquals("int64[1] = [4]", type(m, r, "cu"));
        assertEquals("int64[2] = [5, 6]", type(m, r, "hw"));
        assertEquals("int64[2] = [5, 6]", type(m, r, "m"));
        assertEquals("float32[N,5,6,4]", type(m, r, "t"));
        assertEquals("float32[?,4]", type(m, r, "y"), "N·120 / 4 is 30·N: not one symbol, so unknown");
    }

    @Test
    void transformerOpsKeepBatchAndSequenceSymbols() {
        Model m = parse("""
                enc (float[B,T,64] x) => (float[B,T,64] y)
                <float[64,192] wqkv = random, float[64] g = random, float[64] beta = random, int64[3] parts = {64, 64, 64}>
                {
                  qkv = MatMul (x, wqkv)
                  q, k, v = Split <axis = -1> (qkv, parts)
                  kt = Transpose <perm = [0,2,1]> (k)
                  att = MatMul (q, kt)
                  p = Softmax <axis = -1> (att)
                  o = MatMul (p, v)
                  s = Add (o, x)
                  y, mean, inv = LayerNormalization <axis = -1> (s, g, beta)
                }
                """);
        ShapeInference.Result r = ShapeInference.infer(m);
        assertEquals("float32[B,T,192]", type(m, r, "qkv"));
        assertEquals("float32[B,T,64]", type(m, r, "k"));
        assertEquals("float32[B,64,T]", type(m, r, "kt"));
        assertEquals("float32[B,T,T]", type(m, r, "att"));
        assertEquals("float32[B,T,64]", type(m, r, "o"));
        assertEquals("float32[B,T,1]", type(m, r, "mean"));
    }

    @Test
    void annotateWritesValueInfoThatRulesCanRead() {
        Model m = parse("""
                g (float[N,3,8,8] x) => (float[N,3,4,4] y)
                {
                  r = Relu (x)
                  y = MaxPool <kernel_shape = [2,2], strides = [2,2]> (r)
                }
                """);
        ShapeInference.Result r = ShapeInference.annotate(m);
        assertEquals(1, r.annotated());
        Value relu = m.graph().lookup("r");
        assertEquals("float32[N,3,8,8]", Types.describe(relu.type()));
        assertEquals(0, ShapeInference.annotate(m).annotated(), "a second pass has nothing new to write");
    }

    @Test
    void aDeclarationThatContradictsTheOpsIsReportedAndInferenceWins() {
        Model m = parse("""
                g (float[1,3,8,8] x) => (float[1,3,8,8] y)
                {
                  r = Relu (x)
                  y = Neg (r)
                }
                """);
        m.graph().lookup("r").setValueInfo(org.onnx2trt.proto.Onnx.ValueInfoProto.newBuilder().setName("r")
                .setType(Types.tensor(org.onnx2trt.tensor.DataType.FLOAT, 1, 3, 9, 8)).build());
        ShapeInference.Result r = ShapeInference.annotate(m);
        assertEquals(1, r.conflicts().size());
        assertTrue(r.conflicts().get(0).contains("node `") && r.conflicts().get(0).contains("float32[1,3,9,8]"),
                r.conflicts().get(0));
        assertEquals("float32[1,3,8,8]", Types.describe(m.graph().lookup("r").type()));
    }

    @Test
    void declaredDimsFillWhatInferenceLeavesOpenAndUnknownOpsAreListed() {
        Model m = GraphText.parse("""
                <ir_version: 8, opset_import: ["" : 17, "com.acme" : 1]>
                g (float[N,3] x) => (float[N,5] y)
                {
                  c = com.acme.Magic (x)
                  y = Relu (c)
                }
                """, "test", 1);
        m.graph().lookup("c").setValueInfo(org.onnx2trt.proto.Onnx.ValueInfoProto.newBuilder().setName("c")
                .setType(Types.tensor(org.onnx2trt.tensor.DataType.FLOAT, List.of("N", 5))).build());
        ShapeInference.Result r = ShapeInference.infer(m);
        assertEquals(List.of("com.acme::Magic"), List.copyOf(r.unknownOps()));
        assertEquals("float32[N,5]", type(m, r, "y"));
    }

    @Test
    void slicesGathersAndPadsComputeExactSizes() {
        Model m = parse("""
                g (float[N,3,10,10] x) => (float[N,3,3,12] y)
                <int64[2] starts = {1, -1}, int64[2] ends = {8, -100}, int64[2] axes = {2, 3}, int64[2] steps = {3, -1},
                 int64[8] pads = {0,0,0,1,0,0,0,1}, int64[2] idx = {0, 2}>
                {
                  s = Slice (x, starts, ends, axes, steps)
                  p = Pad (s, pads)
                  g2 = Gather <axis = 1> (p, idx)
                  y = Identity (p)
                }
                """);
        ShapeInference.Result r = ShapeInference.infer(m);
        assertEquals("float32[N,3,3,10]", type(m, r, "s"));
        assertEquals("float32[N,3,3,12]", type(m, r, "p"));
        assertEquals("float32[N,2,3,12]", type(m, r, "g2"));
    }
}
