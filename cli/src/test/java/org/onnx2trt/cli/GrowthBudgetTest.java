package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule that adds a node on every application (Relu(x) -> Relu(Relu(x)): the same function, never a
 * fixpoint) is stopped by the rules stage's node budget (4× the input's nodes + 1000) within seconds,
 * named, and nothing is written; {@code rules check --verify} fails it before it is ever used.
 */
class GrowthBudgetTest {
    @TempDir
    Path dir;

    @Test
    void aRuleThatAlwaysGrowsTheGraphIsStoppedAndNamed() throws IOException {
        Path rules = Files.writeString(dir.resolve("grow.rw"), """
                /// Relu(x) -> Relu(Relu(x))
                rule GrowRelu
                match
                  r = Relu(x)
                rewrite
                  r -> Relu(Relu(x))
                end
                """);
        Path model = CliTest.sampleClassifier(dir);
        Path out = dir.resolve("out.onnx");
        long t0 = System.nanoTime();
        CliTest.Run r = CliTest.run("optimize", model.toString(), "-o", out.toString(), "--rules", rules.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("past the budget of") && r.err().contains("rule GrowRelu added")
                && r.err().contains("--disable GrowRelu"), r.err());
        assertFalse(Files.exists(out), "nothing written");
        assertTrue(seconds < 30, "stopped in " + seconds + " s");

        CliTest.Run check = CliTest.run("rules", "check", rules.toString(), "--verify", "--seed", "1");
        assertEquals(1, check.code(), check.out() + check.err());
        assertTrue(check.out().contains("the rule matches its own result"), check.out());
    }
}
