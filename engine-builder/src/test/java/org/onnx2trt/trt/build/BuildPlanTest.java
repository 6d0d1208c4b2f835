package org.onnx2trt.trt.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.junit.jupiter.api.Test;
import org.onnx2trt.ir.Model;
import org.onnx2trt.text.GraphText;

/**
 * The plan of a build and the TensorRT calls it maps to, checked against the real TensorRT 11.2 enum
 * names of the JavaCPP presets (which load without natives); its refusals, each naming the fix.
 */
class BuildPlanTest {
    private static final Model DYNAMIC = GraphText.parse("""
            m (float[N,3,32,32] images) => (float[N,4,32,32] y) <float[4,3,3,3] w = random> {
              y = Conv <pads = [1,1,1,1]> (images, w)
            }""", "dynamic", 1);
    private static final Model STATIC = GraphText.parse("""
            m (float[1,3,32,32] images) => (float[1,4,32,32] y) <float[4,3,3,3] w = random> {
              y = Conv <pads = [1,1,1,1]> (images, w)
            }""", "static", 1);

    private static BuildPlan plan(Model m, String min, String opt, String max, String pools, int level) {
        return BuildPlan.of(Path.of("m.onnx"), m, new BuildPlan.Options(min, opt, max, pools, level, Path.of("t.cache"), null, false,
                Path.of("m.engine")));
    }

    @Test
    void aRangeOfBatchesPoolsALevelAndATimingCache() {
        BuildPlan p = plan(DYNAMIC, "images:1x3x32x32", "images:8x3x32x32", "images:32x3x32x32", "workspace:1G,tacticSharedMemory:48K", 4);
        assertEquals(List.of(
                "builder = nvinfer.createInferBuilder(logger)",
                "network = builder.createNetworkV2(0)   // strongly typed: the precision is the graph's",
                "parser = nvonnxparser.createParser(network, logger); parser.parseFromFile(\"m.onnx\", kWARNING)",
                "config = builder.createBuilderConfig()",
                "config.setProfilingVerbosity(ProfilingVerbosity.kDETAILED)   // the inspector names each layer's precision",
                "config.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, 1073741824)   // 1 GiB",
                "config.setMemoryPoolLimit(MemoryPoolType.kTACTIC_SHARED_MEMORY, 49152)   // 49152 bytes",
                "config.setBuilderOptimizationLevel(4)",
                "profile = builder.createOptimizationProfile()",
                "profile.setDimensions(\"images\", kMIN, Dims64[1,3,32,32])",
                "profile.setDimensions(\"images\", kOPT, Dims64[8,3,32,32])",
                "profile.setDimensions(\"images\", kMAX, Dims64[32,3,32,32])",
                "config.addOptimizationProfile(profile)",
                "config.setTimingCache(config.createTimingCache(<t.cache, or empty>), false)   // written back after the build",
                "engine = builder.buildSerializedNetwork(network, config)   // written to m.engine"), p.calls());
        for (String pool : p.memoryPools().keySet()) {
            assertEquals(pool, MemoryPoolType.valueOf(pool).name(), "a real TensorRT 11.2 pool name");
        }
    }

    @Test
    void oneShapeServesForMinOptAndMaxAndAStaticModelNeedsNone() {
        BuildPlan p = plan(DYNAMIC, null, "images:2x3x32x32", null, null, -1);
        assertEquals(List.of("profile.setDimensions(\"images\", kMIN, Dims64[2,3,32,32])",
                "profile.setDimensions(\"images\", kOPT, Dims64[2,3,32,32])", "profile.setDimensions(\"images\", kMAX, Dims64[2,3,32,32])"),
                p.calls().stream().filter(c -> c.startsWith("profile.set")).toList());
        assertTrue(plan(STATIC, null, null, null, null, -1).profiles().isEmpty());
    }

    @Test
    void refusalsNameTheFix() {
        assertTrue(message(() -> plan(DYNAMIC, null, null, null, null, -1))
                .contains("input `images` is float32[N,3,32,32]: give its shapes, e.g. --optShapes images:1x3x32x32"));
        assertTrue(message(() -> plan(DYNAMIC, "images:8x3x32x32", "images:1x3x32x32", null, null, -1)).contains("need min ≤ opt ≤ max"));
        assertTrue(message(() -> plan(DYNAMIC, null, "image:1x3x32x32", null, null, -1))
                .contains("shapes for `image`, which is not an input of the model; its inputs: [images]"));
        assertTrue(message(() -> plan(DYNAMIC, null, "images:1x3x32", null, null, -1)).contains("has rank 4"));
        assertTrue(message(() -> plan(STATIC, null, "images:2x3x32x32", null, null, -1)).contains("dim 0 is 1 in the model"));
        assertTrue(message(() -> plan(STATIC, null, null, null, "scratch:1G", -1)).contains("--memPoolSize scratch:1G"));
        assertTrue(message(() -> plan(STATIC, null, null, null, null, 7)).contains("give 0 to 5"));
        assertTrue(message(() -> BuildPlan.of(Path.of("m.onnx"), STATIC, new BuildPlan.Options(null, null, null, null, -1, null, 0,
                true, Path.of("m.engine")))).contains("TensorRT 11.2 has no DLA support"));
    }

    @Test
    void tensorRt11HasNoPrecisionFlags() {
        assertThrows(IllegalArgumentException.class, () -> BuilderFlag.valueOf("kFP16"));
        assertThrows(IllegalArgumentException.class, () -> BuilderFlag.valueOf("kINT8"));
        assertEquals("kGPU_FALLBACK", BuilderFlag.valueOf("kGPU_FALLBACK").name());
    }

    @Test
    void theProbeSaysWhatIsMissingAndHowToGetIt() {
        TrtProbe.Availability a = TrtProbe.probe();
        if (!a.available()) { // this machine: no GPU, no TensorRT libraries
            assertTrue(a.message().contains("TensorRT cannot be loaded here") && a.message().contains("mvn -P tensorrt-natives"),
                    a.message());
        }
        assertEquals(a, TrtProbe.probe(), "probed once");
    }

    private static String message(Runnable r) {
        return assertThrows(BuildPlan.PlanException.class, r::run).getMessage();
    }
}
