package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.StringStringEntryProto;
import org.onnx2trt.proto.Onnx.TensorProto;

/**
 * Every kind of bad input, through both commands that read models: exit code 2, one message that
 * names the file and the problem, no stack trace, and nothing written.
 */
class BadInputExitCodeTest {
    @TempDir
    static Path dir;

    /** Makes the bad file in {@code dir} and returns its path. */
    interface Maker {
        Path make(Path dir) throws IOException;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("empty file", (Maker) d -> write(d, "empty.onnx", new byte[0]), "the file is empty"),
                Arguments.of("not protobuf", (Maker) d -> write(d, "text.onnx", "{\"not\": \"onnx\"}".getBytes()),
                        "is not an ONNX model"),
                Arguments.of("truncated", (Maker) d -> {
                    byte[] whole = sampleBytes(d);
                    return write(d, "cut.onnx", java.util.Arrays.copyOf(whole, whole.length / 2));
                }, "the file is truncated"),
                Arguments.of("a directory", (Maker) d -> Files.createDirectories(d.resolve("folder.onnx")), "is a directory"),
                Arguments.of("missing external data", (Maker) d -> {
                    Path m = external(d, "noside");
                    Files.delete(d.resolve("noside/m.onnx.data"));
                    return m;
                }, "which does not exist"),
                Arguments.of("short external data", (Maker) d -> {
                    Path m = external(d, "short");
                    Path data = d.resolve("short/m.onnx.data");
                    Files.write(data, java.util.Arrays.copyOf(Files.readAllBytes(data), 100));
                    return m;
                }, "the data file is truncated"),
                Arguments.of("location escaping the folder", (Maker) d -> withLocation(d, "escape", "../../secret.bin"),
                        "points outside the model's folder; refusing to read it"),
                Arguments.of("absolute location", (Maker) d -> withLocation(d, "absolute", "/etc/passwd"),
                        "is an absolute path; refusing to read outside the model's folder"),
                Arguments.of("cyclic graph", (Maker) d -> withNodes(d, "cyclic",
                        NodeProto.newBuilder().setName("a").setOpType("Relu").addInput("b_out").addOutput("a_out").build(),
                        NodeProto.newBuilder().setName("b").setOpType("Relu").addInput("a_out").addOutput("b_out").build()),
                        "cycle: `a` (Relu) → `b` (Relu) → `a` (Relu)"),
                Arguments.of("undefined input", (Maker) d -> withNodes(d, "undefined",
                        NodeProto.newBuilder().setName("n").setOpType("Relu").addInput("nowhere").addOutput("n_out").build()),
                        "node `n` (Relu) reads `nowhere`, which no node, graph input or initializer defines"),
                Arguments.of("duplicate names", (Maker) d -> withNodes(d, "duplicate",
                        NodeProto.newBuilder().setName("p").setOpType("Relu").addInput("image").addOutput("twice").build(),
                        NodeProto.newBuilder().setName("q").setOpType("Relu").addInput("image").addOutput("twice").build()),
                        "`twice` is defined twice: by node `p` (Relu) and by node `q` (Relu)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inspectAndConvertRefuseIt(String label, Maker maker, String expected) throws IOException {
        Path bad = maker.make(dir);
        for (List<String> args : List.of(List.of("inspect", bad.toString()),
                List.of("convert", bad.toString(), dir.resolve("out-" + bad.getFileName()).toString()))) {
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), label + ": " + r.err());
            assertTrue(r.err().startsWith("error: " + bad + ":"), r.err());
            assertTrue(r.err().contains(expected), r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        }
        assertFalse(Files.exists(dir.resolve("out-" + bad.getFileName())), "nothing written");
    }

    private static Path write(Path d, String name, byte[] bytes) throws IOException {
        return Files.write(d.resolve(name), bytes);
    }

    private static byte[] sampleBytes(Path d) throws IOException {
        Path p = d.resolve("whole.onnx");
        ModelWriter.write(SampleModels.classifier(), p, WriteOptions.inline());
        return Files.readAllBytes(p);
    }

    /** The sample with every tensor in {@code d/sub/m.onnx.data}. */
    private static Path external(Path d, String sub) throws IOException {
        Path m = Files.createDirectories(d.resolve(sub)).resolve("m.onnx");
        ModelWriter.write(SampleModels.classifier(), m, WriteOptions.external(0));
        return m;
    }

    /** The external-data sample with the first tensor's location replaced. */
    private static Path withLocation(Path d, String sub, String location) throws IOException {
        Path m = external(d, sub);
        ModelProto p = ModelReader.parse(m);
        TensorProto t = p.getGraph().getInitializer(0);
        TensorProto.Builder b = t.toBuilder().clearExternalData();
        for (StringStringEntryProto e : t.getExternalDataList()) {
            b.addExternalData(e.getKey().equals("location") ? e.toBuilder().setValue(location) : e.toBuilder());
        }
        ModelProto changed = p.toBuilder().setGraph(p.getGraph().toBuilder().setInitializer(0, b)).build();
        return write(d, sub + "/m.onnx", changed.toByteArray());
    }

    /** The sample with {@code nodes} appended to its graph. */
    private static Path withNodes(Path d, String name, NodeProto... nodes) throws IOException {
        ModelProto p = ModelReader.parse(d.resolve("whole.onnx").toFile().exists()
                ? d.resolve("whole.onnx") : write(d, "whole.onnx", sampleBytes(d)));
        var g = p.getGraph().toBuilder();
        for (NodeProto n : nodes) {
            g.addNode(n);
        }
        return write(d, name + ".onnx", p.toBuilder().setGraph(g).build().toByteArray());
    }
}
