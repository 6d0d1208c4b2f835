package org.onnx2trt.trt.build;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;

/**
 * What a TensorRT build does, as a value: the ONNX file, an optimization profile for each input with
 * symbolic dims, memory pool limits, the builder optimization level, the timing cache, flags by name,
 * where the engine goes. It maps one to one to TensorRT calls ({@link #calls}), which {@code build
 * --dry-run} prints without natives. Networks are strongly typed (TensorRT 11): there are no precision
 * flags; the precision is the graph's.
 *
 * @param onnx            the model to parse
 * @param profiles        per input with symbolic dims: its min, opt and max shape
 * @param memoryPools     limits in bytes by TensorRT pool name ({@code kWORKSPACE}, {@code kTACTIC_SHARED_MEMORY}, ...)
 * @param optimizationLevel the builder optimization level 0–5, or -1 for TensorRT's default (3)
 * @param timingCache     a timing cache file to read and update, or null
 * @param flags           builder flags by TensorRT name ({@code kGPU_FALLBACK}, ...)
 * @param engine          where the serialized engine goes
 */
public record BuildPlan(Path onnx, Map<String, Profile> profiles, Map<String, Long> memoryPools, int optimizationLevel,
                        Path timingCache, List<String> flags, Path engine) {

    /** One input's shape range. */
    public record Profile(long[] min, long[] opt, long[] max) {}

    /** A plan that cannot be made; the message names the option or input and the fix. */
    public static final class PlanException extends RuntimeException {
        public PlanException(String message) {
            super(message);
        }
    }

    public BuildPlan {
        profiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(profiles)); // in the order given: the plan prints so
        memoryPools = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(memoryPools));
        flags = List.copyOf(flags);
        for (String pool : memoryPools.keySet()) {
            MemoryPoolType.valueOf(pool); // a name TensorRT 11.2 does not have fails here, not on the GPU
        }
        for (String flag : flags) {
            BuilderFlag.valueOf(flag);
        }
        if (optimizationLevel < -1 || optimizationLevel > 5) {
            throw new PlanException("--builderOptimizationLevel " + optimizationLevel + ": give 0 to 5");
        }
    }

    /** trtexec's option values, as the command line gives them. */
    public record Options(String minShapes, String optShapes, String maxShapes, String memPoolSize, int optimizationLevel,
                          Path timingCache, Integer dlaCore, boolean allowGpuFallback, Path engine) {}

    /**
     * The plan for {@code model} (read from {@code onnx}) with trtexec-style options: shapes
     * {@code input:1x3x224x224,other:...} (an input given in one of min/opt/max only uses it for all
     * three), pools {@code workspace:1024M,tacticSharedMemory:48K} (bytes, K, M or G; MiB without a
     * unit, as trtexec). DLA is refused: TensorRT 10.8 to 11.3 have none.
     */
    public static BuildPlan of(Path onnx, Model model, Options o) {
        if (o.dlaCore() != null || o.allowGpuFallback()) {
            throw new PlanException("--useDLACore/--allowGPUFallback: TensorRT 11.2 has no DLA support (it was dropped in"
                    + " 10.8 and comes back after 11.3); build for the GPU without them");
        }
        Map<String, long[]> min = shapes("--minShapes", o.minShapes());
        Map<String, long[]> opt = shapes("--optShapes", o.optShapes());
        Map<String, long[]> max = shapes("--maxShapes", o.maxShapes());
        Map<String, Profile> profiles = new LinkedHashMap<>();
        List<String> known = model.graph().runtimeInputs().stream().map(Value::name).toList();
        for (Map<String, long[]> given : List.of(min, opt, max)) {
            for (String name : given.keySet()) {
                if (!known.contains(name)) {
                    throw new PlanException("shapes for `" + name + "`, which is not an input of the model; its inputs: " + known);
                }
            }
        }
        for (Value v : model.graph().runtimeInputs()) {
            Port port = model.graph().inputs().stream().filter(p -> p.value() == v).findFirst().orElseThrow();
            List<Types.Dim> dims = Types.shape(port.declaration().getType());
            boolean dynamic = dims == null || dims.stream().anyMatch(d -> !d.isKnown());
            long[] a = min.get(v.name());
            long[] b = opt.get(v.name());
            long[] c = max.get(v.name());
            if (a == null && b == null && c == null) {
                if (dynamic) {
                    throw new PlanException("input `" + v.name() + "` is " + Types.describe(port.declaration().getType())
                            + ": give its shapes, e.g. --optShapes " + v.name() + ":" + example(dims)
                            + " (and --minShapes/--maxShapes for a range)");
                }
                continue;
            }
            long[] pick = b != null ? b : a != null ? a : c;
            Profile p = new Profile(a != null ? a : pick, b != null ? b : pick, c != null ? c : pick);
            check(v.name(), dims, p);
            profiles.put(v.name(), p);
        }
        return new BuildPlan(onnx, profiles, pools(o.memPoolSize()), o.optimizationLevel(), o.timingCache(), List.of(),
                o.engine());
    }

    /** The TensorRT calls this plan makes, one per line: what {@code build --dry-run} prints. */
    public List<String> calls() {
        List<String> out = new ArrayList<>();
        out.add("builder = nvinfer.createInferBuilder(logger)");
        out.add("network = builder.createNetworkV2(0)   // strongly typed: the precision is the graph's");
        out.add("parser = nvonnxparser.createParser(network, logger); parser.parseFromFile(\"" + onnx + "\", kWARNING)");
        out.add("config = builder.createBuilderConfig()");
        out.add("config.setProfilingVerbosity(ProfilingVerbosity.kDETAILED)   // the inspector names each layer's precision");
        memoryPools.forEach((pool, bytes) -> out.add("config.setMemoryPoolLimit(MemoryPoolType." + pool + ", " + bytes + ")"
                + "   // " + human(bytes)));
        if (optimizationLevel >= 0) {
            out.add("config.setBuilderOptimizationLevel(" + optimizationLevel + ")");
        }
        flags.forEach(f -> out.add("config.setFlag(BuilderFlag." + f + ")"));
        if (!profiles.isEmpty()) {
            out.add("profile = builder.createOptimizationProfile()");
            profiles.forEach((name, p) -> {
                out.add("profile.setDimensions(\"" + name + "\", kMIN, " + dims(p.min()) + ")");
                out.add("profile.setDimensions(\"" + name + "\", kOPT, " + dims(p.opt()) + ")");
                out.add("profile.setDimensions(\"" + name + "\", kMAX, " + dims(p.max()) + ")");
            });
            out.add("config.addOptimizationProfile(profile)");
        }
        if (timingCache != null) {
            out.add("config.setTimingCache(config.createTimingCache(<" + timingCache + ", or empty>), false)"
                    + "   // written back after the build");
        }
        out.add("engine = builder.buildSerializedNetwork(network, config)   // written to " + engine);
        return out;
    }

    private static void check(String input, List<Types.Dim> dims, Profile p) {
        int rank = p.opt().length;
        if (p.min().length != rank || p.max().length != rank) {
            throw new PlanException("input `" + input + "`: min, opt and max shapes have ranks " + p.min().length + ", " + rank
                    + " and " + p.max().length + "; give one rank");
        }
        if (dims != null && dims.size() != rank) {
            throw new PlanException("input `" + input + "` has rank " + dims.size() + ", the shapes given have rank " + rank);
        }
        for (int i = 0; i < rank; i++) {
            if (!(p.min()[i] <= p.opt()[i] && p.opt()[i] <= p.max()[i])) {
                throw new PlanException("input `" + input + "`, dim " + i + ": need min ≤ opt ≤ max, got " + p.min()[i] + ", "
                        + p.opt()[i] + ", " + p.max()[i]);
            }
            if (dims != null && dims.get(i).isKnown() && (p.min()[i] != dims.get(i).value() || p.max()[i] != dims.get(i).value())) {
                throw new PlanException("input `" + input + "`, dim " + i + " is " + dims.get(i).value() + " in the model; the"
                        + " shapes given vary it");
            }
        }
    }

    /** {@code input:1x3x224x224,other:1x10} (trtexec's form). */
    static Map<String, long[]> shapes(String option, String text) {
        Map<String, long[]> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String item : text.split(",")) {
            int colon = item.lastIndexOf(':');
            if (colon <= 0) {
                throw new PlanException(option + " " + item + ": give NAME:D0xD1x..., e.g. input:1x3x224x224");
            }
            String[] parts = item.substring(colon + 1).split("x");
            long[] dims = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    dims[i] = Long.parseLong(parts[i].strip());
                } catch (NumberFormatException e) {
                    throw new PlanException(option + " " + item + ": `" + parts[i] + "` is not a dim; give NAME:D0xD1x...");
                }
                if (dims[i] < 0) {
                    throw new PlanException(option + " " + item + ": dims are 0 or more");
                }
            }
            out.put(item.substring(0, colon).strip(), dims);
        }
        return out;
    }

    /** {@code workspace:1024M,tacticSharedMemory:48K} to TensorRT pool names and bytes (MiB without a unit, as trtexec). */
    static Map<String, Long> pools(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        Map<String, String> names = Map.of("workspace", "kWORKSPACE", "dlaSRAM", "kDLA_MANAGED_SRAM", "dlaLocalDRAM",
                "kDLA_LOCAL_DRAM", "dlaGlobalDRAM", "kDLA_GLOBAL_DRAM", "tacticDRAM", "kTACTIC_DRAM", "tacticSharedMemory",
                "kTACTIC_SHARED_MEMORY");
        for (String item : text.split(",")) {
            String[] kv = item.split(":");
            if (kv.length != 2 || !names.containsKey(kv[0].strip())) {
                throw new PlanException("--memPoolSize " + item + ": give POOL:SIZE with POOL one of " + names.keySet()
                        + " and SIZE in MiB or with K, M, G (workspace:1024M)");
            }
            String size = kv[1].strip().toUpperCase(Locale.ROOT);
            long unit = 1L << 20;
            if (size.endsWith("K") || size.endsWith("M") || size.endsWith("G")) {
                unit = size.endsWith("K") ? 1L << 10 : size.endsWith("M") ? 1L << 20 : 1L << 30;
                size = size.substring(0, size.length() - 1);
            }
            try {
                out.put(names.get(kv[0].strip()), Math.round(Double.parseDouble(size) * unit));
            } catch (NumberFormatException e) {
                throw new PlanException("--memPoolSize " + item + ": `" + kv[1] + "` is not a size");
            }
        }
        return out;
    }

    private static String example(List<Types.Dim> dims) {
        if (dims == null) {
            return "1x3x224x224";
        }
        List<String> parts = new ArrayList<>();
        for (Types.Dim d : dims) {
            parts.add(d.isKnown() ? String.valueOf(d.value()) : "1");
        }
        return String.join("x", parts);
    }

    private static String dims(long[] d) {
        StringBuilder sb = new StringBuilder("Dims64[");
        for (int i = 0; i < d.length; i++) {
            sb.append(i > 0 ? "," : "").append(d[i]);
        }
        return sb.append(']').toString();
    }

    private static String human(long bytes) {
        return bytes >= 1L << 30 && bytes % (1L << 30) == 0 ? (bytes >> 30) + " GiB"
                : bytes >= 1L << 20 && bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
}
