package org.onnx2trt.quant.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.sample.npy.Npy;
import org.onnx2trt.sample.npy.Npz;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

class NumpyDataSetTest {
    @TempDir
    Path dir;

    /** x [batch, 2, 3] -> Relu. */
    private static Model model(Object batch) {
        GraphBuilder b = new GraphBuilder("m");
        Value x = b.input("x", DataType.FLOAT, batch, 2, 3);
        Value y = b.op("Relu", x).out();
        b.output(y, DataType.FLOAT, batch, 2, 3);
        return b.build(13);
    }

    private static void assertMessage(Path data, String how, String expected) {
        String m = assertThrows(DataException.class, () -> NumpyDataSet.open(data, model("N"))).getMessage();
        assertTrue(how.equals("startsWith") ? m.startsWith(expected) : m.contains(expected), m);
    }

    private static Tensor floats(String name, long[] dims) {
        float[] v = new float[Math.toIntExact(Tensor.elementCount(dims))];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.ofFloats(name, dims, v);
    }

    private static float[] values(Tensor t) {
        float[] out = new float[Math.toIntExact(t.elementCount())];
        t.bytes().asFloatBuffer().get(out);
        return out;
    }

    @Test
    void aBatchedNpzGivesOneSampleAnEntryWithItsLabel() throws IOException {
        Path f = dir.resolve("calib.npz");
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("x", floats("x", new long[] {5, 2, 3}));
        arrays.put("labels", Tensor.ofLongs("labels", new long[] {5}, 4, 3, 2, 1, 0));
        Files.write(f, Npz.write(arrays));
        DataSet set = NumpyDataSet.open(f, model("N"));
        assertEquals(5, set.size());
        assertTrue(set.hasLabels());
        for (int pass = 0; pass < 2; pass++) { // a second pass reads the same samples again
            List<Sample> samples = new ArrayList<>();
            set.forEach(samples::add);
            assertEquals(5, samples.size());
            Sample third = samples.get(2);
            assertArrayEquals(new long[] {1, 2, 3}, third.inputs().get("x").dims()); // the input's own rank: batch 1
            assertEquals(12f, values(third.inputs().get("x"))[0]);
            assertEquals(2, third.label().getAsInt());
            assertEquals("calib.npz[2]", third.origin());
        }
    }

    @Test
    void anArrayOfTheInputsRankGivesTheModelsBatchPerSample() throws IOException {
        Path f = dir.resolve("calib.npy");
        Files.write(f, Npy.write(floats("x", new long[] {6, 2, 3})));
        DataSet dynamic = NumpyDataSet.open(f, model("N"));
        assertEquals(6, dynamic.size()); // batch 1 where the batch is not fixed
        assertArrayEquals(new long[] {1, 2, 3}, dynamic.iterator().next().inputs().get("x").dims());
        DataSet fixed = NumpyDataSet.open(f, model(2L));
        assertEquals(3, fixed.size());
        Iterator<Sample> it = fixed.iterator();
        it.next();
        Tensor second = it.next().inputs().get("x");
        assertArrayEquals(new long[] {2, 2, 3}, second.dims());
        assertEquals(12f, values(second)[0]);
        DataSet.close(it);
        assertFalse(fixed.hasLabels());
    }

    @Test
    void aFolderOfNpzFilesGivesOneSampleAFile() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("samples"));
        for (int i = 0; i < 3; i++) {
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            arrays.put("x", floats("x", new long[] {1, 2, 3}));
            arrays.put("label", Tensor.ofLongs("label", new long[0], i));
            Files.write(folder.resolve("s" + i + ".npz"), Npz.write(arrays));
        }
        DataSet set = NumpyDataSet.open(folder, model("N"));
        assertEquals(3, set.size());
        assertTrue(set.hasLabels());
        List<Integer> labels = new ArrayList<>();
        set.forEach(s -> labels.add(s.label().getAsInt()));
        assertEquals(List.of(0, 1, 2), labels);
    }

    @Test
    void badDataIsOneLineNamingTheFileAndTheFix() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertMessage(empty, "startsWith", empty + ": no samples here");
        Path wrongShape = dir.resolve("wrong.npz");
        Files.write(wrongShape, Npz.write(Map.of("x", floats("x", new long[] {4, 3, 2}))));
        assertEquals(wrongShape + " (sample 0): input `x` needs 2 on axis 1 (float32[N,2,3]), the array has shape [1, 3, 2]",
                assertThrows(DataException.class, () -> NumpyDataSet.open(wrongShape, model("N"))).getMessage());
        Path wrongName = dir.resolve("name.npz");
        Files.write(wrongName, Npz.write(Map.of("input", floats("input", new long[] {4, 2, 3}))));
        assertMessage(wrongName, "startsWith", wrongName + ": no array `x` for input `x`");
        Path doubles = dir.resolve("f64.npy");
        Files.write(doubles, Npy.write(Tensor.zeros("x", DataType.DOUBLE, 4, 2, 3)));
        assertMessage(doubles, "contains", "input `x` takes float32, the array is float64; save it with .astype(numpy.float32)");
        Path labels = dir.resolve("labels.npz");
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("x", floats("x", new long[] {5, 2, 3}));
        arrays.put("labels", Tensor.ofLongs("labels", new long[] {4}, 1, 2, 3, 4));
        Files.write(labels, Npz.write(arrays));
        assertMessage(labels, "startsWith", labels + ": `labels` must be 5 integers (one per sample)");
        Path garbage = dir.resolve("garbage.npz");
        Files.writeString(garbage, "not a zip");
        assertMessage(garbage, "startsWith", garbage + ": not a .npz archive");
    }
}
