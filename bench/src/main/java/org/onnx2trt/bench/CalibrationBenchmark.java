package org.onnx2trt.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.onnx2trt.builder.SyntheticModels;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.calib.Calibration;
import org.onnx2trt.quant.calib.CalibrationMethod;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.quant.data.NumpyDataSet;
import org.onnx2trt.quant.data.Progress;
import org.onnx2trt.quant.data.Sample;
import org.onnx2trt.sample.npy.Npz;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.OnnxRuntime;

/**
 * {@code bench calibrate}: what calibration costs on a ResNet-18-shaped model (BN folded), against
 * plain onnxruntime inference of the same samples (issue 13's bar: at most 3×), both read from the
 * same streamed {@code .npz} and both including their session's creation; alternated, medians. Then
 * the peak heap of calibration on that set and on one ten times larger (it should stay flat: one
 * sample and fixed-size statistics are held, whatever the set's size).
 */
public final class CalibrationBenchmark {
    private final PrintWriter out;
    private final int repeat;

    public CalibrationBenchmark(PrintWriter out, int repeat) {
        this.out = out;
        this.repeat = repeat;
    }

    public void run(Path scratch, int samples) throws IOException {
        Model model = SyntheticModels.resnet18();
        BenchSuites.fuseWithDefaultRules(model);
        Path small = write(scratch.resolve("calib.npz"), model, samples);
        DataSet data = NumpyDataSet.open(small, model);
        out.printf(Locale.ROOT, "ResNet-18-shaped model (BN folded): %d nodes; %d samples of 1×3×224×224 from %s%n",
                model.graph().nodeCount(), samples, small.getFileName());
        for (CalibrationMethod method : new CalibrationMethod[] {CalibrationMethod.MINMAX, CalibrationMethod.ENTROPY}) {
            double[] plain = new double[repeat];
            double[] calib = new double[repeat];
            for (int r = 0; r < repeat + 1; r++) { // the first round warms up
                long t0 = System.nanoTime();
                inference(model, data);
                long t1 = System.nanoTime();
                Calibration.run(model, data, Calibration.Settings.of(method), OnnxRuntime.EXECUTOR, Progress.NONE);
                long t2 = System.nanoTime();
                if (r > 0) {
                    plain[r - 1] = (t1 - t0) / 1e6;
                    calib[r - 1] = (t2 - t1) / 1e6;
                }
            }
            double p = median(plain);
            double c = median(calib);
            out.printf(Locale.ROOT, "  %-8s calibration %8.0f ms, plain inference %8.0f ms: ×%.2f (bar: ≤ ×3)%n", method.id(),
                    c, p, c / p);
        }
        Path large = write(scratch.resolve("calib10.npz"), model, samples * 10);
        DataSet ten = NumpyDataSet.open(large, model);
        long peakSmall = peakHeap(model, data);
        long peakLarge = peakHeap(model, ten);
        out.printf(Locale.ROOT, "  heap in use after collections, at most: %d MiB on %d samples, %d MiB on %d (×%.2f for 10× the"
                + " data; the .npz files are %d and %d MiB)%n", peakSmall >> 20, samples, peakLarge >> 20, samples * 10,
                (double) peakLarge / peakSmall, Files.size(small) >> 20, Files.size(large) >> 20);
    }

    private static void inference(Model model, DataSet data) {
        try (ModelExecutor.Session s = OnnxRuntime.EXECUTOR.open(model)) {
            for (Sample sample : data) {
                s.run(sample.inputs());
            }
        }
    }

    /**
     * The most heap left in use after any garbage collection during one entropy calibration: what
     * the run holds (garbage between collections, which the JVM leaves as long as it has room, does
     * not count).
     */
    private static long peakHeap(Model model, DataSet data) {
        long[] peak = new long[1];
        javax.management.NotificationListener listener = (n, handback) -> {
            if (n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) n.getUserData());
                long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                        .mapToLong(java.lang.management.MemoryUsage::getUsed).sum();
                synchronized (peak) {
                    peak[0] = Math.max(peak[0], used);
                }
            }
        };
        List<java.lang.management.GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        for (var gc : collectors) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
        try {
            System.gc();
            Calibration.run(model, data, Calibration.Settings.of(CalibrationMethod.ENTROPY), OnnxRuntime.EXECUTOR, Progress.NONE);
            System.gc();
        } finally {
            for (var gc : collectors) {
                try {
                    ((javax.management.NotificationEmitter) gc).removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // not added: nothing to remove
                }
            }
        }
        synchronized (peak) {
            return peak[0];
        }
    }

    private static Path write(Path file, Model model, int samples) throws IOException {
        String input = model.graph().runtimeInputs().get(0).name();
        float[] v = new float[samples * 3 * 224 * 224];
        Random r = new Random(13);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        Files.write(file, Npz.write(Map.of(input, Tensor.ofFloats(input, new long[] {samples, 3, 224, 224}, v))));
        return file;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
