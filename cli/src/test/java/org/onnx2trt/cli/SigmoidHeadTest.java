package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.rewrite.LogitOutputs;

/** EliminateSigmoidHead end to end: opt-in, recorded in the metadata, verified through a sigmoid. */
class SigmoidHeadTest {
    @TempDir
    Path dir;

    static final Path EXPORT = Path.of("..", "testdata", "exports", "sigmoid_head_opset14.onnx");

    @Test
    void theHeadGoesOnlyWhenAskedAndTheMetadataSaysWhichOutput() {
        Path plain = dir.resolve("plain.onnx");
        CliTest.Run byDefault = CliTest.run("optimize", EXPORT.toString(), "-o", plain.toString());
        assertEquals(0, byDefault.code(), byDefault.err());
        assertFalse(byDefault.out().contains("EliminateSigmoidHead"), byDefault.out());

        Path head = dir.resolve("head.onnx");
        CliTest.Run r = CliTest.run("optimize", EXPORT.toString(), "-o", head.toString(), "--enable", "head");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*EliminateSigmoidHead +fired 1×.*"), r.out());
        assertTrue(r.out().contains("outputs [prob] are now logits"), r.out());
        assertEquals(List.of("prob"), LogitOutputs.of(ModelReader.read(head)));
        assertTrue(ModelReader.read(head).graph().nodeList().stream().noneMatch(n -> n.opType().equals("Sigmoid")));

        CliTest.Run verify = CliTest.run("verify", EXPORT.toString(), head.toString());
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.out().contains("B's outputs [prob] are logits"), verify.out());
    }

    @Test
    void logitThresholdPrintsTheLogitAndRefusesNonProbabilities() {
        CliTest.Run r = CliTest.run("logit-threshold", "0.25");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("logit(0.25) = ln(0.25 / 0.75) = -1.09861229"), r.out());
        CliTest.Run half = CliTest.run("logit-threshold", "0.5");
        assertTrue(half.out().contains("= 0.00000000") || half.out().contains("= 0\n"), half.out());
        for (String bad : new String[] {"0", "1", "1.5", "-0.1", "abc"}) {
            CliTest.Run refused = CliTest.run("logit-threshold", bad);
            assertEquals(2, refused.code(), bad);
            assertTrue(refused.err().contains("logit-threshold " + bad + ": "), refused.err());
        }
    }
}
