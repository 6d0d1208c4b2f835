package org.onnx2trt.verify;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.exec.RunException;
import org.onnx2trt.tensor.Tensor;

/**
 * Latency percentiles of several models of one interface in onnxruntime (CPU, its optimizations on),
 * from interleaved runs: one run of each model in turn, the order rotating each round, so that a slow
 * phase of the machine hits all of them alike.
 */
public final class OrtLatencyProfile {
    /** One model's figures, in milliseconds. */
    public record Figures(double p50, double p90, double p99, double mean, int runs) {
        /** Inferences per second at the mean latency, {@code batch} samples each. */
        public double throughput(long batch) {
            return mean > 0 ? 1000.0 * batch / mean : Double.NaN;
        }
    }

    private OrtLatencyProfile() {}

    /** Times each model {@code runs} times after {@code warmup} runs each, on the same {@code inputs}. */
    public static List<Figures> measure(List<Path> models, Map<String, Tensor> inputs, int warmup, int runs) {
        List<OrtSession> sessions = new ArrayList<>();
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            for (Path m : models) {
                sessions.add(OnnxRuntime.environment().createSession(m.toString(), options));
            }
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                feeds.put(e.getKey(), OnnxRuntime.toOrt(e.getValue()));
            }
            for (OrtSession s : sessions) {
                for (int i = 0; i < warmup; i++) {
                    s.run(feeds).close();
                }
            }
            double[][] times = new double[sessions.size()][runs];
            for (int r = 0; r < runs; r++) {
                for (int k = 0; k < sessions.size(); k++) {
                    int m = (k + r) % sessions.size(); // rotate who goes first
                    long t0 = System.nanoTime();
                    sessions.get(m).run(feeds).close();
                    times[m][r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            List<Figures> out = new ArrayList<>();
            for (double[] t : times) {
                double[] s = t.clone();
                Arrays.sort(s);
                out.add(new Figures(percentile(s, 50), percentile(s, 90), percentile(s, 99), Arrays.stream(s).average().orElse(0),
                        runs));
            }
            return out;
        } catch (OrtException e) {
            throw new RunException("onnxruntime failed timing " + models + ": " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
            for (OrtSession s : sessions) {
                try {
                    s.close();
                } catch (OrtException ignored) {
                    // closing after a failure: the failure is what the caller sees
                }
            }
        }
    }

    /** The nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
