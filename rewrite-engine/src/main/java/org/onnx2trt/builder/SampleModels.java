package org.onnx2trt.builder;

import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;

/** Built-in models: the default model of the README's first command, and small ones for tests. */
public final class SampleModels {
    private SampleModels() {}

    /**
     * The built-in sample: a small classifier with a dynamic batch, two Conv→BN→Relu units, a
     * residual Add, global pooling, a Gemm head and a Sigmoid, with seeded weights.
     */
    public static Model classifier() {
        GraphBuilder b = new GraphBuilder("onnx2trt_sample", 2024);
        Value x = b.input("image", DataType.FLOAT, "batch", 3, 32, 32);
        Value stem = b.convBnRelu(x, 3, 16, 3, 2);
        Value body = b.convBnRelu(stem, 16, 16, 3, 1);
        Value sum = b.op("Add", stem, body).out();
        Value pooled = b.op("GlobalAveragePool", sum).out();
        Value flat = b.op("Flatten", pooled).attr("axis", 1L).out();
        Value logits = b.op("Gemm", flat, b.randomWeights("head.weight", 10, 16), b.randomWeights("head.bias", 10))
                .attr("transB", 1L).out();
        Value probs = b.op("Sigmoid", logits).outputNames("scores").out();
        b.output(probs, DataType.FLOAT, "batch", 10);
        return b.build();
    }

    /** {@code Conv → BatchNormalization → Relu} on a 1x3x8x8 input. */
    public static Model convBnRelu() {
        GraphBuilder b = new GraphBuilder("conv_bn_relu", 7);
        Value x = b.input("x", DataType.FLOAT, 1, 3, 8, 8);
        b.output(b.convBnRelu(x, 3, 4, 3, 1), DataType.FLOAT, 1, 4, 8, 8);
        return b.build();
    }
}
