package org.onnx2trt.verify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.onnx2trt.ir.Model;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;

/**
 * How far two exact float32 executions of the same model drift apart on the same samples: the
 * rounding a correct rewrite may add, so that a check can tell it from an error.
 *
 * <p>The reference model runs once more, with onnxruntime's own graph optimizations on (it fuses
 * Conv and BatchNormalization, MatMul and Add, ... in float32, as our rules do) and with every float
 * input moved by one ulp, up or down at random: both are the same function, rounded differently. The
 * floor of an output is the largest difference from the plain run, over its elements and the samples.
 * It grows with depth (70 folded layers drift far more than one) and with the output's magnitude,
 * which a fixed {@code atol} does not.
 *
 * <p>A check allows {@value #FACTOR} times the floor on top of its tolerance: one alternative
 * execution is a single draw of the rounding, and the rewritten model another.
 */
public record NoiseFloor(Map<String, Double> byOutput) {
    /** The allowance, in floors. */
    public static final double FACTOR = 4;

    private static final java.util.Set<DataType> FLOATS = java.util.EnumSet.of(DataType.FLOAT, DataType.DOUBLE,
            DataType.FLOAT16, DataType.BFLOAT16);

    /** The seed of the inputs' one-ulp moves: fixed, so that a check gives the same floor every time. */
    public static final long SEED = 17;

    /** No floor measured: checks use their tolerance alone. */
    public static final NoiseFloor NONE = new NoiseFloor(Map.of());

    public NoiseFloor {
        byOutput = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byOutput));
    }

    /** The floor of an output; 0 when not measured. */
    public double of(String output) {
        return byOutput.getOrDefault(output, 0.0);
    }

    /** {@code tol} with the allowance for {@code output}'s rounding added. */
    public Tolerance widen(String output, Tolerance tol) {
        double floor = of(output);
        return floor > 0 ? tol.withNoise(FACTOR * floor) : tol;
    }

    /**
     * Runs {@code reference} the other way on the samples of {@code expected}, for its graph outputs
     * and for {@code extraOutputs} (intermediate values a layer-wise comparison reads; onnxruntime does
     * not fuse across a value read outside, so there the floor comes from the inputs' ulp alone).
     *
     * @throws org.onnx2trt.exec.RunException when onnxruntime cannot optimize or run it
     */
    public static NoiseFloor measure(Model reference, java.util.Collection<String> extraOutputs,
                                     Equivalence.Expected expected, long seed) {
        Random random = new Random(seed);
        Map<String, Double> floor = new LinkedHashMap<>();
        try (ModelRunner other = ModelRunner.openOptimized(reference, extraOutputs)) {
            List<Map<String, Tensor>> samples = expected.samples();
            for (int i = 0; i < samples.size(); i++) {
                Map<String, Tensor> moved = new LinkedHashMap<>();
                samples.get(i).forEach((name, t) -> moved.put(name, oneUlpAway(t, random)));
                Map<String, Tensor> got = other.run(moved);
                for (Map.Entry<String, Tensor> e : expected.outputs().get(i).entrySet()) {
                    Tensor alt = got.get(e.getKey());
                    if (alt != null) {
                        floor.merge(e.getKey(), maxFiniteDifference(e.getValue(), alt), Math::max);
                    }
                }
            }
        }
        return new NoiseFloor(floor);
    }

    /** A copy of a float tensor with each element moved one ulp up or down; other tensors as they are. */
    static Tensor oneUlpAway(Tensor t, Random random) {
        if (t.dataType() != DataType.FLOAT) {
            return t;
        }
        float[] values = t.view().toFloatArray();
        for (int i = 0; i < values.length; i++) {
            if (Float.isFinite(values[i])) {
                values[i] = random.nextBoolean() ? Math.nextUp(values[i]) : Math.nextDown(values[i]);
            }
        }
        return Tensor.ofFloats(t.name(), t.dims(), values);
    }

    private static double maxFiniteDifference(Tensor a, Tensor b) {
        if (!FLOATS.contains(a.dataType()) || a.dataType() != b.dataType() || a.elementCount() != b.elementCount()) {
            return 0; // integer outputs (indices, counts) must stay exact
        }
        TensorView x = a.view();
        TensorView y = b.view();
        double max = 0;
        for (int i = 0; i < x.size(); i++) {
            double d = Math.abs(x.getDouble(i) - y.getDouble(i));
            if (Double.isFinite(d)) {
                max = Math.max(max, d);
            }
        }
        return max;
    }

    /** {@code y 3.1e-05, boxes 2.0e-04}: the floor of each output. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        byOutput.forEach((name, f) -> b.append(b.length() == 0 ? "" : ", ")
                .append(String.format(java.util.Locale.ROOT, "%s %.2g", name, f)));
        return b.toString();
    }
}
