package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule files and recipes that are not UTF-8 text, or far larger than any written by hand: one error
 * with the file and place (issue 16: "cannot read: Input length = 1"; a 3 MB recipe line took 11 s and 3 GB).
 */
class TextFilesTest {
    @TempDir
    Path dir;

    @Test
    void notUtf8AndTooLargeAreOneClearError() throws IOException {
        Path rules = dir.resolve("bad.rw");
        Files.write(rules, ("rule R\nmatch r = Relu(x)\n// caf" + "\u00e9").getBytes(StandardCharsets.ISO_8859_1));
        CliTest.Run r = CliTest.run("rules", "check", rules.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(rules + ":3:7: the byte 0xe9 is not UTF-8 text; a rule file is UTF-8"), r.err());

        Path recipe = dir.resolve("big.yaml");
        Files.writeString(recipe, "name: big\ndescription: " + "x".repeat(3 << 20) + "\nstages:\n  - simplify: {}\n");
        long t0 = System.nanoTime();
        r = CliTest.run("run", recipe.toString(), "--model", CliTest.sampleClassifier(dir).toString(), "-o",
                dir.resolve("o.onnx").toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("a recipe is at most 1048576 bytes"), r.err());
        assertTrue(seconds < 5, seconds + " s");
        assertFalse(Files.exists(dir.resolve("o.onnx")));
    }
}
