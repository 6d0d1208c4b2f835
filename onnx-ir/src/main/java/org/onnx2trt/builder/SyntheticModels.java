package org.onnx2trt.builder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/** Large generated models for benchmarks: many nodes, or many bytes of weights. */
public final class SyntheticModels {
    private SyntheticModels() {}

    /**
     * About {@code nodes} nodes: repeated {@code Conv → BatchNormalization → Relu → Add} blocks on
     * 8 channels (small weights, so the node count dominates).
     */
    public static Model convChain(int nodes) {
        GraphBuilder b = new GraphBuilder("conv_chain_" + nodes, 1);
        Value x = b.input("x", DataType.FLOAT, "batch", 8, 16, 16);
        Value cur = x;
        int blocks = Math.max(1, nodes / 4);
        for (int i = 0; i < blocks; i++) {
            Value y = b.convBnRelu(cur, 8, 8, 1, 1);
            cur = b.op("Add", y, cur).out();
        }
        b.output(cur, DataType.FLOAT, "batch", 8, 16, 16);
        return b.build();
    }

    /**
     * A model shaped as torchvision's ResNet-18 on 224×224 images (11.7M parameters, random
     * weights): a 7×7 stem, four stages of two basic blocks (64, 128, 256, 512 channels, 1×1
     * downsampling convs), global pooling and a 1000-way Gemm, each Conv followed by a
     * BatchNormalization as exported from training.
     */
    public static Model resnet18() {
        GraphBuilder b = new GraphBuilder("resnet18", 18);
        Value x = b.input("images", DataType.FLOAT, "batch", 3, 224, 224);
        Value cur = b.convBnRelu(x, 3, 64, 7, 2);
        cur = b.op("MaxPool", cur).attr("kernel_shape", 3, 3).attr("strides", 2, 2).attr("pads", 1, 1, 1, 1).out();
        long channels = 64;
        long[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < 4; stage++) {
            for (int block = 0; block < 2; block++) {
                long out = widths[stage];
                int stride = stage > 0 && block == 0 ? 2 : 1;
                Value y = b.convBnRelu(cur, channels, out, 3, stride);
                String p = "stage" + stage + ".block" + block;
                y = b.batchNorm(b.op("Conv", y, b.randomWeights(p + ".conv2.weight", out, out, 3, 3))
                        .attr("kernel_shape", 3, 3).attr("pads", 1, 1, 1, 1).out(), p + ".bn2", out);
                Value shortcut = cur;
                if (stride != 1 || channels != out) {
                    shortcut = b.batchNorm(b.op("Conv", cur, b.randomWeights(p + ".down.weight", out, channels, 1, 1))
                            .attr("kernel_shape", 1, 1).attr("strides", stride, stride).out(), p + ".down.bn", out);
                }
                cur = b.op("Relu", b.op("Add", y, shortcut).out()).out();
                channels = out;
            }
        }
        cur = b.op("Flatten", b.op("GlobalAveragePool", cur).out()).out();
        Value logits = b.op("Gemm", cur, b.randomWeights("fc.weight", 1000, 512), b.floats("fc.bias", new long[] {1000},
                new float[1000])).attr("transB", 1L).outputNames("logits").out();
        b.output(logits, DataType.FLOAT, "batch", 1000);
        return b.build();
    }

    /**
     * A chain of {@code MatMul}s whose float32 weights total about {@code totalBytes}, in square
     * matrices of at most {@code 64 MiB} each. Weights are a cheap deterministic pattern, not
     * random numbers: the benchmark measures moving bytes, not generating them.
     */
    public static Model bigWeights(long totalBytes) {
        long maxElems = (64L << 20) / 4;
        int side = (int) Math.sqrt(maxElems);
        long perMatrix = 4L * side * side;
        int count = (int) Math.max(1, (totalBytes + perMatrix - 1) / perMatrix);
        GraphBuilder b = new GraphBuilder("big_weights", 1);
        Value x = b.input("x", DataType.FLOAT, 1, side);
        Value cur = x;
        for (int i = 0; i < count; i++) {
            ByteBuffer data = ByteBuffer.allocate((int) perMatrix).order(ByteOrder.LITTLE_ENDIAN);
            float scale = 1f / side;
            for (int j = 0; j < side * side; j++) {
                data.putFloat(((j * 31 + i) % 17 - 8) * scale);
            }
            Value w = b.initializer(Tensor.of("w" + i, DataType.FLOAT, new long[] {side, side}, data.flip()));
            cur = b.op("MatMul", cur, w).out();
        }
        b.output(cur, DataType.FLOAT, 1, side);
        return b.build();
    }
}
