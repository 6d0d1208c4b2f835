package org.onnx2trt.quant.place;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.calib.Calibration;
import org.onnx2trt.quant.calib.CalibrationMethod;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.quant.data.NumpyDataSet;
import org.onnx2trt.quant.data.Progress;
import org.onnx2trt.verify.OnnxRuntime;
import org.onnx2trt.verify.OrtKernels;

/**
 * The ort-cpu placement does what it is for: onnxruntime's CPU fusions turn every Conv of the trained
 * classifiers into QLinearConv and every Gemm into QGemm (read from the graph onnxruntime saves after
 * its optimizations), where the TensorRT placement of the same model leaves onnxruntime running
 * float convolutions between DQ and Q.
 */
class OrtCpuKernelsTest {
    private static final Path DATA = Path.of("..", "testdata", "quant");

    @TempDir
    Path dir;

    private Map<String, Integer> kernels(String file, QdqPlacement.Target target) {
        Model model = ModelReader.read(DATA.resolve(file));
        CalibrationTable table = Calibration.run(model, NumpyDataSet.open(DATA.resolve("calib.npz"), model),
                Calibration.Settings.of(CalibrationMethod.ENTROPY), OnnxRuntime.EXECUTOR, Progress.NONE);
        QdqPlacement.place(model, table, target, Map.of());
        Path out = dir.resolve(target.id() + "-" + file);
        ModelWriter.write(model, out, WriteOptions.inline());
        Map<String, Integer> counts = OrtKernels.afterFusion(out);
        System.out.println("[ort-cpu] " + file + " placed for " + target.id() + ", onnxruntime runs: " + counts);
        return counts;
    }

    private static long count(String file, String op) {
        return ModelReader.read(DATA.resolve(file)).graph().nodeList().stream().filter(n -> n.opType().equals(op)).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain_cnn.onnx", "separable_cnn.onnx"})
    void everyConvAndGemmRunsAsAnInt8Kernel(String file) {
        Map<String, Integer> cpu = kernels(file, QdqPlacement.Target.ORT_CPU);
        long convs = count(file, "Conv");
        long gemms = count(file, "Gemm");
        assertTrue(convs > 0, file + " has convolutions");
        assertEquals(convs, (long) cpu.getOrDefault("QLinearConv", 0), "QLinearConv in " + cpu);
        assertEquals(0, (int) cpu.getOrDefault("Conv", 0), "no float Conv left: " + cpu);
        assertEquals(gemms, (long) cpu.getOrDefault("com.microsoft::QGemm", 0), "QGemm in " + cpu);

        Map<String, Integer> trt = kernels(file, QdqPlacement.Target.TENSORRT);
        assertTrue(trt.getOrDefault("QLinearConv", 0) < convs,
                "the TensorRT placement (no output Q, float bias) is not what onnxruntime fuses: " + trt);
    }
}
