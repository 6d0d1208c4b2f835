package org.onnx2trt.builder;

import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

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

    /**
     * The demo's deployment model: every pattern the default rules handle, as training exports
     * leave them. An input normalization (x − mean) / std before an unpadded stem Conv, BN after
     * Convs, a BN before a 1×1 Conv, a RepVGG training block (3×3 and 1×1 branches and an identity
     * BN), a shape chain that flattens per batch (Shape → Gather → Unsqueeze → Concat → Reshape), a
     * Gemm followed by a BN, and a Sigmoid head.
     */
    public static Model deployment() {
        GraphBuilder b = new GraphBuilder("onnx2trt_deployment_sample", 2025);
        Value x = b.input("images", DataType.FLOAT, "batch", 3, 32, 32);
        Value mean = b.floats("normalize.mean", new long[] {1, 3, 1, 1}, 0.485f, 0.456f, 0.406f);
        Value std = b.floats("normalize.std", new long[] {1, 3, 1, 1}, 0.229f, 0.224f, 0.225f);
        Value normalized = b.op("Div", b.op("Sub", x, mean).out(), std).out();
        Value stemConv = b.op("Conv", normalized, b.randomWeights("stem.weight", 16, 3, 3, 3))
                .attr("kernel_shape", 3L, 3L).attr("strides", 2L, 2L).out(); // unpadded: the prologue folds in
        Value stem = b.op("Relu", b.batchNorm(stemConv, "stem.bn", 16)).out();
        // RepVGG training block: BN(Conv3×3) + BN(Conv1×1) + BN(identity), then Relu
        Value dense = b.batchNorm(b.op("Conv", stem, b.randomWeights("rep.dense.weight", 16, 16, 3, 3))
                .attr("kernel_shape", 3L, 3L).attr("pads", 1L, 1L, 1L, 1L).attr("strides", 1L, 1L)
                .attr("dilations", 1L, 1L).attr("group", 1L).out(), "rep.dense.bn", 16);
        Value point = b.batchNorm(b.op("Conv", stem, b.randomWeights("rep.1x1.weight", 16, 16, 1, 1))
                .attr("kernel_shape", 1L, 1L).attr("pads", 0L, 0L, 0L, 0L).attr("strides", 1L, 1L)
                .attr("dilations", 1L, 1L).attr("group", 1L).out(), "rep.1x1.bn", 16);
        Value identity = b.batchNorm(stem, "rep.identity.bn", 16);
        Value rep = b.op("Relu", b.op("Add", b.op("Add", dense, point).out(), identity).out()).out();
        // BN before an unpadded 1×1 Conv
        Value pre = b.batchNorm(rep, "pre.bn", 16);
        Value proj = b.op("Relu", b.op("Conv", pre, b.randomWeights("proj.weight", 32, 16, 1, 1), b.randomWeights("proj.bias", 32))
                .attr("kernel_shape", 1L, 1L).out()).out();
        Value pooled = b.op("GlobalAveragePool", proj).out();
        // a shape chain, as exporters write flatten(x, 1): Reshape(x, concat(shape(x)[0:1], [-1]))
        Value zero = b.initializer(Tensor.ofLongs("zero", new long[0], 0));
        Value batch = b.op("Unsqueeze", b.op("Gather", b.op("Shape", pooled).out(), zero).attr("axis", 0L).out(),
                b.longs("axes0", 0)).out();
        Value target = b.op("Concat", batch, b.longs("minus_one", -1)).attr("axis", 0L).out();
        Value flat = b.op("Reshape", pooled, target).out();
        Value fc = b.batchNorm(b.op("Gemm", flat, b.randomWeights("fc.weight", 10, 32), b.randomWeights("fc.bias", 10))
                .attr("transB", 1L).out(), "fc.bn", 10);
        Value probs = b.op("Sigmoid", fc).outputNames("scores").out();
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
