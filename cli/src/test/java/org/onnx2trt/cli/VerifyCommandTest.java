package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;

/** {@code verify} and {@code compare} on pairs that are equal, slightly off and wrong. */
class VerifyCommandTest {
    @TempDir
    Path dir;

    /** y = (Relu(x·w1))·w2 with w1 = [1,2,3], w2 = [s, 1, 1]. */
    private Path model(String file, float s) {
        GraphBuilder b = new GraphBuilder("m");
        Value x = b.input("x", DataType.FLOAT, "batch", 3);
        Value m1 = b.op("Mul", x, b.floats("w1", new long[] {3}, 1, 2, 3)).outputNames("mul1").out();
        Value r = b.op("Relu", m1).outputNames("relu").out();
        Value y = b.op("Mul", r, b.floats("w2", new long[] {3}, s, 1, 1)).outputNames("y").out();
        b.output(y, DataType.FLOAT, "batch", 3);
        Path p = dir.resolve(file);
        ModelWriter.write(b.build(), p, WriteOptions.inline());
        return p;
    }

    /**
     * A NaN weight makes every output NaN in both models: equal NaNs prove nothing, so verify says "not
     * verified" (exit 4), with undefined figures, instead of cosine 1 and SNR ∞. One NaN channel of three
     * (w2 = [NaN, 1, 1]) passes on the others, with the NaN elements counted.
     */
    @Test
    void nanOutputsAreNotCalledEquivalent() {
        GraphBuilder b = new GraphBuilder("m");
        Value x = b.input("x", DataType.FLOAT, "batch", 3);
        Value y = b.op("Mul", x, b.floats("w", new long[] {1}, Float.NaN)).outputNames("y").out();
        b.output(y, DataType.FLOAT, "batch", 3);
        Path nan = dir.resolve("nan.onnx");
        ModelWriter.write(b.build(), nan, WriteOptions.inline());
        CliTest.Run r = CliTest.run("verify", nan.toString(), nan.toString());
        assertEquals(4, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("undefined") && r.out().contains("NOT VERIFIED"), r.out());
        assertFalse(r.out().contains("1.000000"), r.out());
        assertTrue(r.err().contains("not verified: y is NaN or ∞ at every element in both models"), r.err());

        Path partly = model("partly.onnx", Float.NaN);
        r = CliTest.run("verify", partly.toString(), partly.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("NaN or ∞ in both models at"), r.out());
    }

    @Test
    void equalAndSlightlyOffPairsVerify() throws Exception {
        Path a = model("a.onnx", 1);
        CliTest.Run same = CliTest.run("verify", a.toString(), model("b.onnx", 1).toString(), "--report",
                dir.resolve("r.json").toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("equivalent: every output within tolerance"), same.out());
        String json = Files.readString(dir.resolve("r.json"));
        assertTrue(json.contains("\"equivalent\" : true") && json.contains("\"snr_db\" : \"Infinity\""), json);
        assertTrue(same.out().contains("  noise floor y "), "the floor it allowed for is printed: " + same.out());
        assertTrue(json.contains("\"noise_floor\" : {") && json.contains("\"noise_factor\" : 4.0"), json);
        CliTest.Run strict = CliTest.run("verify", a.toString(), model("b2.onnx", 1).toString(), "--atol", "1e-6");
        assertTrue(strict.out().contains("no noise floor: judged by atol/rtol alone"), strict.out());

        CliTest.Run near = CliTest.run("verify", a.toString(), model("c.onnx", 1 + 1e-6f).toString(), "--samples", "2");
        assertEquals(0, near.code(), near.err());
    }

    @Test
    void aWrongModelExitsOneNamingTheOutputAndFigures() {
        CliTest.Run r = CliTest.run("verify", model("a.onnx", 1).toString(), model("b.onnx", 1.1f).toString(),
                "--input-shape", "x:2,3");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("check failed: not equivalent: output `y`: "), r.err());
        assertTrue(r.err().contains("worst at flat index"), r.err());
        CliTest.Run loose = CliTest.run("verify", model("a.onnx", 1).toString(), model("b.onnx", 1.1f).toString(),
                "--atol", "y=10");
        assertEquals(0, loose.code(), loose.err());
    }

    @Test
    void badInputIsExitTwo() throws Exception {
        Path a = model("a.onnx", 1);
        CliTest.Run missing = CliTest.run("verify", a.toString(), dir.resolve("nope.onnx").toString());
        assertEquals(2, missing.code());
        Files.writeString(dir.resolve("bad.npy"), "not numpy");
        CliTest.Run badNpy = CliTest.run("verify", a.toString(), a.toString(), "--inputs", dir.resolve("bad.npy").toString());
        assertEquals(2, badNpy.code());
        assertTrue(badNpy.err().contains("bad.npy: not a .npy file"), badNpy.err());
        CliTest.Run badTol = CliTest.run("verify", a.toString(), a.toString(), "--atol", "-1");
        assertEquals(2, badTol.code());
        assertTrue(badTol.err().contains("--atol -1: expected a non-negative number, or OUTPUT=number"), badTol.err());
        CliTest.Run badShape = CliTest.run("verify", a.toString(), a.toString(), "--input-shape", "x:2,3,4");
        assertEquals(2, badShape.code(), badShape.err());
    }

    @Test
    void compareLayersNamesTheCorruptedLayerFirst() {
        CliTest.Run r = CliTest.run("compare", model("a.onnx", 1).toString(), model("b.onnx", 3).toString(), "--layers");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("2 shared intermediate values"), r.out());
        int relu = r.out().indexOf("relu");
        int y = r.out().indexOf("\n  y ");
        assertTrue(relu > 0 && y > relu, "rows in node order: " + r.out());
        assertTrue(r.err().contains("first divergence at output `y`"), r.err());
        assertFalse(r.out().lines().filter(l -> l.contains("mul1") || l.contains("relu")).anyMatch(l -> l.endsWith("FAIL")),
                r.out());
    }

    /** As a user would: a PyTorch export, one conv weight scaled by 1.5 in a copy; --layers names that conv. */
    @Test
    void compareLayersOnAnExportWithOneCorruptedWeight() throws Exception {
        Path export = Path.of("..", "testdata", "exports", "resnet_tiny_opset13_dynbatch.onnx");
        org.onnx2trt.ir.Model m = org.onnx2trt.io.ModelReader.read(export);
        org.onnx2trt.ir.Node conv = m.graph().nodeList().stream().filter(n -> n.opType().equals("Conv")).skip(3)
                .findFirst().orElseThrow();
        var view = conv.input(1).initializer().mutableView();
        for (int i = 0; i < view.size(); i++) {
            view.setFloat(i, view.getFloat(i) * 1.5f);
        }
        Path corrupted = dir.resolve("corrupted.onnx");
        ModelWriter.write(m, corrupted, WriteOptions.inline());

        CliTest.Run r = CliTest.run("compare", export.toString(), corrupted.toString(), "--layers", "--samples", "2",
                "--report", dir.resolve("layers.json").toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("first divergence at output `" + conv.output(0).name() + "`"), r.err());
        assertTrue(r.err().contains("(made by `" + conv.name() + "` (Conv) in A)"), r.err());
        assertTrue(Files.readString(dir.resolve("layers.json")).contains("\"first_divergence\" : \"" + conv.output(0).name()),
                "the JSON report names it too");
    }

    /** As a user would: optimize a PyTorch export, then verify the result against it with numpy inputs. */
    @Test
    void verifyAnExportAgainstItsOptimizedCopyWithNpyInputs() throws Exception {
        Path export = Path.of("..", "testdata", "exports", "convbn_opset11.onnx");
        Path optimized = dir.resolve("opt.onnx");
        CliTest.Run opt = CliTest.run("optimize", export.toString(), "-o", optimized.toString());
        assertEquals(0, opt.code(), opt.err());
        org.onnx2trt.ir.Model m = org.onnx2trt.io.ModelReader.read(export);
        var inputs = org.onnx2trt.sample.RandomInputs.forModel(m, 3, java.util.Map.of(), 2);
        Files.write(dir.resolve("sample.npz"), org.onnx2trt.sample.npy.Npz.write(inputs));
        CliTest.Run r = CliTest.run("verify", export.toString(), optimized.toString(), "--inputs",
                dir.resolve("sample.npz").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1 sample from "), r.out());
    }
}
