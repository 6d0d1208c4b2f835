package org.onnx2trt.quant.calib;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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

/**
 * The calibration stage: streams a data set through the model in onnxruntime with every
 * intermediate value exposed, and measures each float activation (graph inputs, node outputs,
 * graph outputs) into a {@link CalibrationTable}. Weights are not measured: they are quantized per
 * channel from their own values.
 *
 * <p>Two passes over the data when the method needs a histogram (TensorRT's way): the first finds
 * each tensor's range, the second fills a |x| histogram over [0, max |x|]; {@code minmax} needs the
 * first only. Memory holds one sample's activations and, per tensor, its running range and one
 * histogram ({@code bins} longs), whatever the data set's size.
 */
public final class Calibration {
    /**
     * How to calibrate.
     *
     * @param method     how each tensor's amax is chosen
     * @param bins       histogram bins (2048, TensorRT's)
     * @param maxSamples the samples to use at most (the first ones); 0 for all
     */
    public record Settings(CalibrationMethod method, int bins, int maxSamples) {
        public static Settings of(CalibrationMethod method) {
            return new Settings(method, CalibrationMethod.DEFAULT_BINS, 0);
        }
    }

    private Calibration() {}

    /**
     * Measures {@code model} on {@code data}.
     *
     * @throws org.onnx2trt.quant.data.DataException for data the model cannot take
     * @throws org.onnx2trt.exec.RunException when onnxruntime cannot load or run the model
     */
    public static CalibrationTable run(Model model, DataSet data, Settings settings, ModelExecutor executor,
                                       Progress progress) {
        String hash = CalibrationTable.hash(model);
        List<String> exposed = activations(model);
        int samples = settings.maxSamples() > 0 ? Math.min(settings.maxSamples(), data.size()) : data.size();
        Map<String, RangeStats> ranges = new LinkedHashMap<>();
        Map<String, AbsHistogram> histograms = new LinkedHashMap<>();
        Map<String, org.onnx2trt.tensor.math.ChannelMeans> means = new LinkedHashMap<>();
        float[] buffer = new float[1 << 16];
        try (ModelExecutor.Session session = executor.open(model, exposed)) {
            pass(data, samples, session, progress, "calibrate: ranges", (name, t) -> {
                feed(t, buffer, ranges.computeIfAbsent(name, k -> new RangeStats())::add);
                means.computeIfAbsent(name, k -> new org.onnx2trt.tensor.math.ChannelMeans()).add(t);
            });
            if (settings.method().needsHistogram()) {
                ranges.forEach((name, r) -> histograms.put(name, new AbsHistogram(r.maxAbs(), settings.bins())));
                pass(data, samples, session, progress, "calibrate: histograms", (name, t) -> {
                    AbsHistogram h = histograms.get(name);
                    if (h != null) {
                        feed(t, buffer, h::add);
                    }
                });
            }
        }
        Map<String, CalibrationTable.Range> table = new LinkedHashMap<>();
        List<String> graphOrder = new ArrayList<>(model.graph().runtimeInputs().stream().map(Value::name).toList());
        graphOrder.addAll(exposed);
        for (String name : graphOrder) {
            RangeStats r = ranges.get(name);
            if (r != null && !table.containsKey(name)) {
                Choice c = settings.method().choose(r, histograms.get(name));
                table.put(name, new CalibrationTable.Range(c.amax(), r.min(), r.max(), c.clippedFraction(), r.count(),
                        r.nanCount(), c.method(), means.get(name).means()));
            }
        }
        return new CalibrationTable(hash, settings.method().id(), samples, data.describe(), table);
    }

    /** The values calibration exposes: node outputs of the main graph (Constant nodes' aside). */
    static List<String> activations(Model model) {
        List<String> out = new ArrayList<>();
        for (Node n : model.graph().nodes()) {
            if (n.opType().equals("Constant") && n.domain().isEmpty()) {
                continue;
            }
            for (Value v : n.outputs()) {
                if (v != null && !v.name().isEmpty()) {
                    out.add(v.name());
                }
            }
        }
        return out;
    }

    private interface Visitor {
        void tensor(String name, Tensor t);
    }

    private interface Sink {
        void add(float[] values, int offset, int length);
    }

    /** One pass: each sample's inputs and every value the session returns, float ones only. */
    private static void pass(DataSet data, int samples, ModelExecutor.Session session, Progress progress, String title,
                             Visitor visitor) {
        progress.begin(title, samples);
        Iterator<Sample> it = data.iterator();
        try {
            for (int i = 0; i < samples && it.hasNext(); i++) {
                Sample s = it.next();
                for (Map.Entry<String, Tensor> in : s.inputs().entrySet()) {
                    if (in.getValue().dataType() == DataType.FLOAT) {
                        visitor.tensor(in.getKey(), in.getValue());
                    }
                }
                for (Map.Entry<String, Tensor> out : session.run(s.inputs()).entrySet()) {
                    if (out.getValue().dataType() == DataType.FLOAT) {
                        visitor.tensor(out.getKey(), out.getValue());
                    }
                }
                progress.advance(i + 1);
            }
        } finally {
            DataSet.close(it);
            progress.end();
        }
    }

    /** Hands a float tensor's elements to {@code sink} in chunks of {@code buffer}'s size. */
    private static void feed(Tensor t, float[] buffer, Sink sink) {
        FloatBuffer f = t.bytes().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        while (f.hasRemaining()) {
            int n = Math.min(buffer.length, f.remaining());
            f.get(buffer, 0, n);
            sink.add(buffer, 0, n);
        }
    }
}
