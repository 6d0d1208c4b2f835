package org.onnx2trt.verify;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Arrays;
import org.onnx2trt.exec.RunException;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;

/** Inference latency of two models in onnxruntime, compared in alternating blocks: what {@code bench optimize} reports. */
public final class OrtLatency {
    private OrtLatency() {}

    /**
     * Inference time of {@code candidate} over {@code original} in onnxruntime (default options, seeded
     * random inputs of the original's shapes). Both sessions stay open and run in alternating blocks
     * of 20 (taking turns at going first), after 20 warm-up runs each; one ratio per block (of the blocks' medians), so a slow phase
     * of the machine hits both models alike. The table shows their median and quartiles.
     */
    public static double[] blockRatios(Path candidate, Path original) {
        Model m = ModelReader.read(original);
        java.util.Map<String, org.onnx2trt.tensor.Tensor> inputs = org.onnx2trt.sample.RandomInputs.forModel(m, 1,
                org.onnx2trt.sample.InputShapes.DEFAULT);
        java.util.Map<String, ai.onnxruntime.OnnxTensor> feeds = new java.util.LinkedHashMap<>();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession a = OnnxRuntime.environment().createSession(candidate.toString(), o);
             OrtSession b = OnnxRuntime.environment().createSession(original.toString(), o)) {
            for (var e : inputs.entrySet()) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(e.getValue().bytes().remaining())
                        .order(java.nio.ByteOrder.nativeOrder());
                buf.put(e.getValue().bytes()).flip();
                feeds.put(e.getKey(), ai.onnxruntime.OnnxTensor.createTensor(OnnxRuntime.environment(), buf.asFloatBuffer(),
                        e.getValue().dims()));
            }
            timeRuns(a, feeds, 20);
            timeRuns(b, feeds, 20);
            double[] ratios = new double[15];
            for (int block = 0; block < ratios.length; block++) {
                boolean candidateFirst = block % 2 == 0; // alternate which goes first: no order bias
                double first = median(timeRuns(candidateFirst ? a : b, feeds, 20));
                double second = median(timeRuns(candidateFirst ? b : a, feeds, 20));
                ratios[block] = candidateFirst ? first / second : second / first;
            }
            return ratios;
        } catch (OrtException e) {
            throw new RunException("onnxruntime failed timing " + candidate + " against " + original + ": " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(ai.onnxruntime.OnnxTensor::close);
        }
    }

    private static double[] timeRuns(OrtSession s, java.util.Map<String, ai.onnxruntime.OnnxTensor> feeds, int runs)
            throws OrtException {
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            s.run(feeds).close();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        return t;
    }

    /** The median of {@code v}. */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
