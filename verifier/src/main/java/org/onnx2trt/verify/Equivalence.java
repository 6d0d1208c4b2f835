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

    /**
     * The outcome over all samples: one comparison per reference output, in the reference's order, and
     * the noise floor the comparisons allowed for ({@link NoiseFloor#NONE} when none was measured).
     */
    public record Report(List<OutputComparison> outputs, int samples, double referenceMs, double candidateMs,
                         NoiseFloor floor) {
        public Report(List<OutputComparison> outputs, int samples, double referenceMs, double candidateMs) {
            this(outputs, samples, referenceMs, candidateMs, NoiseFloor.NONE);
        }

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
     * Runs both models on every sample and compares. The reference runs first and its session is
     * closed before the candidate's opens: two open sessions on a small machine take each other's
     * cores (idle worker threads spin), which cost 10% here.
     *
     * @param tolerances per output name; outputs not named use {@code fallback}
     */
    public static Report check(Model reference, Model candidate, List<Map<String, Tensor>> samples,
                               Map<String, Tolerance> tolerances, Tolerance fallback) {
        return check(reference, candidate, samples, List.of(), tolerances, fallback, false);
    }

    /**
     * As {@link #check(Model, Model, List, Map, Tolerance)}, comparing {@code extraOutputs} too
     * (intermediate values of both, for a layer-wise comparison), and with {@code noiseFloor} allowing
     * each output the reference's measured float32 rounding ({@link NoiseFloor}).
     */
    public static Report check(Model reference, Model candidate, List<Map<String, Tensor>> samples,
                               java.util.Collection<String> extraOutputs, Map<String, Tolerance> tolerances,
                               Tolerance fallback, boolean noiseFloor) {
        // onnxruntime's message names a node, not the model: say which of the two it was
        Expected expected;
        try (ModelRunner ref = ModelRunner.open(reference, extraOutputs)) {
            expected = Expected.of(ref, samples);
        } catch (org.onnx2trt.exec.RunException e) {
            throw new org.onnx2trt.exec.RunException("model A (the reference): " + e.getMessage(), e);
        }
        NoiseFloor floor = noiseFloor ? NoiseFloor.measure(reference, extraOutputs, expected, NoiseFloor.SEED) : NoiseFloor.NONE;
        try (ModelRunner cand = ModelRunner.open(candidate, extraOutputs)) {
            return check(expected, cand, tolerances, fallback, floor);
        } catch (org.onnx2trt.exec.RunException e) {
            throw new org.onnx2trt.exec.RunException("model B (the candidate): " + e.getMessage(), e);
        }
    }

    /** The reference's outputs on each sample, computed once and compared with any number of candidates. */
    public record Expected(List<Map<String, Tensor>> samples, List<Map<String, Tensor>> outputs, double ms) {
        public static Expected of(ModelRunner reference, List<Map<String, Tensor>> samples) {
            long t0 = System.nanoTime();
            List<Map<String, Tensor>> outputs = new ArrayList<>();
            for (Map<String, Tensor> sample : samples) {
                outputs.add(reference.run(sample));
            }
            return new Expected(List.copyOf(samples), outputs, (System.nanoTime() - t0) / 1e6);
        }
    }

    /** Runs the candidate on the reference's samples and compares its outputs with the reference's. */
    public static Report check(Expected expected, ModelRunner candidate, Map<String, Tolerance> tolerances,
                               Tolerance fallback) {
        return check(expected, candidate, tolerances, fallback, NoiseFloor.NONE);
    }

    /** As {@link #check(Expected, ModelRunner, Map, Tolerance)}, allowing each output its noise floor on top. */
    public static Report check(Expected expected, ModelRunner candidate, Map<String, Tolerance> tolerances,
                               Tolerance fallback, NoiseFloor floor) {
        long t0 = System.nanoTime();
        Map<String, OutputComparison> merged = new LinkedHashMap<>();
        for (int i = 0; i < expected.samples().size(); i++) {
            Map<String, Tensor> actual = candidate.run(expected.samples().get(i));
            for (Map.Entry<String, Tensor> e : expected.outputs().get(i).entrySet()) {
                String name = e.getKey();
                Tolerance tol = floor.widen(name, tolerances.getOrDefault(name, fallback));
                Tensor got = actual.get(name);
                if (got != null && candidate.logitOutputs().contains(name)) {
                    got = Outputs.sigmoid(got); // the candidate gives the logit of what the reference gives
                }
                OutputComparison c = got == null
                        ? new OutputComparison(name, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, tol, null,
                                "the candidate has no output `" + name + "`")
                        : OutputComparison.of(name, e.getValue(), got, tol);
                merged.merge(name, c, OutputComparison::merge);
            }
        }
        return new Report(new ArrayList<>(merged.values()), expected.samples().size(), expected.ms(),
                (System.nanoTime() - t0) / 1e6, floor);
    }
}
