package org.onnx2trt.quant.eval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.quant.data.Progress;
import org.onnx2trt.quant.data.Sample;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;

/**
 * What quantization cost, measured: the float model and the quantized one run on the same samples,
 * and per output the signal-to-noise ratio over the whole set (Σx² / Σ(y − x)², in dB), the cosine
 * and the largest difference; for a classifier's output ([N, classes]) how often the two agree on
 * the top-1 class; with labels, both models' top-1 and top-5 accuracy.
 */
public final class Evaluation {
    /** One output's figures over the whole set. */
    public record OutputFigures(String name, double snrDb, double cosine, double maxAbs, long elements,
                                Agreement agreement) {}

    /**
     * A classifier output's figures.
     *
     * @param rows          the rows compared (samples × batch)
     * @param top1Agreement the fraction of rows where both models pick the same class
     * @param floatTop1     top-1 accuracy of the float model against the labels (NaN without labels)
     * @param quantTop1     top-1 accuracy of the quantized model (NaN without labels)
     * @param floatTop5     top-5 accuracy of the float model (NaN without labels or with fewer than 5 classes)
     * @param quantTop5     top-5 accuracy of the quantized model
     */
    public record Agreement(long rows, double top1Agreement, double floatTop1, double quantTop1, double floatTop5,
                            double quantTop5) {
        /** Points of top-1 lost: 100 · (float − quantized) accuracy with labels, else 100 · (1 − agreement). */
        public double top1Drop() {
            return Double.isNaN(floatTop1) ? 100 * (1 - top1Agreement) : 100 * (floatTop1 - quantTop1);
        }
    }

    /** The figures for every float output, and how many samples were run. */
    public record Result(int samples, List<OutputFigures> outputs) {
        /** The lowest SNR over the outputs. */
        public double worstSnrDb() {
            return outputs.stream().mapToDouble(OutputFigures::snrDb).min().orElse(Double.POSITIVE_INFINITY);
        }
    }

    private Evaluation() {}

    /**
     * Runs {@code reference} (float) and {@code quantized} on the first {@code maxSamples} samples of
     * {@code data} (all when 0). The same model passed twice is run once a sample: its accuracy alone.
     */
    public static Result run(Model reference, Model quantized, DataSet data, int maxSamples, ModelExecutor executor,
                             Progress progress) {
        int samples = maxSamples > 0 ? Math.min(maxSamples, data.size()) : data.size();
        Map<String, Accumulator> acc = new LinkedHashMap<>();
        progress.begin(reference == quantized ? "evaluate" : "evaluate: float vs quantized", samples);
        Iterator<Sample> it = data.iterator();
        int done = 0;
        boolean alone = reference == quantized; // one model's accuracy: run it once a sample
        try (ModelExecutor.Session f = executor.open(reference);
             ModelExecutor.Session q = alone ? null : executor.open(quantized)) {
            for (; done < samples && it.hasNext(); done++) {
                Sample s = it.next();
                Map<String, Tensor> expected = f.run(s.inputs());
                Map<String, Tensor> actual = alone ? expected : q.run(s.inputs());
                for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                    Tensor y = actual.get(e.getKey());
                    if (e.getValue().dataType() == DataType.FLOAT && y != null) {
                        acc.computeIfAbsent(e.getKey(), Accumulator::new).add(e.getValue(), y, s);
                    }
                }
                progress.advance(done + 1);
            }
        } finally {
            DataSet.close(it);
            progress.end();
        }
        List<OutputFigures> out = new ArrayList<>();
        acc.values().forEach(a -> out.add(a.figures(data.hasLabels())));
        return new Result(done, out);
    }

    /** Running sums for one output. */
    private static final class Accumulator {
        private final String name;
        private double signal;
        private double noise;
        private double dot;
        private double actualNorm;
        private double maxAbs;
        private long elements;
        private boolean classifier = true;
        private long rows;
        private long agree;
        private long floatTop1;
        private long quantTop1;
        private long floatTop5;
        private long quantTop5;
        private long classes;

        Accumulator(String name) {
            this.name = name;
        }

        void add(Tensor expected, Tensor actual, Sample s) {
            TensorView e = expected.view();
            TensorView a = actual.view();
            for (int i = 0; i < e.size(); i++) {
                double x = e.getDouble(i);
                double y = a.getDouble(i);
                signal += x * x;
                noise += (y - x) * (y - x);
                dot += x * y;
                actualNorm += y * y;
                maxAbs = Math.max(maxAbs, Math.abs(y - x));
            }
            elements += e.size();
            long[] d = expected.dims();
            // a classifier's scores: [N, classes] (or [classes]), more than one class
            classifier &= (d.length == 2 || d.length == 1) && d[d.length - 1] > 1;
            if (!classifier) {
                return;
            }
            int c = (int) d[d.length - 1];
            classes = c;
            int n = e.size() / c;
            for (int r = 0; r < n; r++) {
                int fe = argmax(e, r * c, c);
                int qe = argmax(a, r * c, c);
                rows++;
                agree += fe == qe ? 1 : 0;
                if (s.label().isPresent() && n == 1) {
                    int label = s.label().getAsInt();
                    floatTop1 += fe == label ? 1 : 0;
                    quantTop1 += qe == label ? 1 : 0;
                    floatTop5 += rankOf(e, r * c, c, label) < 5 ? 1 : 0;
                    quantTop5 += rankOf(a, r * c, c, label) < 5 ? 1 : 0;
                }
            }
        }

        OutputFigures figures(boolean labelled) {
            double snr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
            double cosine = signal == 0 && actualNorm == 0 ? 1 : dot / Math.sqrt(signal * actualNorm);
            Agreement agreement = null;
            if (classifier && rows > 0) {
                double nan = Double.NaN;
                boolean top5 = labelled && classes >= 5;
                agreement = new Agreement(rows, (double) agree / rows, labelled ? (double) floatTop1 / rows : nan,
                        labelled ? (double) quantTop1 / rows : nan, top5 ? (double) floatTop5 / rows : nan,
                        top5 ? (double) quantTop5 / rows : nan);
            }
            return new OutputFigures(name, snr, cosine, maxAbs, elements, agreement);
        }

        private static int argmax(TensorView v, int from, int n) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (v.getDouble(from + i) > v.getDouble(from + best)) {
                    best = i;
                }
            }
            return best;
        }

        /** How many classes score above {@code label}'s. */
        private static int rankOf(TensorView v, int from, int n, int label) {
            if (label < 0 || label >= n) {
                return Integer.MAX_VALUE;
            }
            double score = v.getDouble(from + label);
            int above = 0;
            for (int i = 0; i < n; i++) {
                above += v.getDouble(from + i) > score ? 1 : 0;
            }
            return above;
        }
    }
}
