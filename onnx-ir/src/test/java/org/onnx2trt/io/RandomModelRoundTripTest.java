package org.onnx2trt.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.AttributeProto.AttributeType;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.testing.MemoryTempDir;
import org.onnx2trt.testing.ProtoDiff;
import org.onnx2trt.testing.RandomModels;

/**
 * Random protobuf-level models (see {@link RandomModels}) survive the IR and a write/read through a
 * file unchanged, byte for byte: unknown fields, functions, training info, subgraphs and all.
 *
 * <p>A failure names its seed; {@code RandomModels.generate(seed)} rebuilds the model.
 */
class RandomModelRoundTripTest {
    /** The fixed seed list: the same 200 models on every run. */
    static LongStream seeds() {
        return LongStream.range(0, 200).map(i -> 20240601L + 7919L * i);
    }

    private static final Map<Long, RandomModels.Generated> MODELS = new ConcurrentHashMap<>();

    /** The model of a seed, generated once per run and shared (protos are immutable). */
    private static ModelProto model(long seed) {
        return MODELS.computeIfAbsent(seed, RandomModels::generate).proto();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void protoSurvivesItsOwnSerialization(long seed) throws InvalidProtocolBufferException {
        ModelProto proto = model(seed);
        byte[] bytes = proto.toByteArray();
        assertEqualProtos(seed, "ModelProto.parseFrom", proto, ModelProto.parseFrom(bytes));
        assertEqualProtos(seed, "ModelReader.parse (aliasing)", proto, ModelReader.parse(bytes, Path.of("random.onnx")));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void irRoundTripIsLossless(long seed) {
        ModelProto proto = model(seed);
        ModelProto back = Model.fromProto(proto).toProto();
        assertEqualProtos(seed, "Model.fromProto(proto).toProto()", proto, back);
        assertArrayEquals(proto.toByteArray(), back.toByteArray(), "seed " + seed + ": serialized bytes differ");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fileRoundTripIsLossless(long seed, @TempDir(factory = MemoryTempDir.class) Path dir) throws IOException {
        ModelProto proto = model(seed);
        Path file = dir.resolve("model.onnx");
        WriteResult result = ModelWriter.write(Model.fromProto(proto), file, WriteOptions.keep());
        assertNull(result.dataFile(), "seed " + seed + ": no tensor was external, so no side file");
        assertArrayEquals(proto.toByteArray(), Files.readAllBytes(file), "seed " + seed + ": the written file");
        assertEqualProtos(seed, "ModelReader.read(file).toProto()", proto, ModelReader.read(file).toProto());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "seed " + seed + ": only the model is left in the folder");
        }
    }

    /**
     * Through a side file and back inline: every initializer, subgraphs' included, keeps its bytes,
     * type, shape and non-data fields; everything else of the model is unchanged.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void externalRoundTripKeepsEveryTensor(long seed, @TempDir(factory = MemoryTempDir.class) Path dir) {
        ModelProto proto = model(seed);
        Model original = Model.fromProto(proto);
        Path external = dir.resolve("external.onnx");
        WriteResult result = ModelWriter.write(original, external, WriteOptions.external(16));
        Model read = ModelReader.read(external);

        List<Tensor> before = ModelWriter.allInitializers(original);
        List<Tensor> after = ModelWriter.allInitializers(read);
        assertEquals(before.size(), after.size(), "seed " + seed + ": initializer count");
        int externalCount = 0;
        for (int i = 0; i < before.size(); i++) {
            Tensor a = before.get(i);
            Tensor b = after.get(i);
            String where = "seed " + seed + ", tensor `" + a.name() + "` (" + a.dataType() + "): ";
            assertEquals(a.name(), b.name(), where + "name");
            assertEquals(a.dataTypeCode(), b.dataTypeCode(), where + "type");
            assertArrayEquals(a.dims(), b.dims(), where + "dims");
            if (a.dataType().isFixedSize()) {
                assertEquals(a.bytes(), b.bytes(), where + "bytes");
                assertEquals(a.storedByteLength() >= 16, b.isExternal(), where + "external");
                externalCount += b.isExternal() ? 1 : 0;
            } else {
                assertEquals(a.original().getStringDataList(), b.original().getStringDataList(), where + "strings");
                assertFalse(b.isExternal(), where + "strings stay inline");
            }
        }
        assertEquals(externalCount, result.externalTensors(), "seed " + seed);

        Path inline = dir.resolve("inline.onnx");
        ModelWriter.write(read, inline, WriteOptions.inline());
        ModelProto back = ModelReader.parse(inline);
        assertEqualProtos(seed, "the model, initializer data aside,", withoutInitializerData(proto),
                withoutInitializerData(back));
    }

    /** The model with every initializer's data fields cleared, subgraphs included. */
    private static ModelProto withoutInitializerData(ModelProto m) {
        return m.toBuilder().setGraph(withoutInitializerData(m.getGraph())).build();
    }

    private static GraphProto withoutInitializerData(GraphProto g) {
        GraphProto.Builder b = g.toBuilder();
        for (TensorProto.Builder t : b.getInitializerBuilderList()) {
            t.clearRawData().clearFloatData().clearInt32Data().clearInt64Data().clearDoubleData()
                    .clearUint64Data().clearExternalData().clearDataLocation();
        }
        for (NodeProto.Builder n : b.getNodeBuilderList()) {
            for (AttributeProto.Builder a : n.getAttributeBuilderList()) {
                if (a.hasG()) {
                    a.setG(withoutInitializerData(a.getG()));
                }
                for (int i = 0; i < a.getGraphsCount(); i++) {
                    a.setGraphs(i, withoutInitializerData(a.getGraphs(i)));
                }
            }
        }
        return b.build();
    }

    /** The IR sees every node and subgraph, and a subgraph's read of an outer name finds the outer value. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void importResolvesSubgraphReadsToEnclosingScopes(long seed) {
        ModelProto proto = model(seed);
        Model model = Model.fromProto(proto);
        checkGraph(seed, proto.getGraph(), model.graph());
    }

    private static void checkGraph(long seed, GraphProto proto, Graph graph) {
        String where = "seed " + seed + ", " + graph + ": ";
        assertEquals(proto.getNodeCount(), graph.nodeCount(), where + "node count");
        List<Node> nodes = graph.nodeList();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            NodeProto np = proto.getNode(i);
            assertEquals(np.getOpType(), node.opType(), where + "node " + i);
            assertEquals(np.getInputCount(), node.inputCount(), where + node + " inputs");
            for (int k = 0; k < np.getInputCount(); k++) {
                Value v = node.input(k);
                if (np.getInput(k).isEmpty()) {
                    assertNull(v, where + node + " input " + k + " is omitted");
                    continue;
                }
                assertEquals(np.getInput(k), v.name());
                assertSame(graph.lookup(v.name()), v, where + node + " reads `" + v.name() + "` of the nearest scope");
                assertTrue(v.uses().stream().anyMatch(u -> u.user() == node), where + "use list of " + v);
                if (graph.parent() != null && !graph.values().containsKey(v.name())) {
                    assertFalse(v.graph() == graph, where + "`" + v.name() + "` belongs to an enclosing graph");
                    assertTrue(graph.owner().implicitInputs().contains(v),
                            where + "`" + v.name() + "` is an implicit input of " + graph.owner());
                }
            }
            List<GraphProto> subProtos = new ArrayList<>();
            for (AttributeProto a : np.getAttributeList()) {
                if (a.hasG()) {
                    subProtos.add(a.getG());
                }
                subProtos.addAll(a.getGraphsList());
            }
            List<Graph> subs = node.subgraphs();
            assertEquals(subProtos.size(), subs.size(), where + node + " subgraphs");
            for (int k = 0; k < subs.size(); k++) {
                assertSame(graph, subs.get(k).parent());
                assertSame(node, subs.get(k).owner());
                checkGraph(seed, subProtos.get(k), subs.get(k));
            }
        }
    }

    /** The comparison is not vacuous: a change shows in the proto, and undoing it restores the original. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void renamingAnInputShowsAndRenamingBackRestores(long seed) {
        ModelProto proto = model(seed);
        Model model = Model.fromProto(proto);
        Value input = model.graph().inputs().get(0).value();
        String name = input.name();
        input.rename("renamed_input");
        ModelProto changed = model.toProto();
        assertNotEquals(proto, changed, "seed " + seed);
        assertEquals("renamed_input", changed.getGraph().getInput(0).getName());
        assertFalse(containsName(changed.getGraph(), name), "seed " + seed + ": `" + name + "` is read nowhere any more");
        input.rename(name);
        assertEqualProtos(seed, "after renaming back", proto, model.toProto());
    }

    private static boolean containsName(GraphProto g, String name) {
        for (NodeProto n : g.getNodeList()) {
            if (n.getInputList().contains(name)) {
                return true;
            }
            for (AttributeProto a : n.getAttributeList()) {
                if ((a.hasG() && containsName(a.getG(), name))
                        || a.getGraphsList().stream().anyMatch(sub -> containsName(sub, name))) {
                    return true;
                }
            }
        }
        return g.getInputList().stream().anyMatch(v -> v.getName().equals(name))
                || g.getInitializerList().stream().anyMatch(t -> t.getName().equals(name));
    }

    /** The seeds exercise what the generator promises; a generator that stopped doing so would hide bugs. */
    @Test
    void seedsCoverEveryFeature() {
        Set<String> seen = new TreeSet<>();
        seeds().forEach(seed -> seen.addAll(MODELS.computeIfAbsent(seed, RandomModels::generate).features()));
        Set<String> required = new TreeSet<>(List.of(
                "unknown:model", "unknown:graph", "unknown:node", "unknown:attribute", "unknown:tensor",
                "unknown:value_info", "model:function", "model:training_info", "model:configuration",
                "graph:initializer_as_input", "graph:sparse_initializer", "graph:value_info",
                "graph:quantization_annotation", "graph:non_topological", "metadata:model", "metadata:function",
                "metadata:graph", "metadata:node", "metadata:tensor", "metadata:value_info",
                "node:custom_domain", "node:empty_input", "node:empty_output", "node:device_configurations",
                "node:invalid_utf8_doc", "attr:type_unset", "attr:ref_attr_name",
                "subgraph:reads_outer", "subgraph:nested", "subgraph:outer_output", "tensor:string",
                "tensor:segment", "type:TENSOR_TYPE", "type:SEQUENCE_TYPE", "type:MAP_TYPE",
                "type:OPTIONAL_TYPE", "type:SPARSE_TENSOR_TYPE", "type:OPAQUE_TYPE"));
        for (AttributeType t : AttributeType.values()) {
            if (t != AttributeType.UNDEFINED) {
                required.add("attr:" + t);
            }
        }
        for (DataType t : DataType.values()) {
            if (t.isFixedSize()) {
                required.add("tensor:raw:" + t);
                required.add("tensor:typed:" + t);
            }
        }
        required.removeAll(seen);
        assertEquals(Set.of(), required, "features no seed exercises");
    }

    private static void assertEqualProtos(long seed, String what, ModelProto expected, ModelProto actual) {
        String diff = ProtoDiff.firstDifference(expected, actual);
        assertNull(diff, () -> "seed " + seed + ": " + what + " differs from the generated model; " + diff);
    }
}
