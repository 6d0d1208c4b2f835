package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No flag makes a command overwrite what it reads, or one output replace another (issue 16's data-loss
 * cases): each is exit 2 with one line naming both files' roles, nothing is written, and the input
 * model and its external data are byte-identical afterwards. Through a link too.
 */
class WritePathsTest {
    @TempDir
    Path dir;

    Path model;
    Path data;
    byte[] modelBytes;
    byte[] dataBytes;

    @BeforeEach
    void aModelWithExternalData() throws IOException {
        Path sample = CliTest.sampleClassifier(dir);
        model = dir.resolve("m.onnx");
        CliTest.Run r = CliTest.run("convert", sample.toString(), model.toString(), "--external-data", "--size-threshold", "0");
        assertEquals(0, r.code(), r.err());
        data = dir.resolve("m.onnx.data");
        modelBytes = Files.readAllBytes(model);
        dataBytes = Files.readAllBytes(data);
    }

    @Test
    void convertNeverWritesOverTheInputsExternalData() throws IOException {
        refused(List.of("convert", model.toString(), dir.resolve("c.onnx").toString(), "--external-data", "--data-file",
                "m.onnx.data"), "the external data file would overwrite the input model's external data");
        refused(List.of("convert", model.toString(), data.toString()), "OUT would overwrite the input model's external data");
    }

    @Test
    void optimizeNeverWritesOverItsInputOrOneOutputOverAnother() throws IOException {
        refused(List.of("optimize", model.toString(), "-o", data.toString()),
                "the output model would overwrite the input model's external data");
        refused(List.of("optimize", model.toString(), "-o", dir.resolve("o.onnx").toString(), "--trace", model.toString()),
                "--trace would overwrite the input model");
        Path out = dir.resolve("o.onnx");
        refused(List.of("optimize", model.toString(), "-o", out.toString(), "--trace", out.toString()),
                "--trace is the same file as the output model");
        refused(List.of("run", "default", "--model", model.toString(), "-o", out.toString(), "--report",
                dir.resolve("o.onnx.data").toString()), "--report is the same file as the output model's external data");
    }

    @Test
    void verifyAndCompareNeverWriteTheirReportOverAModel() throws IOException {
        Path other = CliTest.sampleClassifier(Files.createDirectory(dir.resolve("b")));
        refused(List.of("verify", other.toString(), model.toString(), "--report", model.toString()),
                "--report would overwrite model B");
        refused(List.of("compare", model.toString(), other.toString(), "--report", data.toString()),
                "--report would overwrite model A's external data");
    }

    @Test
    void aLinkToTheInputIsTheInput() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), model);
        refused(List.of("run", "default", "--model", model.toString(), "-o", dir.resolve("o.onnx").toString(), "--report",
                link.toString()), "--report would overwrite the input model");
    }

    /** Exit 2, one line saying {@code why}, no stack trace, nothing new in the folder, the input untouched. */
    private void refused(List<String> args, String why) throws IOException {
        List<Path> before = listing();
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertEquals(2, r.code(), args + ": " + r.out() + r.err());
        assertTrue(r.err().contains(why), args + ": " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(before, listing(), args + ": nothing is written");
        assertArrayEquals(modelBytes, Files.readAllBytes(model), args + ": the input model is unchanged");
        assertArrayEquals(dataBytes, Files.readAllBytes(data), args + ": its external data is unchanged");
    }

    private List<Path> listing() throws IOException {
        List<Path> all = new ArrayList<>();
        try (var s = Files.walk(dir)) {
            s.sorted().forEach(all::add);
        }
        return all;
    }
}
