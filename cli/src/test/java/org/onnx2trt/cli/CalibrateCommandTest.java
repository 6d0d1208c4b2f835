package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.sample.npy.Npz;
import org.onnx2trt.tensor.Tensor;

class CalibrateCommandTest {
    @TempDir
    Path dir;

    private Path model() {
        return CliTest.sampleClassifier(dir);
    }

    private Path npz(int samples) throws IOException {
        return CliTest.classifierSamples(dir, samples, 1);
    }

    @Test
    void calibrateWritesATableOfEveryActivationStampedWithTheModel() throws IOException {
        Path table = dir.resolve("table.json");
        CliTest.Run r = CliTest.run("calibrate", model().toString(), "--calib", npz(6).toString(), "-o", table.toString(),
                "--method", "percentile");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("on " + dir.resolve("calib.npz") + " (6 samples along the leading axis), method percentile"),
                r.out());
        assertTrue(r.out().contains("measured on 6 samples, method percentile"), r.out());
        assertTrue(!r.err().contains("calibrate: ranges:"), "off a terminal a short pass leaves no progress line: " + r.err());
        CalibrationTable t = CalibrationTable.read(table);
        assertTrue(t.range("image").isPresent());
        assertEquals(6, t.samples());
        t.checkMeasuredOn(org.onnx2trt.io.ModelReader.read(model()), table.toString());
    }

    @Test
    void calibrateReadsAnImageFolderThroughThePreprocessingGiven() throws IOException {
        Path images = Files.createDirectory(dir.resolve("images"));
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(40, 36, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 36; y++) {
                for (int x = 0; x < 40; x++) {
                    img.setRGB(x, y, (x * 6) << 16 | (y * 7) << 8 | (i * 80));
                }
            }
            ImageIO.write(img, "png", images.resolve("img" + i + ".png").toFile());
        }
        Path table = dir.resolve("table.json");
        CliTest.Run r = CliTest.run("calibrate", model().toString(), "--calib", images.toString(), "-o", table.toString(),
                "--method", "minmax", "--resize", "32", "--preprocess", "imagenet");
        assertEquals(0, r.code(), r.err());
        CalibrationTable.Range in = CalibrationTable.read(table).range("image").orElseThrow();
        // imagenet normalization: green reaches (245 / 255 − 0.456) / 0.224 = 2.2535 (y · 7 at y = 35)
        assertEquals((245f / 255 - 0.456f) / 0.224f, in.max(), 1e-5f);
        assertTrue(in.min() >= -0.485f / 0.229f - 1e-5f, "min " + in.min());
    }

    @Test
    void badDataOrOptionsAreOneLineExitTwoAndWriteNothing() throws IOException {
        Path table = dir.resolve("table.json");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        CliTest.Run r = CliTest.run("calibrate", model().toString(), "--calib", empty.toString(), "-o", table.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: " + empty + ": no samples here"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Path wrong = dir.resolve("wrong.npz");
        Files.write(wrong, Npz.write(Map.of("image", Tensor.zeros("image", org.onnx2trt.tensor.DataType.FLOAT, 2, 3, 16, 16))));
        r = CliTest.run("calibrate", model().toString(), "--calib", wrong.toString(), "-o", table.toString());
        assertEquals(2, r.code());
        assertEquals("error: " + wrong + " (sample 0): input `image` needs 32 on axis 2 (float32[batch,3,32,32]), the array"
                + " has shape [1, 3, 16, 16]\n", r.err());
        r = CliTest.run("calibrate", model().toString(), "--calib", npz(2).toString(), "-o", table.toString(), "--method",
                "entropi");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: --method: unknown calibration method `entropi` (did you mean `entropy`?)"),
                r.err());
        r = CliTest.run("calibrate", model().toString(), "--calib", npz(2).toString(), "-o", model().toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("this is the input model"), r.err());
        Path garbage = Files.createDirectory(dir.resolve("bad_images"));
        Files.writeString(garbage.resolve("a.png"), "not an image");
        r = CliTest.run("calibrate", model().toString(), "--calib", garbage.toString(), "-o", table.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: " + garbage.resolve("a.png")), r.err());
        assertFalse(Files.exists(table));
    }
}
