package org.onnx2trt.trt.build;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Model;
import org.onnx2trt.text.GraphText;

/**
 * A real build through the presets, on a machine with an NVIDIA GPU and TensorRT 11.2; elsewhere
 * skipped with the probe's reason (reported as skipped, never as passed). {@code scripts/gpu-check.sh}
 * runs the tests tagged gpu.
 */
@Tag("gpu")
class EngineBuildGpuTest {
    @TempDir
    Path dir;

    @Test
    void buildsAnEngineWithAProfileAndATimingCache() {
        TrtProbe.Availability trt = TrtProbe.probe();
        assumeTrue(trt.available(), trt.message());
        Model m = GraphText.parse("""
                m (float[N,3,32,32] images) => (float[N,8,32,32] y) <float[8,3,3,3] w = random> {
                  c = Conv <pads = [1,1,1,1]> (images, w)
                  y = Relu (c)
                }""", "gpu", 1);
        Path onnx = dir.resolve("m.onnx");
        ModelWriter.write(m, onnx, WriteOptions.inline());
        BuildPlan plan = BuildPlan.of(onnx, m, new BuildPlan.Options("images:1x3x32x32", "images:4x3x32x32", "images:8x3x32x32",
                "workspace:256M", -1, dir.resolve("t.cache"), null, false, dir.resolve("m.engine")));
        EngineBuilder.Result r = EngineBuilder.build(plan);
        assertTrue(r.bytes() > 0 && Files.exists(r.engine()), r.toString());
        assertTrue(Files.exists(dir.resolve("t.cache")), "the timing cache is written back");
    }
}
