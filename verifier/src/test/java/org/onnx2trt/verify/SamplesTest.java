package org.onnx2trt.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.ir.Model;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.sample.SampleException;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.sample.npy.Npy;
import org.onnx2trt.sample.npy.Npz;
import org.onnx2trt.tensor.Tensor;

class SamplesTest {
    @TempDir
    Path dir;

    final Model model = EquivalenceTest.scaled(1); // x: float[batch, 3]

    @Test
    void loadsNpyNpzAndFoldersOfSamples() throws Exception {
        Tensor x = Tensor.ofFloats("x", new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
        Files.write(dir.resolve("one.npy"), Npy.write(x));
        assertArrayEquals(new long[] {2, 3}, Samples.load(dir.resolve("one.npy"), model).get(0).get("x").dims());
        Files.write(dir.resolve("one.npz"), Npz.write(Map.of("x", x)));
        assertEquals(1, Samples.load(dir.resolve("one.npz"), model).size());
        Path folder = Files.createDirectories(dir.resolve("set"));
        Files.write(folder.resolve("a.npz"), Npz.write(Map.of("x", x)));
        Files.write(folder.resolve("b.npz"), Npz.write(Map.of("x", x)));
        Files.createDirectories(folder.resolve("c"));
        Files.write(folder.resolve("c").resolve("x.npy"), Npy.write(x));
        assertEquals(3, Samples.load(folder, model).size());
    }

    @Test
    void samplesThatDoNotFitSayWhich() throws Exception {
        Files.write(dir.resolve("rank.npy"), Npy.write(Tensor.ofFloats("x", new long[] {3}, 1, 2, 3)));
        assertEquals(dir.resolve("rank.npy") + ": input `x` has rank 2 (float32[batch,3]), the array has shape [3]",
                refusal(dir.resolve("rank.npy")));
        Files.write(dir.resolve("dim.npy"), Npy.write(Tensor.ofFloats("x", new long[] {1, 2}, 1, 2)));
        assertEquals(dir.resolve("dim.npy") + ": input `x` needs 3 on axis 1 (float32[batch,3]), the array has shape [1, 2]",
                refusal(dir.resolve("dim.npy")));
        Files.write(dir.resolve("type.npy"), Npy.write(Tensor.ofLongs("x", new long[] {1, 3}, 1, 2, 3)));
        assertEquals(dir.resolve("type.npy") + ": input `x` takes float32, the array is int64; save it with"
                + " .astype(numpy.float32)", refusal(dir.resolve("type.npy")));
        Files.write(dir.resolve("names.npz"), Npz.write(Map.of("images", Tensor.ofFloats("i", new long[] {1, 3}, 1, 2, 3))));
        assertEquals(dir.resolve("names.npz") + ": array `images` is not an input of the model; its inputs are [x]",
                refusal(dir.resolve("names.npz")));
        assertEquals(dir.resolve("missing.npz") + ": cannot read: " + dir.resolve("missing.npz"),
                refusal(dir.resolve("missing.npz")));
    }

    @Test
    void inputShapesParseAndRefuse() {
        InputShapes s = InputShapes.parse(List.of("x:4,3", "mask:"));
        assertArrayEquals(new long[] {4, 3}, s.shapes().get("x"));
        assertArrayEquals(new long[0], s.shapes().get("mask"));
        assertEquals("--input-shape x=4,3: expected NAME:D0,D1,... (e.g. images:1,3,224,224)",
                assertThrows(IllegalArgumentException.class, () -> InputShapes.parse(List.of("x=4,3"))).getMessage());
        assertEquals("--input-shape x:4,b: `b` is not a size; dims are non-negative integers (e.g. images:1,3,224,224)",
                assertThrows(IllegalArgumentException.class, () -> InputShapes.parse(List.of("x:4,b"))).getMessage());
        Map<String, Tensor> in = RandomInputs.forModel(model, 1, InputShapes.parse(List.of("x:5,3")));
        assertArrayEquals(new long[] {5, 3}, in.get("x").dims());
    }

    private String refusal(Path p) {
        return assertThrows(SampleException.class, () -> Samples.load(p, model)).getMessage();
    }
}
