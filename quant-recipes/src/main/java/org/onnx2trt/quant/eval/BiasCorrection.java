package org.onnx2trt.quant.eval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.quant.data.Progress;
import org.onnx2trt.quant.data.Sample;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;
import org.onnx2trt.tensor.math.ChannelMeans;

/**
 * Empirical bias correction: what is left of a quantized layer's mean output error after the analytic
 * rule (bias_correction.rw), measured on the calibration data and folded into its bias, layer by layer
 * in the graph's order, so that each layer is measured with the corrections before it in place.
 *
 * <p>For layer L (a Conv, or a Gemm over rows, that reads a dequantized weight) with output y:
 * {@code b_L += E[y_float] − E[y_quantized]} per output channel (axis 1), the means over every sample and
 * position. On the data it is measured on this removes the mean of the layer's error, which can only
 * lower its squared error there; what reaches the model's outputs through the nonlinearities after it
 * is checked instead: a correction that lowers the outputs' SNR against the float model, or (for a
 * classifier's [N, classes] output) the rows whose top-1 class agrees with it, is reverted.
 * One onnxruntime run per layer (two where one is reverted), on at most {@code maxSamples} samples.
 */
public final class BiasCorrection {
    private BiasCorrection() {}

    /**
     * One layer's correction.
     *
     * @param node         the layer's node
     * @param channels     its output channels
     * @param meanAbsShift the mean |bias change| over the channels
     * @param snrDb        the outputs' SNR against float after this layer's correction (before a revert)
     * @param kept         false when the correction lowered that SNR, or the classifier rows agreeing with float on
     *                     the top-1 class, and was reverted
     */
    public record Layer(String node, int channels, double meanAbsShift, double snrDb, boolean kept) {}

    /** What the stage did: the layers tried, and the outputs' SNR against the float model before and after. */
    public record Result(int samples, List<Layer> layers, double snrBeforeDb, double snrAfterDb) {
        public long kept() {
            return layers.stream().filter(Layer::kept).count();
        }
    }

    /**
     * Corrects {@code quantized} (changed in place) against {@code reference}, the float model it was
     * quantized from (value names shared, as the placement keeps them).
     */
    public static Result run(Model reference, Model quantized, DataSet data, int maxSamples, ModelExecutor executor,
                             Progress progress) {
        List<Node> layers = layers(reference, quantized);
        List<Map<String, Tensor>> inputs = firstSamples(data, maxSamples);
        List<String> names = layers.stream().map(n -> n.output(0).name()).toList();
        java.util.Set<String> layerOutputs = java.util.Set.copyOf(names);
        // the float model once: each layer's output means, and the outputs to compare with
        Map<String, ChannelMeans> floatMeans = new LinkedHashMap<>();
        List<Map<String, Tensor>> floatOutputs = new ArrayList<>();
        progress.begin("bias correction: " + layers.size() + " layers", layers.size() + 2);
        try {
            try (ModelExecutor.Session s = executor.open(reference, names)) {
                for (Map<String, Tensor> in : inputs) {
                    Map<String, Tensor> out = s.run(in);
                    Map<String, Tensor> graphOutputs = new LinkedHashMap<>();
                    for (Map.Entry<String, Tensor> e : out.entrySet()) {
                        if (layerOutputs.contains(e.getKey())) {
                            floatMeans.computeIfAbsent(e.getKey(), k -> new ChannelMeans()).add(e.getValue());
                        } else {
                            graphOutputs.put(e.getKey(), e.getValue());
                        }
                    }
                    floatOutputs.add(graphOutputs);
                }
            }
            progress.advance(1);
            Measured m = measure(quantized, layers.isEmpty() ? null : names.get(0), inputs, floatOutputs, executor);
            double before = m.snrDb;
            Measured current = m;
            List<Layer> done = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                Node layer = layers.get(i);
                float[] want = floatMeans.get(names.get(i)).means();
                float[] have = m.means;
                String next = i + 1 < layers.size() ? names.get(i + 1) : null;
                if (want == null || have == null || want.length != have.length) {
                    m = measure(quantized, next, inputs, floatOutputs, executor);
                    progress.advance(i + 2);
                    continue;
                }
                float[] shift = new float[want.length];
                double sumAbs = 0;
                for (int c = 0; c < shift.length; c++) {
                    shift[c] = want[c] - have[c];
                    sumAbs += Math.abs(shift[c]);
                }
                Value oldBias = layer.inputCount() > 2 ? layer.input(2) : null;
                setBias(quantized, layer, added(oldBias, shift));
                m = measure(quantized, next, inputs, floatOutputs, executor);
                boolean keep = m.atLeast(current);
                done.add(new Layer(layer.name().isEmpty() ? names.get(i) : layer.name(), shift.length, sumAbs / shift.length,
                        m.snrDb, keep));
                if (keep) {
                    current = m;
                    if (oldBias != null && oldBias.uses().isEmpty() && !oldBias.isGraphOutput()) {
                        quantized.graph().removeInitializer(oldBias);
                    }
                } else {
                    restoreBias(quantized, layer, oldBias);
                    m = measure(quantized, next, inputs, floatOutputs, executor);
                }
                progress.advance(i + 2);
            }
            return new Result(inputs.size(), done, before, current.snrDb);
        } finally {
            progress.end();
        }
    }

    /** The quantized Convs and Gemms that can take a bias: a dequantized weight, a float bias (or none), a float twin. */
    static List<Node> layers(Model reference, Model quantized) {
        List<Node> out = new ArrayList<>();
        for (Node n : quantized.graph().nodeList()) {
            boolean conv = n.opType().equals("Conv");
            boolean gemm = n.opType().equals("Gemm") && (!n.hasAttribute("transA") || n.attribute("transA").asInt() == 0);
            if (!(conv || gemm) || !n.isStandardDomain() || n.inputCount() < 2 || n.input(1).producer() == null
                    || !n.input(1).producer().opType().equals("DequantizeLinear")) {
                continue;
            }
            Value bias = n.inputCount() > 2 ? n.input(2) : null;
            if (bias != null && (!bias.isConstant() || bias.initializer().dataType() != DataType.FLOAT
                    || bias.initializer().rank() != 1)) {
                continue; // a computed or int32 bias (onnxruntime's form) is not ours to move
            }
            if (reference.graph().lookup(n.output(0).name()) != null) {
                out.add(n);
            }
        }
        return out;
    }

    /** One run's figures: the outputs' SNR against float, classifier rows agreeing on the top-1 class, the layer's channel means. */
    private record Measured(double snrDb, long agreeing, float[] means) {
        /** Not worse than {@code other} on either figure. */
        boolean atLeast(Measured other) {
            return snrDb >= other.snrDb && agreeing >= other.agreeing;
        }
    }

    /** One run of {@code model}: the outputs' SNR against float, and the channel means of {@code layer}'s output. */
    private static Measured measure(Model model, String layer, List<Map<String, Tensor>> inputs,
                                    List<Map<String, Tensor>> floatOutputs, ModelExecutor executor) {
        double signal = 0;
        double noise = 0;
        long agreeing = 0;
        ChannelMeans means = new ChannelMeans();
        try (ModelExecutor.Session s = executor.open(model, layer == null ? List.of() : List.of(layer))) {
            for (int i = 0; i < inputs.size(); i++) {
                Map<String, Tensor> out = s.run(inputs.get(i));
                if (layer != null) {
                    means.add(out.get(layer));
                }
                for (Map.Entry<String, Tensor> e : floatOutputs.get(i).entrySet()) {
                    Tensor q = out.get(e.getKey());
                    if (e.getValue().dataType() != DataType.FLOAT || q == null) {
                        continue;
                    }
                    TensorView f = e.getValue().view();
                    TensorView y = q.view();
                    for (int k = 0; k < f.size(); k++) {
                        double d = y.getDouble(k) - f.getDouble(k);
                        signal += f.getDouble(k) * f.getDouble(k);
                        noise += d * d;
                    }
                    agreeing += topOneAgreements(e.getValue(), f, y);
                }
            }
        }
        double snr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
        return new Measured(snr, agreeing, layer == null ? null : means.means());
    }

    /** For a classifier output ([N, classes], 2 classes or more): the rows whose top-1 class is the same in both; else 0. */
    private static long topOneAgreements(Tensor t, TensorView f, TensorView y) {
        if (t.rank() != 2 || t.dims()[1] < 2) {
            return 0;
        }
        int classes = Math.toIntExact(t.dims()[1]);
        long agree = 0;
        for (int row = 0; row < f.size() / classes; row++) {
            int bf = 0;
            int by = 0;
            for (int c = 1; c < classes; c++) {
                bf = f.getDouble(row * classes + c) > f.getDouble(row * classes + bf) ? c : bf;
                by = y.getDouble(row * classes + c) > y.getDouble(row * classes + by) ? c : by;
            }
            agree += bf == by ? 1 : 0;
        }
        return agree;
    }

    private static float[] added(Value bias, float[] shift) {
        float[] b = new float[shift.length];
        if (bias != null) {
            TensorView v = bias.initializer().view();
            for (int c = 0; c < b.length && c < v.size(); c++) {
                b[c] = v.getFloat(c);
            }
        }
        for (int c = 0; c < b.length; c++) {
            b[c] += shift[c];
        }
        return b;
    }

    /** Gives {@code layer} a new bias initializer of its own (the old one may be shared). */
    private static void setBias(Model model, Node layer, float[] values) {
        String base = layer.inputCount() > 2 && layer.input(2) != null ? layer.input(2).name() : layer.output(0).name() + "_bias";
        Value v = model.graph().addInitializer(Tensor.ofFloats(model.graph().freshName(base + "_corrected"),
                new long[] {values.length}, values));
        if (layer.inputCount() > 2) {
            layer.setInput(2, v);
        } else {
            layer.addInput(v);
        }
    }

    private static void restoreBias(Model model, Node layer, Value old) {
        Value corrected = layer.input(2);
        if (old != null) {
            layer.setInput(2, old);
        } else {
            layer.truncateInputs(2);
        }
        if (corrected.uses().isEmpty()) {
            model.graph().removeInitializer(corrected);
        }
    }

    private static List<Map<String, Tensor>> firstSamples(DataSet data, int maxSamples) {
        int n = maxSamples > 0 ? Math.min(maxSamples, data.size()) : data.size();
        List<Map<String, Tensor>> out = new ArrayList<>(n);
        Iterator<Sample> it = data.iterator();
        try {
            for (int i = 0; i < n && it.hasNext(); i++) {
                out.add(it.next().inputs());
            }
        } finally {
            DataSet.close(it);
        }
        return out;
    }
}
