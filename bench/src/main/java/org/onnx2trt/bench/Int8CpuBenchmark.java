package org.onnx2trt.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.onnx2trt.builder.SyntheticModels;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.calib.Calibration;
import org.onnx2trt.quant.calib.CalibrationMethod;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.quant.data.Progress;
import org.onnx2trt.quant.eval.Evaluation;
import org.onnx2trt.quant.place.QdqPlacement;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.ModelRunner;
import org.onnx2trt.verify.OnnxRuntime;
import org.onnx2trt.verify.OrtKernels;

/**
 * {@code bench int8 [FILE...]}: what int8 buys on this CPU. Each model (default: a ResNet-18 shape) is
 * fused with the default rules, calibrated (minmax, 16 random samples), placed for {@code ort-cpu},
 * and run at batch 1 in onnxruntime with its optimizations on, float and int8 alternated; the
 * figures are medians of the same run, the int8 time as a ratio of the float time. The int8 kernels
 * onnxruntime runs and the output SNR are printed beside them: a speed-up of a model whose fusions
 * did not take, or that lost its accuracy, is no speed-up.
 */
public final class Int8CpuBenchmark {
    private static final int CALIBRATION_SAMPLES = 16;

    private final PrintWriter out;
    private final int repeat;

    public Int8CpuBenchmark(PrintWriter out, int repeat) {
        this.out = out;
        this.repeat = repeat;
    }

    public void run(List<Path> files, Path scratch) {
        if (files.isEmpty()) {
            measure("ResNet-18 shape, 224×224", SyntheticModels.resnet18(), scratch);
        }
        for (Path f : files) {
            measure(f.getFileName().toString(), ModelReader.read(f), scratch);
        }
    }

    private void measure(String name, Model model, Path scratch) {
        BenchSuites.fuseWithDefaultRules(model);
        DataSet data = RandomData.of(model, CALIBRATION_SAMPLES, InputShapes.DEFAULT);
        CalibrationTable table = Calibration.run(model, data, Calibration.Settings.of(CalibrationMethod.MINMAX),
                OnnxRuntime.EXECUTOR, Progress.NONE);
        Model int8 = Model.fromProto(model.toProto());
        QdqPlacement.place(int8, table, QdqPlacement.Target.ORT_CPU, Map.of());
        Path file = scratch.resolve("int8.onnx");
        ModelWriter.write(int8, file, WriteOptions.inline());
        Map<String, Integer> kernels = OrtKernels.afterFusion(file);
        double snr = Evaluation.run(model, int8, data, 0, OnnxRuntime.EXECUTOR, Progress.NONE).worstSnrDb();

        Map<String, Tensor> input = RandomInputs.forModel(model, 7, Map.of(), 1);
        int runs = Math.max(5, repeat * 10);
        double[] floatMs = new double[runs];
        double[] int8Ms = new double[runs];
        try (ModelRunner f = ModelRunner.openOptimized(model, List.of()); ModelRunner q = ModelRunner.openOptimized(int8, List.of())) {
            for (int i = 0; i < 3; i++) { // warm-up: first runs allocate and pack weights
                f.run(input);
                q.run(input);
            }
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                f.run(input);
                long t1 = System.nanoTime();
                q.run(input);
                long t2 = System.nanoTime();
                floatMs[i] = (t1 - t0) / 1e6;
                int8Ms[i] = (t2 - t1) / 1e6;
            }
        }
        double fm = median(floatMs);
        double qm = median(int8Ms);
        int convs = (int) model.graph().nodeList().stream().filter(n -> n.opType().equals("Conv")).count();
        out.printf(Locale.ROOT, "%s: %d nodes, %d Conv; onnxruntime runs %d int8 kernels (%d QLinearConv)%n", name,
                model.graph().nodeCount(), convs, OrtKernels.int8Count(kernels), kernels.getOrDefault("QLinearConv", 0));
        out.printf(Locale.ROOT, "  batch 1, median of %d: float %.2f ms, int8 %.2f ms: ×%.2f of float; output SNR %.1f dB"
                + " (random data)%n", runs, fm, qm, qm / fm, snr);
        out.flush();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
