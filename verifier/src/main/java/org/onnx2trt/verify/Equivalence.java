package org.onnx2trt.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Model;
import org.onnx2trt.tensor.Tensor;

/**
 * Whether a candidate model computes what a reference computes: both run in onnxruntime on the same
 * samples, and every output of the reference is compared with the candidate's output of the same
 * name under its tolerance.
 */
public final class Equivalence {

    /** The outcome over all samples: one comparison per reference output, in the reference's order. */
    public record Report(List<OutputComparison> outputs, int samples, double referenceMs, double candidateMs) {
        public boolean passed() {
            return outputs.stream().allMatch(OutputComparison::passed);
        }

        /** The first output that failed, or null. */
        public OutputComparison firstFailure() {
            return outputs.stream().filter(o -> !o.passed()).findFirst().orElse(null);
        }
    }

    private Equivalence() {}

    /**
     * Runs both models on every sample and compares.
     *
     * @param tolerances per output name; outputs not named use {@code fallback}
     */
    public static Report check(Model reference, Model candidate, List<Map<String, Tensor>> samples,
                               Map<String, Tolerance> tolerances, Tolerance fallback) {
        try (ModelRunner ref = ModelRunner.open(reference); ModelRunner cand = ModelRunner.open(candidate)) {
            return check(ref, cand, samples, tolerances, fallback);
        }
    }

    /** As {@link #check(Model, Model, List, Map, Tolerance)}, with open runners (reused across checks). */
    public static Report check(ModelRunner reference, ModelRunner candidate, List<Map<String, Tensor>> samples,
                               Map<String, Tolerance> tolerances, Tolerance fallback) {
        Map<String, OutputComparison> merged = new LinkedHashMap<>();
        long refNanos = 0;
        long candNanos = 0;
        for (Map<String, Tensor> sample : samples) {
            long t0 = System.nanoTime();
            Map<String, Tensor> expected = reference.run(sample);
            long t1 = System.nanoTime();
            Map<String, Tensor> actual = candidate.run(sample);
            long t2 = System.nanoTime();
            refNanos += t1 - t0;
            candNanos += t2 - t1;
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                String name = e.getKey();
                Tolerance tol = tolerances.getOrDefault(name, fallback);
                Tensor got = actual.get(name);
                OutputComparison c = got == null
                        ? new OutputComparison(name, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, tol, null,
                                "the candidate has no output `" + name + "`")
                        : OutputComparison.of(name, e.getValue(), got, tol);
                merged.merge(name, c, OutputComparison::merge);
            }
        }
        return new Report(new ArrayList<>(merged.values()), samples.size(), refNanos / 1e6, candNanos / 1e6);
    }
}
