package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options that name a model's outputs or inputs, or give sizes: a name the model lacks and a size past
 * the limit are one exit-2 line each (naming the value, and the names or the limit), never ignored and
 * never a stack trace.
 */
class OptionNamesTest {
    @TempDir
    Path dir;

    @Test
    void unknownNamesAndHugeShapesAreRefused() {
        Path m = CliTest.sampleClassifier(dir);
        Path out = dir.resolve("o.onnx");
        for (List<String> args : List.of(
                List.of("verify", m.toString(), m.toString(), "--atol", "logit=1e-3"),
                List.of("optimize", m.toString(), "-o", out.toString(), "--rtol", "logit=1e-3"))) {
            expect(args, "the model has no output `logit`; its outputs are [scores]");
        }
        for (List<String> args : List.of(
                List.of("verify", m.toString(), m.toString(), "--input-shape", "imgs:1,3,32,32"),
                List.of("optimize", m.toString(), "-o", out.toString(), "--input-shape", "imgs:1,3,32,32"))) {
            expect(args, "the model has no input `imgs`; its inputs are [image]");
        }
        expect(List.of("verify", m.toString(), m.toString(), "--input-shape", "image:99999999999,3,32,32"),
                "the dim 99999999999 is larger than the limit, 2147483647");
        expect(List.of("verify", m.toString(), m.toString(), "--input-shape", "image:100000,3,32000,32"),
                "the shape holds more than 536870912 elements");
        expect(List.of("verify", m.toString(), m.toString(), "--input-shape", "image:4611686018427387904,4,1,1"),
                "larger than the limit");
        assertFalse(Files.exists(out));
    }

    @Test
    void missingDataIsRefusedBeforeAnyStageRuns() {
        Path m = CliTest.sampleClassifier(dir);
        CliTest.Run r = CliTest.run("quantize", m.toString(), "-o", dir.resolve("q.onnx").toString(), "--calib",
                dir.resolve("missing.npz").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--calib " + dir.resolve("missing.npz") + ": no such file or folder"), r.err());
        assertFalse(r.out().contains("simplify:"), "no stage ran: " + r.out());
    }

    @Test
    void aMistypedOptionIsOneErrorAndWhereToLookNotTheUsage() {
        Path m = CliTest.sampleClassifier(dir);
        CliTest.Run r = CliTest.run("verify", m.toString(), m.toString(), "--samples", "x");
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("error: Invalid value for option '--samples': 'x' is not an int\n(see ./onnx2trt verify --help)",
                r.err().strip());
        r = CliTest.run("verify", m.toString(), m.toString(), "--sample", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--samples") && !r.err().contains("Usage:"), r.err());
    }

    private static void expect(List<String> args, String message) {
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertEquals(2, r.code(), args + ": " + r.out() + r.err());
        assertTrue(r.err().contains(message), args + ": " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }
}
