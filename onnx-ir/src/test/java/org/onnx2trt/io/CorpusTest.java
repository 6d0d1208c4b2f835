package org.onnx2trt.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorStorage;
import org.onnx2trt.tensor.TensorView;
import org.onnx2trt.testing.MemoryTempDir;
import org.onnx2trt.testing.MiniJson;
import org.onnx2trt.testing.ProtoDiff;
import org.opentest4j.AssertionFailedError;

/**
 * The corpus of real PyTorch exports in {@code testdata/exports}: each file reads and writes back
 * unchanged, its facts as our IR sees them match those the Python {@code onnx} package recorded in
 * {@code expected.json}, and onnxruntime computes bit-identical outputs before and after a trip
 * through external data.
 */
class CorpusTest {
    private static final Path CORPUS = Path.of("..", "testdata", "exports");
    /** Sizes for symbolic dims, by name. */
    private static final Map<String, Long> DYNAMIC_DIMS = Map.of("batch", 2L, "seq", 5L, "height", 32L, "width", 32L);
    private static final long INPUT_SEED = 20240611L;

    private static Map<String, Object> expected;
    private static OrtEnvironment ort;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void setUp() throws IOException {
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(Files.readString(CORPUS.resolve("expected.json")));
        expected = (Map<String, Object>) json.get("models");
        ort = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
    }

    static Stream<String> models() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx")).sorted().toList().stream();
        }
    }

    /** A file without facts, or facts without a file, is a mistake in the corpus. */
    @Test
    void everyFileHasFactsAndEveryFactAFile() throws IOException {
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(models().toList()));
        assertEquals(7, expected.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void keepRoundTripIsLossless(String name, @TempDir(factory = MemoryTempDir.class) Path dir) throws IOException {
        Path source = CORPUS.resolve(name);
        Path out = dir.resolve(name);
        WriteResult result = ModelWriter.write(ModelReader.read(source), out, WriteOptions.keep());
        assertNull(result.dataFile(), "the corpus stores every weight inline");
        assertNull(ProtoDiff.firstDifference(ModelReader.parse(source), ModelReader.parse(out)));
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(out), "byte-identical to what onnx.save wrote");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    @SuppressWarnings("unchecked")
    void factsMatchExpectedJson(String name) throws IOException {
        Path file = CORPUS.resolve(name);
        Map<String, Object> want = (Map<String, Object>) expected.get(name);
        Map<String, Object> have = facts(ModelReader.read(file), Files.size(file));
        assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(have.keySet()), name + ": the facts compared");
        for (String key : want.keySet()) {
            assertEquals(want.get(key), have.get(key), name + ": " + key);
        }
    }

    /**
     * Original file, the same model with every weight in a side file (read by onnxruntime itself),
     * and that model read back by us and written inline again: all three give the same bits.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void outputsAreBitIdenticalAfterAnExternalDataRoundTrip(String name, @TempDir(factory = MemoryTempDir.class) Path dir)
            throws IOException, OrtException {
        Path source = CORPUS.resolve(name);
        Model model = ModelReader.read(source);

        Path external = Files.createDirectory(dir.resolve("external")).resolve("model.onnx");
        WriteResult ext = ModelWriter.write(model, external, WriteOptions.external(0));
        assertEquals(model.graph().initializers().size(), ext.externalTensors(), "every initializer is external");
        Path back = dir.resolve("back.onnx");
        ModelWriter.write(ModelReader.read(external), back, WriteOptions.inline());

        Map<String, OnnxTensor> inputs = randomInputs(model.graph());
        try {
            Map<String, byte[]> before = run(Files.readAllBytes(source), null, inputs);
            checkMeaningful(name, before);
            Map<String, byte[]> viaSideFile = run(null, external, inputs);
            Map<String, byte[]> after = run(Files.readAllBytes(back), null, inputs);
            assertBitIdentical(name + ", side-file model run by onnxruntime", before, viaSideFile);
            assertBitIdentical(name + ", after the round trip", before, after);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * The negative sibling: the classifier bias of one class moved by 1e-4 changes that logit, and the
     * check names the first element that differs. (One ulp in a stem weight is not enough: the network
     * rounds it away.)
     */
    @Test
    void aSmallWeightChangeIsCaught(@TempDir(factory = MemoryTempDir.class) Path dir) throws IOException, OrtException {
        Path source = CORPUS.resolve("convbn_opset11.onnx");
        Model model = ModelReader.read(source);
        Node gemm = model.graph().nodeList().stream().filter(n -> n.opType().equals("Gemm")).findFirst().orElseThrow();
        TensorView bias = gemm.input(2).initializer().mutableView();
        bias.setFloat(3, bias.getFloat(3) + 1e-4f);
        Path changed = dir.resolve("changed.onnx");
        ModelWriter.write(model, changed, WriteOptions.inline());

        Map<String, OnnxTensor> inputs = randomInputs(model.graph());
        try {
            Map<String, byte[]> before = run(Files.readAllBytes(source), null, inputs);
            Map<String, byte[]> after = run(Files.readAllBytes(changed), null, inputs);
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> assertBitIdentical("changed", before, after));
            assertTrue(e.getMessage().startsWith("changed: logits:FLOAT differs at element 3: "), e.getMessage());
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    // ---- onnxruntime -------------------------------------------------------------------------------

    /** Seeded standard-normal float inputs, shaped from the graph's declared input types. */
    private static Map<String, OnnxTensor> randomInputs(Graph graph) throws OrtException {
        Random random = new Random(INPUT_SEED);
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        for (Value v : graph.runtimeInputs()) {
            assertEquals(DataType.FLOAT.code(), Types.elemType(v.type()), v.name() + " is a float input");
            List<Types.Dim> dims = Types.shape(v.type());
            assertNotNull(dims, v.name() + " has a shape");
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                Types.Dim d = dims.get(i);
                Long size = d.isKnown() ? d.value() : DYNAMIC_DIMS.get(d.symbol());
                assertNotNull(size, v.name() + ": no size chosen for dim `" + d + "`");
                shape[i] = size;
            }
            FloatBuffer data = FloatBuffer.allocate(Math.toIntExact(Tensor.elementCount(shape)));
            while (data.hasRemaining()) {
                data.put((float) random.nextGaussian());
            }
            out.put(v.name(), OnnxTensor.createTensor(ort, data.flip(), shape));
        }
        return out;
    }

    /** Runs a model given as bytes or as a file (whose side files onnxruntime finds next to it). */
    private static Map<String, byte[]> run(byte[] bytes, Path file, Map<String, OnnxTensor> inputs) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = bytes != null ? ort.createSession(bytes, options)
                    : ort.createSession(file.toString(), options);
                 OrtSession.Result result = session.run(inputs)) {
                Map<String, byte[]> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    ByteBuffer b = ((OnnxTensor) e.getValue()).getByteBuffer();
                    byte[] copy = new byte[b.remaining()];
                    b.get(copy);
                    out.put(e.getKey() + ":" + ((OnnxTensor) e.getValue()).getInfo().type, copy);
                }
                return out;
            }
        }
    }

    /** The comparison means something only if the outputs are numbers, not all zero. */
    private static void checkMeaningful(String name, Map<String, byte[]> outputs) {
        assertFalse(outputs.isEmpty(), name);
        for (Map.Entry<String, byte[]> e : outputs.entrySet()) {
            byte[] b = e.getValue();
            assertTrue(b.length > 0, name + ": " + e.getKey() + " is empty");
            boolean anyNonZero = false;
            for (byte x : b) {
                anyNonZero |= x != 0;
            }
            assertTrue(anyNonZero, name + ": " + e.getKey() + " is all zeros");
            if (e.getKey().endsWith(":FLOAT")) {
                FloatBuffer f = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (int i = 0; i < f.limit(); i++) {
                    assertTrue(Float.isFinite(f.get(i)), name + ": " + e.getKey() + "[" + i + "] = " + f.get(i));
                }
            }
        }
    }

    private static void assertBitIdentical(String what, Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": outputs");
        for (String key : expected.keySet()) {
            byte[] a = expected.get(key);
            byte[] b = actual.get(key);
            assertEquals(a.length, b.length, what + ": " + key + " size");
            for (int i = 0; i < a.length; i++) {
                if (a[i] != b[i]) {
                    String detail = "byte " + i;
                    if (key.endsWith(":FLOAT")) {
                        int k = i / 4;
                        FloatBuffer fa = ByteBuffer.wrap(a).order(ByteOrder.nativeOrder()).asFloatBuffer();
                        FloatBuffer fb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).asFloatBuffer();
                        detail = "element " + k + ": " + fa.get(k) + " vs " + fb.get(k);
                    }
                    fail(what + ": " + key + " differs at " + detail);
                }
            }
        }
    }

    // ---- facts, as expected.json defines them, computed from our IR --------------------------------

    private static Map<String, Object> facts(Model model, long fileSize) {
        Graph g = model.graph();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("file_size", fileSize);
        f.put("ir_version", model.irVersion());
        f.put("producer_name", model.producerName());
        f.put("producer_version", model.producerVersion());
        f.put("opset_import", new LinkedHashMap<>(model.opsets()));
        f.put("graph_name", g.name());
        f.put("inputs", ports(g.inputs()));
        f.put("outputs", ports(g.outputs()));
        f.put("node_count", (long) g.nodeCount());
        Map<String, Object> histogram = new TreeMap<>();
        for (Node n : g.nodes()) {
            histogram.merge(n.qualifiedOpType(), 1L, (a, b) -> (Long) a + (Long) b);
        }
        f.put("op_histogram", histogram);
        f.put("initializer_count", (long) g.initializers().size());
        long parameters = 0;
        long bytes = 0;
        for (Value v : g.initializers()) {
            parameters += v.initializer().elementCount();
            bytes += v.initializer().storedByteLength();
        }
        f.put("parameter_count", parameters);
        f.put("initializer_bytes", bytes);
        f.put("inputs_that_are_initializers", g.inputs().stream().filter(p -> p.value().isInitializer()).count());
        long constElements = 0;
        long constBytes = 0;
        for (Node n : g.nodes()) {
            if (n.opType().equals("Constant") && n.isStandardDomain() && n.hasAttribute("value")) {
                TensorProto t = n.attribute("value").asTensor();
                Tensor tensor = Tensor.fromProto(t,
                        t.hasRawData() ? new TensorStorage.InMemory(t.getRawData().asReadOnlyByteBuffer()) : null);
                constElements += tensor.elementCount();
                constBytes += tensor.storedByteLength();
            }
        }
        f.put("constant_node_value_elements", constElements);
        f.put("constant_node_value_bytes", constBytes);
        return f;
    }

    /** Input or output entries as {name, elem_type, shape}; a dim is a number, a symbol or null. */
    private static List<Object> ports(List<Port> ports) {
        List<Object> out = new ArrayList<>();
        for (Port p : ports) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", p.name());
            entry.put("elem_type", (long) Types.elemType(p.declaration().getType()));
            List<Types.Dim> dims = Types.shape(p.declaration().getType());
            List<Object> shape = null;
            if (dims != null) {
                shape = new ArrayList<>();
                for (Types.Dim d : dims) {
                    shape.add(d.isKnown() ? d.value() : d.symbol());
                }
            }
            entry.put("shape", shape);
            out.add(entry);
        }
        return out;
    }
}
