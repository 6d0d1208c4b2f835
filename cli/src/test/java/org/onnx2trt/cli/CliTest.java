package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.OperatorSetIdProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;

/** The command line as a user meets it: exit codes, messages, and files written or not. */
class CliTest {
    @TempDir
    Path dir;

    /** The result of one in-process run. */
    record Run(int code, String out, String err) {}

    /** The built-in sample classifier (image float32[batch, 3, 32, 32], opset 17) written to {@code dir}/model.onnx. */
    static Path sampleClassifier(Path dir) {
        Path p = dir.resolve("model.onnx");
        org.onnx2trt.io.ModelWriter.write(org.onnx2trt.builder.SampleModels.classifier(), p,
                org.onnx2trt.io.WriteOptions.inline());
        return p;
    }

    /** {@code samples} seeded images for the sample classifier, as {@code dir}/calib.npz. */
    static Path classifierSamples(Path dir, int samples, long seed) throws IOException {
        return org.onnx2trt.testkit.RandomSamples.npz(dir.resolve("calib.npz"), "image", new long[] {samples, 3, 32, 32}, seed);
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Path sample() {
        Path p = dir.resolve("sample.onnx");
        ModelWriter.write(SampleModels.classifier(), p, WriteOptions.inline());
        return p;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void inspectPrintsTheSummary() {
        Run r = run("inspect", sample().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("inputs        image  float32[batch,3,32,32]"), r.out());
        assertTrue(r.out().contains("outputs       scores  float32[batch,10]"), r.out());
        assertTrue(r.out().contains("nodes         11"), r.out());
        assertTrue(r.out().contains("opsets        ai.onnx 17"), r.out());
    }

    @Test
    void inspectJsonKeepsSymbolicDimsAsNames() {
        Run r = run("inspect", sample().toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"shape\" : [ \"batch\", 3, 32, 32 ]"), r.out());
        assertTrue(r.out().contains("\"nodeCount\" : 11"), r.out());
    }

    @Test
    void convertRoundTripsThroughExternalData() {
        Path in = sample();
        Path ext = dir.resolve("ext.onnx");
        Path back = dir.resolve("back.onnx");
        assertEquals(0, run("convert", in.toString(), ext.toString(), "--external-data", "--size-threshold", "0").code());
        assertTrue(Files.exists(dir.resolve("ext.onnx.data")));
        assertEquals(0, run("convert", ext.toString(), back.toString(), "--inline").code());
        assertEquals(ModelReader.parse(in), ModelReader.parse(back));
    }

    @Test
    void convertRefusesToOverwriteItsInput() throws IOException {
        Path in = sample();
        byte[] before = Files.readAllBytes(in);
        Run r = run("convert", in.toString(), in.toString());
        assertEquals(2, r.code());
        assertEquals("error: " + in + ": OUT is the input model; refusing to overwrite it"
                + " (give another OUT, or --in-place to replace it atomically)\n", r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)));
    }

    @Test
    void convertInPlaceReplacesAtomically() throws IOException {
        Path in = sample();
        Run r = run("convert", in.toString(), in.toString(), "--in-place", "--external-data", "--size-threshold", "0");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("sample.onnx", "sample.onnx.data"), files());
    }

    @Test
    void badModelGivesExitCodeTwoAndWritesNothing() throws IOException {
        Path bad = dir.resolve("bad.onnx");
        Files.write(bad, new byte[] {0x08, (byte) 0x96}); // a varint cut short
        Run r = run("convert", bad.toString(), dir.resolve("out.onnx").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: " + bad + ": the file is truncated"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals(List.of("bad.onnx"), files());
    }

    @Test
    void cyclicGraphIsRejectedWithTheNodesNamed() throws IOException {
        GraphProto g = GraphProto.newBuilder().setName("g")
                .addInput(ValueInfoProto.newBuilder().setName("x"))
                .addNode(NodeProto.newBuilder().setName("a").setOpType("Add").addInput("x").addInput("b_out").addOutput("a_out"))
                .addNode(NodeProto.newBuilder().setName("b").setOpType("Relu").addInput("a_out").addOutput("b_out"))
                .addOutput(ValueInfoProto.newBuilder().setName("b_out"))
                .build();
        Path cyclic = dir.resolve("cyclic.onnx");
        Files.write(cyclic, ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build().toByteArray());
        Run r = run("convert", cyclic.toString(), dir.resolve("out.onnx").toString());
        assertEquals(2, r.code());
        assertEquals("error: " + cyclic + ": the model is not a valid ONNX graph: graph `g`: cycle: `a` (Add) → `b` (Relu)"
                + " → `a` (Add); a graph must be acyclic\n", r.err());
        assertEquals(List.of("cyclic.onnx"), files());
    }

    @Test
    void undefinedInputIsRejected() throws IOException {
        GraphProto g = GraphProto.newBuilder().setName("g")
                .addInput(ValueInfoProto.newBuilder().setName("x"))
                .addNode(NodeProto.newBuilder().setName("conv1").setOpType("Conv").addInput("x").addInput("w_missing").addOutput("y"))
                .addOutput(ValueInfoProto.newBuilder().setName("y"))
                .build();
        Path file = dir.resolve("undefined.onnx");
        Files.write(file, ModelProto.newBuilder().setIrVersion(8).setGraph(g).build().toByteArray());
        Run r = run("inspect", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("node `conv1` (Conv) reads `w_missing`, which no node, graph input or initializer defines"), r.err());
    }

    @Test
    void unknownOpDomainsAreAllowedAndPreserved() throws IOException {
        GraphProto g = GraphProto.newBuilder().setName("g")
                .addInput(ValueInfoProto.newBuilder().setName("x"))
                .addNode(NodeProto.newBuilder().setName("f").setOpType("Frobnicate").setDomain("com.acme")
                        .addInput("x").addOutput("y"))
                .addOutput(ValueInfoProto.newBuilder().setName("y"))
                .build();
        ModelProto proto = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.acme").setVersion(3))
                .setGraph(g).build();
        Path in = dir.resolve("custom.onnx");
        Files.write(in, proto.toByteArray());
        Run inspect = run("inspect", in.toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("opsets        ai.onnx 17, com.acme 3"), inspect.out());
        assertTrue(inspect.out().contains("com.acme::Frobnicate"), inspect.out());
        Path out = dir.resolve("copy.onnx");
        assertEquals(0, run("convert", in.toString(), out.toString()).code());
        assertEquals(proto, ModelReader.parse(out));
    }

    @Test
    void unknownCommandAndBadOptionsAreUsageErrors() {
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run("convert", "a.onnx").code());
        assertEquals(2, run("convert", "a.onnx", "b.onnx", "--inline", "--external-data").code());
        assertEquals(2, run().code());
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : List.of("demo", "inspect", "convert", "bench")) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().startsWith("Usage: onnx2trt " + cmd), r.out());
        }
    }
}
