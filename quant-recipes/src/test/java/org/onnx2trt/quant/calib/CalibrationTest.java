package org.onnx2trt.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.quant.data.NumpyDataSet;
import org.onnx2trt.quant.data.Progress;
import org.onnx2trt.sample.npy.Npz;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.OnnxRuntime;

class CalibrationTest {
    @TempDir
    Path dir;

    /** x [N, 4] -> y = x · 2 -> r = Relu(y); an int64 Shape output that calibration must leave out. */
    private static Model model() {
        GraphBuilder b = new GraphBuilder("m");
        Value x = b.input("x", DataType.FLOAT, "N", 4);
        Value y = b.op("Mul", x, b.floats("two", 2f)).outputNames("y").out();
        Value r = b.op("Relu", y).outputNames("r").out();
        Value s = b.op("Shape", r).outputNames("s").out();
        b.output(r, DataType.FLOAT, "N", 4);
        b.output(s, DataType.INT64, 2);
        return b.build(13);
    }

    private DataSet data(float[] values) throws IOException {
        Path f = dir.resolve("calib.npz");
        Files.write(f, Npz.write(Map.of("x", Tensor.ofFloats("x", new long[] {values.length / 4, 4}, values))));
        return NumpyDataSet.open(f, model());
    }

    @Test
    void minmaxMeasuresEveryFloatActivationOverTheWholeSet() throws IOException {
        float[] x = {0.5f, -3f, 1f, 2f, /* sample 2 */ -0.25f, 2.5f, 0f, -1f};
        List<String> passes = new ArrayList<>();
        CalibrationTable t = Calibration.run(model(), data(x), Calibration.Settings.of(CalibrationMethod.MINMAX),
                OnnxRuntime.EXECUTOR, new Progress() {
                    @Override
                    public void begin(String title, int total) {
                        passes.add(title + " " + total);
                    }
                });
        assertEquals(List.of("calibrate: ranges 2"), passes); // minmax needs no histogram pass
        assertEquals(List.of("x", "y", "r"), List.copyOf(t.tensors().keySet())); // the int64 shape is not an activation
        assertEquals(3f, t.range("x").orElseThrow().amax());
        assertEquals(-3f, t.range("x").orElseThrow().min());
        assertEquals(6f, t.range("y").orElseThrow().amax());
        assertEquals(5f, t.range("r").orElseThrow().amax());
        assertEquals(0f, t.range("r").orElseThrow().min());
        assertEquals(5f / 127, t.range("r").orElseThrow().scale());
        assertEquals(8, t.range("x").orElseThrow().count());
        assertEquals(2, t.samples());
        assertEquals(CalibrationTable.hash(model()), t.modelSha256());
    }

    @Test
    void histogramMethodsTakeASecondPassAndClipOutliers() throws IOException {
        float[] x = new float[4 * 5000];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        x[7] = 1000f; // one outlier in 20,000 values: above the 99.99th percentile
        List<String> passes = new ArrayList<>();
        CalibrationTable t = Calibration.run(model(), data(x), Calibration.Settings.of(CalibrationMethod.PERCENTILE),
                OnnxRuntime.EXECUTOR, new Progress() {
                    @Override
                    public void begin(String title, int total) {
                        passes.add(title);
                    }
                });
        assertEquals(List.of("calibrate: ranges", "calibrate: histograms"), passes);
        CalibrationTable.Range in = t.range("x").orElseThrow();
        assertEquals(1000f, in.max());
        assertTrue(in.amax() < 10f, "99.99th percentile clips the outlier: " + in.amax());
        assertTrue(in.clippedFraction() > 0 && in.clippedFraction() < 0.01, "clipped " + in.clippedFraction());
    }

    @Test
    void aTableRoundTripsThroughJsonAndRefusesAnotherModel() throws IOException {
        CalibrationTable t = Calibration.run(model(), data(new float[] {1, 2, 3, 4}),
                Calibration.Settings.of(CalibrationMethod.MINMAX), OnnxRuntime.EXECUTOR, Progress.NONE);
        Path f = Files.writeString(dir.resolve("table.json"), t.toJson());
        CalibrationTable back = CalibrationTable.read(f);
        assertEquals(t.tensors(), back.tensors());
        assertEquals(t.modelSha256(), back.modelSha256());
        back.checkMeasuredOn(model(), f.toString());
        GraphBuilder b = new GraphBuilder("other");
        Value x = b.input("x", DataType.FLOAT, "N", 4);
        b.output(b.op("Relu", x).out(), DataType.FLOAT, "N", 4);
        String m = assertThrows(CalibrationTable.TableException.class, () -> back.checkMeasuredOn(b.build(13), f.toString()))
                .getMessage();
        assertTrue(m.startsWith(f + ": the table was measured on another model (sha256 "), m);
        assertTrue(m.endsWith("calibrate this model again: onnx2trt calibrate MODEL --calib DATA -o TABLE"), m);
        Path notTable = Files.writeString(dir.resolve("x.json"), "{\"a\": 1}");
        assertTrue(assertThrows(CalibrationTable.TableException.class, () -> CalibrationTable.read(notTable)).getMessage()
                .startsWith(notTable + ": not a calibration table"));
        Path broken = Files.writeString(dir.resolve("y.json"), "{\n  \"format\": ");
        assertTrue(assertThrows(CalibrationTable.TableException.class, () -> CalibrationTable.read(broken)).getMessage()
                .startsWith(broken + ":2:"));
    }
}
