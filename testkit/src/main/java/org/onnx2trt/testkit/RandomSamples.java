package org.onnx2trt.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.onnx2trt.sample.npy.Npz;
import org.onnx2trt.tensor.Tensor;

/** Seeded calibration-style data for tests: one input's samples along the first axis, in a .npz. */
public final class RandomSamples {
    private RandomSamples() {}

    /** Gaussian float32 values of {@code dims} (the first dim counts the samples), written as {@code input} in {@code file}. */
    public static Path npz(Path file, String input, long[] dims, long seed) throws IOException {
        Files.write(file, Npz.write(Map.of(input, gaussian(input, dims, seed))));
        return file;
    }

    /** A tensor of standard normal values, seeded. */
    public static Tensor gaussian(String name, long[] dims, long seed) {
        float[] v = new float[Math.toIntExact(Tensor.elementCount(dims))];
        Random r = new Random(seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.ofFloats(name, dims, v);
    }
}
