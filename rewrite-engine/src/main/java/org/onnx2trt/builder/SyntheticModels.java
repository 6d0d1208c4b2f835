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
