package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;

/** `optimize` and `rules` as a user meets them. */
class OptimizeCommandTest {
    @TempDir
    Path dir;

    private Path sample() {
        Path p = dir.resolve("sample.onnx");
        ModelWriter.write(SampleModels.classifier(), p, WriteOptions.inline());
        return p;
    }

    @Test
    void optimizeFusesBatchNormsAndPrintsTheTable() {
        Path out = dir.resolve("out.onnx");
        CliTest.Run r = CliTest.run("optimize", sample().toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("BatchNormalization        2        0       -2"), r.out());
        assertTrue(r.out().contains("FuseConvBatchNorm                fired 2×"), r.out());
        assertEquals(9, ModelReader.read(out).graph().nodeCount());
    }

    @Test
    void explainSaysWhyARuleDidNotFire() {
        CliTest.Run r = CliTest.run("optimize", sample().toString(), "-o", dir.resolve("o.onnx").toString(),
                "--only", "QuantizeConvWeightPerChannel", "--disable", "bn", "--explain", "Conv_0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("at `Conv_0`:\n  QuantizeConvWeightPerChannel fired"), r.out());
    }

    @Test
    void usersRuleFilesLoadAtRunTime() throws IOException {
        Path rules = Files.writeString(dir.resolve("mine.rw"), """
                /// Relu(Relu(x)) -> Relu(x)
                rule RemoveDoubleRelu
                match
                  a = Relu(x)
                  b = Relu(a)
                rewrite
                  b -> a
                end
                """);
        CliTest.Run list = CliTest.run("rules", "list", "--rules", rules.toString());
        assertTrue(list.out().contains("RemoveDoubleRelu"), list.out());
        CliTest.Run check = CliTest.run("rules", "check", rules.toString());
        assertEquals(0, check.code(), check.err());
        CliTest.Run explain = CliTest.run("rules", "explain", "RemoveDoubleRelu", "--rules", rules.toString());
        assertTrue(explain.out().contains("Relu(Relu(x)) -> Relu(x)"), explain.out());
    }

    @Test
    void badRuleFilesAndUnknownRulesAreExitCodeTwo() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.rw"), "rule R match c = Covn(x) rewrite c -> x end\n");
        CliTest.Run check = CliTest.run("rules", "check", bad.toString());
        assertEquals(2, check.code());
        assertEquals(bad + ":1:18: error: unknown op `Covn` (did you mean `Conv`?)\n", check.err());
        Path out = dir.resolve("o.onnx");
        CliTest.Run opt = CliTest.run("optimize", sample().toString(), "-o", out.toString(), "--rules", bad.toString());
        assertEquals(2, opt.code());
        assertFalse(Files.exists(out));
        CliTest.Run unknown = CliTest.run("optimize", sample().toString(), "-o", out.toString(), "--only", "FuseConvBatchNrom");
        assertEquals(2, unknown.code());
        assertEquals("error: no rule or tag `FuseConvBatchNrom` (did you mean `FuseConvBatchNorm`?);"
                + " `onnx2trt rules list` shows them\n", unknown.err());
    }
}
