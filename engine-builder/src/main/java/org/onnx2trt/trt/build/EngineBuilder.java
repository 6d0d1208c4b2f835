package org.onnx2trt.trt.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITimingCache;
import org.bytedeco.tensorrt.nvonnxparser.IParser;

/**
 * Builds a TensorRT engine from a {@link BuildPlan} through the JavaCPP presets: builder, strongly
 * typed network, ONNX parser, config (pools, level, flags, profiles, timing cache), serialized
 * network, written atomically. TensorRT reports failures as null results with the reason in its
 * log only, so every step is null-checked and the log's errors are the message.
 */
public final class EngineBuilder {
    /** What a build made. */
    public record Result(Path engine, long bytes, double seconds, List<String> warnings) {}

    /** The build failed; the message is TensorRT's (or the parser's, with the node). */
    public static final class BuildFailed extends RuntimeException {
        BuildFailed(String message) {
            super(message);
        }
    }

    private EngineBuilder() {}

    /** Builds {@code plan}; call {@link TrtProbe#probe()} first. */
    public static Result build(BuildPlan plan) {
        Log log = new Log();
        long t0 = System.nanoTime();
        IBuilder builder = nvinfer.createInferBuilder(log);
        if (builder == null || builder.isNull()) {
            throw new BuildFailed("TensorRT made no builder (no usable GPU?): " + log.errors());
        }
        INetworkDefinition network = builder.createNetworkV2(0);
        IParser parser = nvonnxparser.createParser(network, log);
        if (!parser.parseFromFile(plan.onnx().toString(), ILogger.Severity.kWARNING.value)) {
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < parser.getNbErrors(); i++) {
                var e = parser.getError(i);
                errors.add((e.nodeName() == null || e.nodeName().isEmpty() ? "node " + e.node() : "`" + e.nodeName() + "`")
                        + " (" + e.nodeOperator() + "): " + e.desc());
            }
            throw new BuildFailed("TensorRT's ONNX parser rejected " + plan.onnx() + ": " + String.join("; ", errors));
        }
        IBuilderConfig config = builder.createBuilderConfig();
        config.setProfilingVerbosity(nvinfer.ProfilingVerbosity.kDETAILED); // the inspector then names each layer's precision
        for (Map.Entry<String, Long> pool : plan.memoryPools().entrySet()) {
            config.setMemoryPoolLimit(MemoryPoolType.valueOf(pool.getKey()), pool.getValue());
        }
        if (plan.optimizationLevel() >= 0) {
            config.setBuilderOptimizationLevel(plan.optimizationLevel());
        }
        for (String flag : plan.flags()) {
            config.setFlag(BuilderFlag.valueOf(flag));
        }
        if (!plan.profiles().isEmpty()) {
            IOptimizationProfile profile = builder.createOptimizationProfile();
            plan.profiles().forEach((name, p) -> {
                boolean ok = profile.setDimensions(name, OptProfileSelector.kMIN, dims(p.min()))
                        && profile.setDimensions(name, OptProfileSelector.kOPT, dims(p.opt()))
                        && profile.setDimensions(name, OptProfileSelector.kMAX, dims(p.max()));
                if (!ok) {
                    throw new BuildFailed("TensorRT refused the shapes of input `" + name + "`: " + log.errors());
                }
            });
            config.addOptimizationProfile(profile);
        }
        ITimingCache cache = null;
        if (plan.timingCache() != null) {
            byte[] old = readIfPresent(plan.timingCache());
            cache = config.createTimingCache(old == null ? null : new BytePointer(old), old == null ? 0 : old.length);
            config.setTimingCache(cache, false);
        }
        IHostMemory engine = builder.buildSerializedNetwork(network, config);
        if (engine == null || engine.isNull() || engine.size() == 0) {
            throw new BuildFailed("TensorRT could not build the engine: " + log.errors());
        }
        byte[] bytes = bytes(engine);
        writeAtomically(plan.engine(), bytes);
        if (cache != null) {
            writeAtomically(plan.timingCache(), bytes(cache.serialize()));
        }
        return new Result(plan.engine(), bytes.length, (System.nanoTime() - t0) / 1e9, log.warnings);
    }

    /** What TensorRT serialized, copied to the heap. */
    private static byte[] bytes(IHostMemory memory) {
        byte[] out = new byte[Math.toIntExact(memory.size())];
        new BytePointer(memory.data()).capacity(memory.size()).get(out);
        return out;
    }

    /** {@code d} as TensorRT's dims. */
    static Dims64 dims(long[] d) {
        Dims64 out = new Dims64().nbDims(d.length);
        for (int i = 0; i < d.length; i++) {
            out.d(i, d[i]);
        }
        return out;
    }

    private static byte[] readIfPresent(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAtomically(Path file, byte[] bytes) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TensorRT's log: errors kept for a failure's message, warnings for the report. */
    static final class Log extends ILogger {
        final List<String> errors = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        @Override
        public void log(Severity severity, String message) {
            int level = severity.value; // an enum from native code is compared by value, not identity
            if (level == Severity.kERROR.value || level == Severity.kINTERNAL_ERROR.value) {
                errors.add(message);
            } else if (level == Severity.kWARNING.value) {
                warnings.add(message);
            }
        }

        String errors() {
            return errors.isEmpty() ? "(TensorRT logged no error)" : String.join("; ", errors);
        }
    }
}
