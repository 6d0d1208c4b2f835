package org.onnx2trt.cli.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.proto.Onnx.TensorShapeProto;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * The fault cases, by family: bad model files, bad model structure, protobuf mutants, rule files,
 * recipes, sample files, paths that would overwrite an input or another output, and option values.
 * {@link #fast()} is the subset {@code mvn test} runs (every family, the model faults through two
 * commands, a few mutants); {@link #full(int)} is {@code bench faults}: every model fault through
 * every command that reads a model, and as many mutants as asked.
 */
public final class FaultCases {
    /** A bad model made in a folder. */
    @FunctionalInterface
    interface ModelMaker {
        Path make(Path dir) throws IOException;
    }

    private FaultCases() {}

    public static List<FaultCase> fast() {
        return cases(false, 12);
    }

    public static List<FaultCase> full(int mutants) {
        return cases(true, mutants);
    }

    private static List<FaultCase> cases(boolean full, int mutants) {
        List<FaultCase> all = new ArrayList<>();
        modelFiles(all, full);
        modelStructure(all, full);
        mutants(all, full, mutants);
        ruleFiles(all);
        recipes(all);
        sampleFiles(all);
        paths(all);
        options(all);
        return all;
    }

    // ---- models ------------------------------------------------------------------------------

    /** One case per command that reads a model: inspect and optimize, and with {@code full} convert, lint, verify and run. */
    private static void throughCommands(List<FaultCase> all, String family, String name, ModelMaker maker, boolean full,
                                        boolean mayPass) {
        List<String> commands = full ? List.of("inspect", "optimize", "convert", "lint", "verify", "run") : List.of("inspect", "optimize");
        for (String command : commands) {
            all.add(new FaultCase(family, name + " (" + command + ")", dir -> {
                String bad = maker.make(dir).toString();
                String out = dir.resolve("out.onnx").toString();
                return switch (command) {
                    case "inspect", "lint" -> List.of(command, bad);
                    case "optimize" -> List.of("optimize", bad, "-o", out);
                    case "convert" -> List.of("convert", bad, out);
                    case "verify" -> List.of("verify", FaultInputs.sample(dir, "good.onnx").toString(), bad);
                    default -> List.of("run", "default", "--model", bad, "-o", out);
                };
            }, mayPass && (command.equals("inspect") || command.equals("convert"))));
        }
    }

    private static void modelFiles(List<FaultCase> all, boolean full) {
        String f = "model file";
        throughCommands(all, f, "empty file", d -> FaultInputs.write(d, "empty.onnx", new byte[0]), full, false);
        throughCommands(all, f, "JSON text", d -> FaultInputs.text(d, "text.onnx", "{\"not\": \"onnx\"}"), full, false);
        throughCommands(all, f, "random bytes", d -> {
            byte[] b = new byte[4096];
            new Random(7).nextBytes(b);
            return FaultInputs.write(d, "random.onnx", b);
        }, full, false);
        throughCommands(all, f, "truncated in half", d -> {
            byte[] b = FaultInputs.sampleBytes();
            return FaultInputs.write(d, "cut.onnx", java.util.Arrays.copyOf(b, b.length / 2));
        }, full, false);
        throughCommands(all, f, "a folder", d -> Files.createDirectories(d.resolve("folder.onnx")), full, false);
        throughCommands(all, f, "no such file", d -> d.resolve("missing.onnx"), full, false);
        throughCommands(all, f, "external data location with ..", d -> FaultInputs.withLocation(d, "../../secret.bin"), full, false);
        throughCommands(all, f, "external data at an absolute path", d -> FaultInputs.withLocation(d, "/etc/passwd"), full, false);
        throughCommands(all, f, "external data file missing", d -> {
            Path m = FaultInputs.external(d);
            Files.delete(d.resolve("m.onnx.data"));
            return m;
        }, full, false);
        throughCommands(all, f, "external data file too short", d -> {
            Path m = FaultInputs.external(d);
            Path data = d.resolve("m.onnx.data");
            Files.write(data, java.util.Arrays.copyOf(Files.readAllBytes(data), 100));
            return m;
        }, full, false);
        throughCommands(all, f, "external data through a link out of the folder", d -> {
            Path m = FaultInputs.external(d);
            Path outside = Files.createDirectories(d.resolve("outside")).resolve("weights.bin");
            Files.move(d.resolve("m.onnx.data"), outside);
            Path inner = Files.createDirectories(d.resolve("model"));
            Files.move(m, inner.resolve("m.onnx"));
            Files.createSymbolicLink(inner.resolve("m.onnx.data"), outside);
            return inner.resolve("m.onnx");
        }, full, false);
    }

    private static void modelStructure(List<FaultCase> all, boolean full) {
        String f = "model structure";
        throughCommands(all, f, "a cycle", d -> FaultInputs.withGraph(d, g -> g
                .addNode(node("a", "Relu", "b_out", "a_out")).addNode(node("b", "Relu", "a_out", "b_out"))), full, false);
        throughCommands(all, f, "an undefined input", d -> FaultInputs.withGraph(d, g -> g
                .addNode(node("n", "Relu", "nowhere", "n_out"))), full, false);
        throughCommands(all, f, "a value defined twice", d -> FaultInputs.withGraph(d, g -> g
                .addNode(node("p", "Relu", "image", "twice")).addNode(node("q", "Relu", "image", "twice"))), full, false);
        throughCommands(all, f, "a negative input dim", d -> FaultInputs.withGraph(d, g -> g
                .setInput(0, input(g.getInput(0), -3))), full, false);
        throughCommands(all, f, "input dims whose product overflows", d -> FaultInputs.withGraph(d, g -> g
                .setInput(0, input(g.getInput(0), 1L << 40, 1L << 40))), full, false);
        throughCommands(all, f, "an initializer whose dims overflow", d -> FaultInputs.withGraph(d, g -> g
                .addInitializer(TensorProto.newBuilder().setName("huge").setDataType(DataType.FLOAT.code())
                        .addDims(1L << 40).addDims(1L << 40))), full, false);
        throughCommands(all, f, "an initializer shorter than its dims", d -> FaultInputs.withGraph(d, g -> g
                .addInitializer(TensorProto.newBuilder().setName("short").setDataType(DataType.FLOAT.code()).addDims(1000)
                        .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[12])))), full, false);
        throughCommands(all, f, "a Constant without a value", d -> FaultInputs.withGraph(d, g -> g
                .addNode(NodeProto.newBuilder().setName("c").setOpType("Constant").addOutput("c_out"))), full, false);
        throughCommands(all, f, "a Constant with two values", d -> FaultInputs.withGraph(d, g -> g
                .addNode(NodeProto.newBuilder().setName("c").setOpType("Constant").addOutput("c_out")
                        .addAttribute(AttributeProto.newBuilder().setName("value_float").setType(AttributeProto.AttributeType.FLOAT).setF(1))
                        .addAttribute(AttributeProto.newBuilder().setName("value_int").setType(AttributeProto.AttributeType.INT).setI(1)))),
                full, false);
        throughCommands(all, f, "an If whose branch has no outputs", d -> FaultInputs.withGraph(d, g -> g
                .addInitializer(TensorProto.newBuilder().setName("cond").setDataType(DataType.BOOL.code()).addInt32Data(1))
                .addNode(NodeProto.newBuilder().setName("if").setOpType("If").addInput("cond").addOutput("if_out")
                        .addAttribute(branch("then_branch")).addAttribute(branch("else_branch")))), full, false);
        throughCommands(all, f, "an attribute of the wrong type", d -> FaultInputs.withGraph(d, g -> g
                .addNode(NodeProto.newBuilder().setName("lr").setOpType("LeakyRelu").addInput("image").addOutput("lr_out")
                        .addAttribute(AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.STRING)
                                .setS(com.google.protobuf.ByteString.copyFromUtf8("steep"))))), full, false);
        throughCommands(all, f, "no opset for the default domain", d -> FaultInputs.withModel(d, m -> m.clearOpsetImport()),
                full, false);
    }

    private static void mutants(List<FaultCase> all, boolean full, int count) {
        for (long seed = 1; seed <= count; seed++) {
            long s = seed;
            for (String command : full ? List.of("inspect", "convert") : List.of(seed % 2 == 0 ? "inspect" : "convert")) {
                all.add(new FaultCase("protobuf mutant", "seed " + s + " (" + command + ")", dir -> {
                    ProtobufMutants.Mutant m = ProtobufMutants.of(FaultInputs.sampleBytes(), s);
                    String bad = FaultInputs.write(dir, "mutant.onnx", m.bytes()).toString();
                    return command.equals("inspect") ? List.of("inspect", bad) : List.of("convert", bad, dir.resolve("out.onnx").toString());
                }, true));
            }
        }
    }

    // ---- rule files, recipes, samples -----------------------------------------------------------

    private static void ruleFiles(List<FaultCase> all) {
        String f = "rule file";
        ruleFile(all, "a syntax error", "rule R match a = Relu(x) rewrite a -> end", List.of("rules", "check"));
        ruleFile(all, "an unknown op", "rule R match a = Rleu(x) rewrite a -> x end", List.of("rules", "check"));
        ruleFile(all, "an op outside the default domain in a rewrite", """
                rule R match a = Relu(x) rewrite a -> com.example::Fancy(x) end""", List.of("rules", "check"));
        all.add(FaultCase.refused(f, "invalid UTF-8", d -> List.of("rules", "check",
                FaultInputs.write(d, "bad.rw", new byte[] {'r', 'u', 'l', 'e', ' ', (byte) 0xC3, (byte) 0x28}).toString())));
        all.add(FaultCase.refused(f, "over the size limit (2 MiB)", d -> List.of("rules", "check",
                FaultInputs.text(d, "huge.rw", "// " + "x".repeat(2 << 20) + "\n").toString())));
        all.add(FaultCase.refused(f, "a rule that grows the graph on every application", d -> List.of("optimize",
                FaultInputs.sample(d, "model.onnx").toString(), "-o", d.resolve("out.onnx").toString(), "--rules",
                FaultInputs.text(d, "grow.rw", "rule Grow match a = Relu(x) rewrite a -> Relu(Relu(x)) end\n").toString())));
    }

    private static void ruleFile(List<FaultCase> all, String name, String text, List<String> command) {
        all.add(FaultCase.refused("rule file", name, d -> {
            List<String> args = new ArrayList<>(command);
            args.add(FaultInputs.text(d, "bad.rw", text).toString());
            return args;
        }));
    }

    private static void recipes(List<FaultCase> all) {
        recipe(all, "a YAML syntax error", "stages: [simplify: {}\n");
        recipe(all, "an unknown stage", "stages:\n  - simplfy: {}\n");
        recipe(all, "an unknown setting", "stages:\n  - verify: { sampels: 4 }\n");
        recipe(all, "a setting of the wrong type", "stages:\n  - verify: { samples: four }\n");
        recipe(all, "an alias with no anchor", "stages:\n  - rules: { only: *missing }\n");
        recipe(all, "no stages", "name: empty\n");
        recipe(all, "quantize without calibrate", "stages:\n  - quantize: {}\n");
        recipe(all, "verify after align_qdq", "stages:\n  - align_qdq: {}\n  - verify: {}\n");
        recipe(all, "a rule name that does not exist", "stages:\n  - rules: { only: [FuseConvBatchNrom] }\n");
        all.add(FaultCase.refused("recipe", "invalid UTF-8", d -> runRecipe(d,
                FaultInputs.write(d, "bad.yaml", new byte[] {'s', 't', 'a', 'g', 'e', 's', ':', ' ', (byte) 0xFF}))));
        all.add(FaultCase.refused("recipe", "over the size limit (a 3 MB description)", d -> runRecipe(d,
                FaultInputs.text(d, "big.yaml", "description: " + "x".repeat(3_000_000) + "\nstages:\n  - simplify: {}\n"))));
    }

    private static void recipe(List<FaultCase> all, String name, String yaml) {
        all.add(FaultCase.refused("recipe", name, d -> runRecipe(d, FaultInputs.text(d, "bad.yaml", yaml))));
    }

    private static List<String> runRecipe(Path d, Path recipe) throws IOException {
        return List.of("run", recipe.toString(), "--model", FaultInputs.sample(d, "model.onnx").toString(), "-o",
                d.resolve("out.onnx").toString());
    }

    private static void sampleFiles(List<FaultCase> all) {
        samples(all, "an empty file", d -> FaultInputs.write(d, "s.npz", new byte[0]));
        samples(all, "not a zip", d -> FaultInputs.text(d, "s.npz", "not a zip archive"));
        samples(all, "the wrong dtype", d -> FaultInputs.npz(d, "s.npz", Map.of("image",
                Tensor.ofLongs("image", new long[] {1, 3, 32, 32}, new long[3 * 32 * 32]))));
        samples(all, "the wrong shape", d -> FaultInputs.npz(d, "s.npz", Map.of("image",
                Tensor.zeros("image", DataType.FLOAT, 1, 3, 16, 16))));
        samples(all, "an array for no input", d -> FaultInputs.npz(d, "s.npz", Map.of("imgae",
                Tensor.zeros("imgae", DataType.FLOAT, 1, 3, 32, 32))));
        samples(all, "a .npy header whose dims overflow", d -> FaultInputs.write(d, "s.npy",
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (9223372036854775807, 4), }")));
        samples(all, "a .npy that claims 40 GB", d -> FaultInputs.write(d, "s.npy",
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 3, 32, 32), }")));
        all.add(FaultCase.refused("sample file", "calibration data that is not a zip (quantize)", d -> List.of("quantize",
                FaultInputs.sample(d, "model.onnx").toString(), "-o", d.resolve("out.onnx").toString(), "--calib",
                FaultInputs.text(d, "calib.npz", "not a zip").toString())));
        all.add(FaultCase.refused("sample file", "held-out data of the wrong shape (run qat-tensorrt-fast --eval)", d -> List.of(
                "run", "qat-tensorrt-fast", "--model", FaultInputs.sample(d, "model.onnx").toString(), "-o",
                d.resolve("out.onnx").toString(), "--eval",
                FaultInputs.npz(d, "eval.npz", Map.of("image", Tensor.zeros("image", DataType.FLOAT, 4, 3, 8, 8))).toString())));
        all.add(FaultCase.refused("sample file", "calibration data of the wrong shape (calibrate)", d -> List.of("calibrate",
                FaultInputs.sample(d, "model.onnx").toString(), "-o", d.resolve("table.json").toString(), "--calib",
                FaultInputs.npz(d, "calib.npz", Map.of("image", Tensor.zeros("image", DataType.FLOAT, 4, 3, 8, 8))).toString())));
    }

    /** {@code verify model model --inputs FILE}: the samples are the fault. */
    private static void samples(List<FaultCase> all, String name, ModelMaker maker) {
        all.add(FaultCase.refused("sample file", name + " (verify --inputs)", d -> {
            String m = FaultInputs.sample(d, "model.onnx").toString();
            return List.of("verify", m, m, "--inputs", maker.make(d).toString());
        }));
    }

    /** A version 1.0 .npy file with {@code header} and four bytes of data. */
    private static byte[] npy(String header) {
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] text = h.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + text.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) text.length).put(text);
        return b.array();
    }

    // ---- paths and options ------------------------------------------------------------------------

    private static void paths(List<FaultCase> all) {
        path(all, "convert onto its own input", (d, m) -> List.of("convert", m, m));
        path(all, "convert's data file onto the input's data", (d, m) -> List.of("convert", m, d.resolve("c.onnx").toString(),
                "--external-data", "--data-file", "m.onnx.data"));
        path(all, "convert onto the input's data file", (d, m) -> List.of("convert", m, d.resolve("m.onnx.data").toString()));
        path(all, "optimize onto the input's data file", (d, m) -> List.of("optimize", m, "-o", d.resolve("m.onnx.data").toString()));
        path(all, "optimize --trace onto the input", (d, m) -> List.of("optimize", m, "-o", d.resolve("o.onnx").toString(),
                "--trace", m));
        path(all, "optimize --trace onto its output", (d, m) -> List.of("optimize", m, "-o", d.resolve("o.onnx").toString(),
                "--trace", d.resolve("o.onnx").toString()));
        path(all, "run --report onto the output's data file", (d, m) -> List.of("run", "default", "--model", m, "-o",
                d.resolve("o.onnx").toString(), "--report", d.resolve("o.onnx.data").toString()));
        path(all, "verify --report onto model B", (d, m) -> List.of("verify", FaultInputs.sample(d, "a.onnx").toString(), m,
                "--report", m));
        path(all, "compare --report onto model A's data", (d, m) -> List.of("compare", m, FaultInputs.sample(d, "b.onnx").toString(),
                "--report", d.resolve("m.onnx.data").toString()));
        path(all, "--report through a link to the input", (d, m) -> List.of("run", "default", "--model", m, "-o",
                d.resolve("o.onnx").toString(), "--report", Files.createSymbolicLink(d.resolve("link.json"), Path.of(m)).toString()));
        path(all, "quantize onto its calibration data", (d, m) -> List.of("quantize", m, "-o", calib(d).toString(), "--calib",
                calib(d).toString()));
        path(all, "calibrate's table onto its calibration data", (d, m) -> List.of("calibrate", m, "-o", calib(d).toString(),
                "--calib", calib(d).toString()));
        path(all, "verify --report onto its --inputs", (d, m) -> List.of("verify", m, m, "--inputs", calib(d).toString(),
                "--report", calib(d).toString()));
        path(all, "optimize --trace onto its --inputs", (d, m) -> List.of("optimize", m, "-o", d.resolve("o.onnx").toString(),
                "--inputs", calib(d).toString(), "--trace", calib(d).toString()));
        path(all, "run onto its --eval data", (d, m) -> List.of("run", "default", "--model", m, "-o", calib(d).toString(),
                "--eval", calib(d).toString()));
        path(all, "benchmark --report onto its model", (d, m) -> List.of("benchmark", m, "--report", m));
        path(all, "evaluate --report onto its reference", (d, m) -> List.of("evaluate", FaultInputs.sample(d, "q.onnx").toString(),
                "--reference", m, "--data", calib(d).toString(), "--report", d.resolve("m.onnx.data").toString()));
        path(all, "a report in a folder that does not exist", (d, m) -> List.of("optimize", m, "-o", d.resolve("o.onnx").toString(),
                "--trace", d.resolve("no/such/trace.json").toString()));
        path(all, "an output under /proc, where no file can be made", (d, m) -> List.of("convert", m, "/proc/onnx2trt-fault.onnx"));
        path(all, "an output in a folder that does not exist", (d, m) -> List.of("optimize", m, "-o",
                d.resolve("no/such/folder/o.onnx").toString()));
    }

    /** {@code dir/calib.npz}: four samples for the sample model (made once per case). */
    private static Path calib(Path d) throws IOException {
        Path p = d.resolve("calib.npz");
        return Files.exists(p) ? p : FaultInputs.npz(d, "calib.npz", Map.of("image", Tensor.zeros("image", DataType.FLOAT, 4, 3, 32, 32)));
    }

    @FunctionalInterface
    interface PathArgs {
        List<String> args(Path dir, String model) throws IOException;
    }

    /** A case on the external-data sample {@code dir/m.onnx} (+ m.onnx.data). */
    private static void path(List<FaultCase> all, String name, PathArgs args) {
        all.add(FaultCase.refused("paths", name, d -> args.args(d, FaultInputs.external(d).toString())));
    }

    private static void options(List<FaultCase> all) {
        option(all, "--atol for an output the model lacks", (d, m) -> List.of("verify", m, m, "--atol", "scroes=1e-3"));
        option(all, "--input-shape for an input the model lacks", (d, m) -> List.of("optimize", m, "-o",
                d.resolve("o.onnx").toString(), "--input-shape", "imgae:1,3,32,32"));
        option(all, "--input-shape past the dim limit", (d, m) -> List.of("optimize", m, "-o", d.resolve("o.onnx").toString(),
                "--input-shape", "image:99999999999,3,32,32"));
        option(all, "--input-shape whose product overflows", (d, m) -> List.of("verify", m, m, "--input-shape",
                "image:2147483647,3,2147483647,32"));
        option(all, "--input-shape with a negative dim", (d, m) -> List.of("optimize", m, "-o", d.resolve("o.onnx").toString(),
                "--input-shape", "image:-1,3,32,32"));
        option(all, "a number option given a word", (d, m) -> List.of("verify", m, m, "--samples", "four"));
        option(all, "an unknown option", (d, m) -> List.of("optimize", m, "-o", d.resolve("o.onnx").toString(), "--frobnicate"));
        option(all, "an unknown command", (d, m) -> List.of("optimise", m));
    }

    private static void option(List<FaultCase> all, String name, PathArgs args) {
        all.add(FaultCase.refused("options", name, d -> args.args(d, FaultInputs.sample(d, "model.onnx").toString())));
    }

    // ---- protobuf pieces ----------------------------------------------------------------------------

    private static NodeProto node(String name, String op, String input, String output) {
        return NodeProto.newBuilder().setName(name).setOpType(op).addInput(input).addOutput(output).build();
    }

    /** {@code declared} with its dims replaced by {@code dims}. */
    private static ValueInfoProto input(ValueInfoProto declared, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto.Tensor.Builder t = declared.getType().getTensorType().toBuilder().setShape(shape);
        return declared.toBuilder().setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    /** An If branch with no outputs. */
    private static AttributeProto branch(String name) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH)
                .setG(GraphProto.newBuilder().setName(name)).build();
    }
}
