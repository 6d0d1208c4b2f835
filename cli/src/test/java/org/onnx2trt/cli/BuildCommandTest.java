package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.trt.build.TrtProbe;

/** {@code build}: the plan without a GPU, the exit codes of a missing TensorRT, a refused option and a lint error. */
class BuildCommandTest {
    @TempDir
    Path dir;

    private static final String MODEL = Path.of("..", "testdata", "corpus", "shufflenet_v2_small_dynbatch.onnx").toString();

    @Test
    void dryRunPrintsThePlanWithoutAGpu() {
        CliTest.Run r = CliTest.run("build", MODEL, "-o", dir.resolve("m.engine").toString(), "--optShapes", "input:4x3x64x64",
                "--memPoolSize", "workspace:512M", "--dry-run", "--report", dir.resolve("b.html").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.exists(dir.resolve("b.html")), "the report of a dry run");
        assertTrue(r.out().contains("config.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, 536870912)   // 512 MiB"), r.out());
        assertTrue(r.out().contains("profile.setDimensions(\"input\", kOPT, Dims64[4,3,64,64])"), r.out());
        assertTrue(r.out().contains("dry run: nothing built"), r.out());
        assertFalse(Files.exists(dir.resolve("m.engine")));
    }

    @Test
    void withoutTensorRtTheExitCodeIsFiveAndOneLineSaysWhatIsMissing() {
        if (TrtProbe.probe().available()) {
            return; // a GPU machine builds: EngineBuildGpuTest covers it there
        }
        CliTest.Run r = CliTest.run("build", MODEL, "-o", dir.resolve("m.engine").toString(), "--optShapes", "input:1x3x64x64");
        assertEquals(ExitCode.TENSORRT_MISSING, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("TensorRT cannot be loaded here") && r.err().contains("mvn -P tensorrt-natives"), r.err());
        assertFalse(Files.exists(dir.resolve("m.engine")));
    }

    @Test
    void badOptionsAndLintErrorsStopBeforeAnyBuild() {
        CliTest.Run dla = CliTest.run("build", MODEL, "-o", dir.resolve("m.engine").toString(), "--optShapes", "input:1x3x64x64",
                "--useDLACore", "0");
        assertEquals(2, dla.code());
        assertTrue(dla.err().contains("TensorRT 11.2 has no DLA support"), dla.err());
        CliTest.Run shapes = CliTest.run("build", MODEL, "-o", dir.resolve("m.engine").toString());
        assertEquals(2, shapes.code());
        assertTrue(shapes.err().contains("give its shapes, e.g. --optShapes input:1x3x64x64"), shapes.err());

        Path cpu = dir.resolve("cpu.onnx");
        CliTest.Run q = CliTest.run("quantize", Path.of("..", "testdata", "quant", "plain_cnn.onnx").toString(), "-o", cpu.toString(),
                "--calib", Path.of("..", "testdata", "quant", "calib.npz").toString(), "--target", "ort-cpu");
        assertEquals(0, q.code(), q.err());
        CliTest.Run linted = CliTest.run("build", cpu.toString(), "-o", dir.resolve("c.engine").toString(), "--optShapes",
                "input:1x1x16x16", "--dry-run");
        assertEquals(1, linted.code(), linted.out() + linted.err());
        assertTrue(linted.err().contains("nothing was built (--no-lint builds anyway)"), linted.err());
    }

    @Test
    void runEngineNeedsAnEngineFileAndSaysWhenTensorRtIsMissing() throws java.io.IOException {
        CliTest.Run none = CliTest.run("run-engine", dir.resolve("none.engine").toString(), "--model",
                Path.of("..", "testdata", "quant", "plain_cnn.onnx").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no such engine file"), none.err());
        if (!TrtProbe.probe().available()) {
            Path engine = Files.writeString(dir.resolve("m.engine"), "not an engine");
            CliTest.Run r = CliTest.run("run-engine", engine.toString(), "--model",
                    Path.of("..", "testdata", "quant", "plain_cnn.onnx").toString());
            assertEquals(ExitCode.TENSORRT_MISSING, r.code(), r.out() + r.err());
        }
    }

    @Test
    void theInspectorsJsonIsSummarized() {
        String json = """
                {"Layers": [
                  {"Name": "conv1 + relu", "LayerType": "CaskConvolution", "Inputs": [{"Format/Datatype": "Int8 NC/32HW32"}]},
                  {"Name": "reformat", "LayerType": "Reformat", "Inputs": [{"Format/Datatype": "Float NCHW"}]}
                ]}""";
        assertEquals("2 layers, 1 reformats; tensor formats {Float NCHW=1, Int8 NC/32HW32=1}", RunEngineCommand.summary(json));
    }
}
