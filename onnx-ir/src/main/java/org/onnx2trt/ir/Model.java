package org.onnx2trt.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.onnx2trt.proto.Onnx.FunctionProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.OperatorSetIdProto;
import org.onnx2trt.proto.Onnx.StringStringEntryProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.tensor.Tensor;

/**
 * A model: its main graph, the opsets it imports, and the header fields. Everything else of the
 * {@code ModelProto} (functions, training info, device configurations, unknown fields) is kept from
 * the original and written back unchanged.
 */
public final class Model {
    private final ModelProto header;
    private final Graph graph;
    private final List<OperatorSetIdProto> opsets;
    private final List<StringStringEntryProto> metadata;
    private boolean opsetsChanged;
    private boolean metadataChanged;

    private Model(ModelProto header, Graph graph) {
        this.header = header;
        this.graph = graph;
        this.opsets = new ArrayList<>(header.getOpsetImportList());
        this.metadata = new ArrayList<>(header.getMetadataPropsList());
    }

    /** The IR of a proto; {@code tensors} turns each initializer proto into a {@link Tensor}. */
    public static Model fromProto(ModelProto proto, Function<TensorProto, Tensor> tensors) {
        Graph graph = new GraphImporter(tensors).importGraph(proto.getGraph(), null, null);
        return new Model(proto.toBuilder().clearGraph().build(), graph);
    }

    /** The IR of a proto whose tensors hold their data inline. */
    public static Model fromProto(ModelProto proto) {
        return fromProto(proto, Tensor::fromProto);
    }

    /** A new model around {@code graph}, importing the default ONNX domain at {@code opsetVersion}. */
    public static Model create(Graph graph, long irVersion, long opsetVersion, String producerName) {
        ModelProto header = ModelProto.newBuilder()
                .setIrVersion(irVersion)
                .setProducerName(producerName)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opsetVersion))
                .build();
        return new Model(header, graph);
    }

    public Graph graph() {
        return graph;
    }

    public long irVersion() {
        return header.getIrVersion();
    }

    public String producerName() {
        return header.getProducerName();
    }

    public String producerVersion() {
        return header.getProducerVersion();
    }

    public String domain() {
        return header.getDomain();
    }

    public long modelVersion() {
        return header.getModelVersion();
    }

    public String docString() {
        return header.getDocString();
    }

    /** Imported opsets, domain to version; the default domain is {@code ""}. */
    public Map<String, Long> opsets() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (OperatorSetIdProto o : opsets) {
            out.put(o.getDomain().equals("ai.onnx") ? "" : o.getDomain(), o.getVersion());
        }
        return out;
    }

    /** The imported version of a domain ({@code ""} for the default one), or -1 when not imported. */
    public long opsetVersion(String domain) {
        return opsets().getOrDefault(domain, -1L);
    }

    /** Imports {@code domain} at {@code version}, replacing an earlier import of it. */
    public void setOpsetVersion(String domain, long version) {
        opsetsChanged = true;
        opsets.removeIf(o -> o.getDomain().equals(domain) || (domain.isEmpty() && o.getDomain().equals("ai.onnx")));
        opsets.add(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version).build());
    }

    /** The model-level functions, as read. */
    public List<FunctionProto> functions() {
        return header.getFunctionsList();
    }

    /** The model's metadata_props, key to value (a later duplicate key wins). */
    public Map<String, String> metadata() {
        Map<String, String> out = new LinkedHashMap<>();
        metadata.forEach(e -> out.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(out);
    }

    /** Sets a metadata_props entry, replacing entries of the same key. */
    public void putMetadata(String key, String value) {
        metadataChanged = true;
        metadata.removeIf(e -> e.getKey().equals(key));
        metadata.add(StringStringEntryProto.newBuilder().setKey(key).setValue(value).build());
    }

    /** The proto form, tensors written as they were read. */
    public ModelProto toProto() {
        return toProto(TensorEncoder.INLINE);
    }

    /** The proto form, tensors written by {@code encoder}. */
    public ModelProto toProto(TensorEncoder encoder) {
        ModelProto.Builder b = header.toBuilder().setGraph(graph.toProto(encoder));
        if (opsetsChanged) {
            b.clearOpsetImport().addAllOpsetImport(opsets);
        }
        if (metadataChanged) {
            b.clearMetadataProps().addAllMetadataProps(metadata);
        }
        return b.build();
    }
}
