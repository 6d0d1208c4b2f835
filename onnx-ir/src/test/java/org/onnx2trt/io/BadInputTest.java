package org.onnx2trt.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.OperatorSetIdProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.ExternalLocation;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorStorage;
import org.onnx2trt.testing.MemoryTempDir;

/**
 * Files that are not ONNX models, or damaged ones: each read fails with a {@link ModelFileException}
 * whose exact message is pinned here. And the writer's promise: a failed write leaves nothing behind
 * and an existing output untouched.
 */
class BadInputTest {
    private static final Path CORPUS = Path.of("..", "testdata", "exports");

    @TempDir(factory = MemoryTempDir.class)
    Path dir;

    /** A bad file: its name, its bytes, and the problem the reader must report (after "path: "). */
    static Stream<Arguments> badFiles() throws IOException {
        byte[] convbn = Files.readAllBytes(CORPUS.resolve("convbn_opset11.onnx"));
        return Stream.of(
                Arguments.of("empty.onnx", new byte[0],
                        "the file is empty (0 bytes); expected an ONNX model"),
                Arguments.of("random.onnx", randomBytes(0, 256),
                        "is not an ONNX model: the bytes are not a valid protobuf message"
                                + " (Protocol message tag had invalid wire type.)"),
                Arguments.of("half.onnx", Arrays.copyOf(convbn, convbn.length / 2),
                        "the file is truncated: it ends inside a message after " + convbn.length / 2
                                + " bytes (an interrupted download or copy?); fetch or export the model again"),
                Arguments.of("model.txt.onnx", utf8("ir_version: 8\nproducer_name: \"pytorch\"\n"
                                + "graph {\n  node { op_type: \"Relu\" input: \"x\" output: \"y\" }\n}\n"),
                        "is not an ONNX model: the bytes are not a valid protobuf message"
                                + " (Protocol message tag had invalid wire type.); it is a text file"
                                + " (an ONNX text-format or a JSON file?), while .onnx models are binary protobuf"),
                // A JSON file also runs off its end as protobuf; that must not read as a truncated model.
                Arguments.of("model.json", utf8("{\"ir_version\": 8, \"graph\": {\"node\": []}}\n"),
                        "is not an ONNX model: the bytes are not a valid protobuf message"
                                + " (While parsing a protocol message, the input ended unexpectedly in the middle"
                                + " of a field.  This could mean either that the input has been truncated or that"
                                + " an embedded message misreported its own length.); it is a text file"
                                + " (an ONNX text-format or a JSON file?), while .onnx models are binary protobuf"),
                Arguments.of("model.pt", concat(new byte[] {'P', 'K', 3, 4}, randomBytes(1, 60)),
                        "is not an ONNX model: the bytes are not a valid protobuf message"
                                + " (Protocol message contained an invalid tag (zero).); it looks like a zip archive"
                                + " (a PyTorch .pt/.pth checkpoint?): export it with torch.onnx.export"),
                Arguments.of("model.h5", concat(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'},
                                new byte[16]), // the signature, then superblock version 0 and its zero fields
                        "is not an ONNX model: the bytes are not a valid protobuf message"
                                + " (Protocol message contained an invalid tag (zero).); it looks like an HDF5 file"
                                + " (a Keras model?): convert it with tf2onnx"),
                Arguments.of("no_graph.onnx", ModelProto.newBuilder().setIrVersion(8).setProducerName("pytorch")
                                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).build().toByteArray(),
                        "has no graph"),
                Arguments.of("opset.onnx", OperatorSetIdProto.newBuilder().setDomain("").setVersion(17).build()
                                .toByteArray(),
                        "is not an ONNX model: it has neither `ir_version` nor a graph"),
                Arguments.of("deep.onnx", deepBytes(1100),
                        "subgraphs (If/Loop/Scan bodies) are nested more than about 1005 deep; the file is damaged or not"
                                + " an ONNX model"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileIsReportedWithItsName(String name, byte[] bytes, String problem) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelReader.read(file));
        assertEquals(file + ": " + problem, e.getMessage());
        assertEquals(file, e.file());
        assertEquals(problem, e.problem());
        ModelFileException parseOnly = assertThrows(ModelFileException.class, () -> ModelReader.parse(file));
        assertEquals(e.getMessage(), parseOnly.getMessage(), "parse and read report the same");
    }

    @Test
    void directoryIsNotAModel() {
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelReader.read(dir));
        assertEquals(dir + ": is a directory; expected an .onnx model file", e.getMessage());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("missing.onnx");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelReader.read(file));
        assertEquals(file + ": no such file", e.getMessage());
    }

    /** The sibling of {@code deep.onnx}: nesting past protobuf's default limit of 100 reads fine. */
    @Test
    void deepButLegalNestingReads() throws IOException {
        ModelProto proto = nestedIfs(300);
        Path file = dir.resolve("deep_ok.onnx");
        Files.write(file, proto.toByteArray());
        assertEquals(proto, ModelReader.read(file).toProto());
    }

    @Test
    void theSameBytesReadFine() throws IOException {
        Path file = dir.resolve("convbn.onnx");
        Files.copy(CORPUS.resolve("convbn_opset11.onnx"), file);
        assertEquals(14, ModelReader.read(file).graph().nodeCount(), "the uncut file is a model");
    }

    // ---- writing --------------------------------------------------------------------------------

    @Test
    void writingIntoAMissingFolderFailsAndCreatesNothing() throws IOException {
        Path out = dir.resolve("missing").resolve("model.onnx");
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelWriter.write(SampleModels.classifier(), out, WriteOptions.inline()));
        assertEquals(out + ": the output folder " + dir.resolve("missing") + " does not exist; create it first",
                e.getMessage());
        assertEquals(List.of(), list(dir));
    }

    @Test
    void writingOverADirectoryFails() throws IOException {
        Path out = Files.createDirectory(dir.resolve("model.onnx"));
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelWriter.write(SampleModels.classifier(), out, WriteOptions.inline()));
        assertEquals(out + ": is a directory; give the output model's file name", e.getMessage());
        assertEquals(List.of("model.onnx"), list(dir));
    }

    @Test
    void successfulWritesLeaveNoTemporaryFiles() throws IOException {
        ModelWriter.write(SampleModels.classifier(), dir.resolve("inline.onnx"), WriteOptions.inline());
        ModelWriter.write(SampleModels.classifier(), dir.resolve("ext.onnx"), WriteOptions.external(1024));
        ModelWriter.write(SampleModels.classifier(), dir.resolve("ext.onnx"), WriteOptions.external(1024)); // over itself
        assertEquals(List.of("ext.onnx", "ext.onnx.data", "inline.onnx"), list(dir));
    }

    @Test
    void failedInlineWriteLeavesTheExistingFileUntouched() throws IOException {
        Path out = dir.resolve("model.onnx");
        ModelWriter.write(SampleModels.classifier(), out, WriteOptions.inline());
        byte[] before = Files.readAllBytes(out);

        UncheckedIOException failure = new UncheckedIOException(new IOException("the source disk went away"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> ModelWriter.write(modelWithFailingTensor(failure), out, WriteOptions.inline()));
        assertSame(failure, e);
        assertArrayEquals(before, Files.readAllBytes(out));
        assertEquals(List.of("model.onnx"), list(dir));
    }

    /** The side file is half written when the second tensor fails: both old files stay as they were. */
    @Test
    void failedExternalWriteMidwayLeavesBothFilesUntouched() throws IOException {
        Path out = dir.resolve("model.onnx");
        Path data = dir.resolve("model.onnx.data");
        ModelWriter.write(SampleModels.classifier(), out, WriteOptions.external(1024));
        byte[] modelBefore = Files.readAllBytes(out);
        byte[] dataBefore = Files.readAllBytes(data);

        UncheckedIOException failure = new UncheckedIOException(new IOException("the source disk went away"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> ModelWriter.write(modelWithFailingTensor(failure), out, WriteOptions.external(1024)));
        assertSame(failure, e);
        assertArrayEquals(modelBefore, Files.readAllBytes(out));
        assertArrayEquals(dataBefore, Files.readAllBytes(data));
        assertEquals(List.of("model.onnx", "model.onnx.data"), list(dir));
    }

    /** x·a·w where `a` is fine and `w` is a side-file tensor whose bytes cannot be read. */
    private Model modelWithFailingTensor(RuntimeException failure) {
        GraphBuilder b = new GraphBuilder("failing", 3);
        Value x = b.input("x", DataType.FLOAT, 1, 64);
        Value a = b.initializer(b.randomTensor("a", new long[] {64, 64}, 0, 1));
        TensorProto proto = TensorProto.newBuilder().setName("w").setDataType(DataType.FLOAT.code())
                .addDims(64).addDims(64).build();
        ExternalLocation gone = new ExternalLocation(dir.resolve("elsewhere.bin"), "elsewhere.bin", 0, 64 * 64 * 4);
        Value w = b.initializer(Tensor.fromProto(proto, new TensorStorage.External(gone, loc -> {
            throw failure;
        })));
        Value y = b.op("MatMul", b.op("MatMul", x, a).out(), w).out();
        b.output(y, DataType.FLOAT, 1, 64);
        return b.build();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** {@link #nestedIfs} serialized, on a stack deep enough for its thousands of message levels. */
    static byte[] deepBytes(int levels) {
        byte[][] out = new byte[1][];
        Thread t = new Thread(null, () -> out[0] = nestedIfs(levels).toByteArray(), "deep", 64L << 20);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return out[0];
    }

    /** A model whose graph nests If bodies {@code levels} deep (three protobuf message levels each). */
    static ModelProto nestedIfs(int levels) {
        GraphProto g = GraphProto.newBuilder().setName("leaf").build();
        for (int i = 0; i < levels; i++) {
            g = GraphProto.newBuilder().setName("level" + i)
                    .addNode(NodeProto.newBuilder().setOpType("If").addInput("cond").addOutput("y" + i)
                            .addAttribute(AttributeProto.newBuilder().setName("then_branch")
                                    .setType(AttributeProto.AttributeType.GRAPH).setG(g)))
                    .build();
        }
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build();
    }
}
