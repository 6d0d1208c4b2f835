package org.onnx2trt.tensor.math;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * The running mean of a float activation per channel (axis 1: C of [N, C, H, W], the features of
 * [M, K]), over every sample and position added: what bias correction reads as E[x]. Tensors of rank
 * below 2, or whose channel count changes between samples, give no means.
 */
public final class ChannelMeans {
    private double[] sums;
    private long[] counts;
    private boolean broken;

    /** Adds one float32 tensor's elements (non-finite ones are left out). */
    public void add(Tensor t) {
        if (broken || t.dataType() != DataType.FLOAT || t.rank() < 2) {
            broken = true;
            return;
        }
        long[] dims = t.dims();
        int channels = Math.toIntExact(dims[1]);
        if (sums == null) {
            sums = new double[channels];
            counts = new long[channels];
        } else if (sums.length != channels) {
            broken = true;
            return;
        }
        long inner = 1;
        for (int i = 2; i < dims.length; i++) {
            inner *= dims[i];
        }
        FloatBuffer f = t.bytes().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int n = f.remaining();
        for (int i = 0; i < n; i++) {
            float v = f.get(i);
            if (Float.isFinite(v)) {
                int c = (int) ((i / inner) % channels);
                sums[c] += v;
                counts[c]++;
            }
        }
    }

    /** The mean per channel, or null when there is none (rank below 2, changing channels, no values). */
    public float[] means() {
        if (broken || sums == null) {
            return null;
        }
        float[] m = new float[sums.length];
        for (int c = 0; c < m.length; c++) {
            m[c] = counts[c] == 0 ? 0f : (float) (sums[c] / counts[c]);
        }
        return m;
    }
}
