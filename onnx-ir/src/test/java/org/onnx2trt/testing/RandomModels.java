package org.onnx2trt.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.AttributeProto.AttributeType;
import org.onnx2trt.proto.Onnx.DeviceConfigurationProto;
import org.onnx2trt.proto.Onnx.FunctionProto;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.IntIntListEntryProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.NodeDeviceConfigurationProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.OperatorSetIdProto;
import org.onnx2trt.proto.Onnx.ShardedDimProto;
import org.onnx2trt.proto.Onnx.ShardingSpecProto;
import org.onnx2trt.proto.Onnx.SimpleShardedDimProto;
import org.onnx2trt.proto.Onnx.SparseTensorProto;
import org.onnx2trt.proto.Onnx.StringStringEntryProto;
import org.onnx2trt.proto.Onnx.TensorAnnotation;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.proto.Onnx.TensorShapeProto;
import org.onnx2trt.proto.Onnx.TrainingInfoProto;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.DataType;

/**
 * Random but structurally coherent {@code ModelProto}s for round-trip tests. A model uses every
 * message and field the reader passes through: functions, training info, device configurations,
 * attributes of every type (subgraphs whose nodes read values of enclosing graphs included),
 * initializers in raw and typed form for every data type, sparse initializers, value_info,
 * quantization annotations, metadata on every level, omitted optional inputs and outputs, and
 * unknown fields on model, graph, node, attribute, tensor and value-info level.
 *
 * <p>Names are unique in a model and nodes read only names defined before them (except where a
 * seed swaps two nodes, to exercise files out of topological order). Attribute names are unique
 * per node, as the IR keys attributes by name. The same seed gives the same model.
 */
public final class RandomModels {
    /** A generated model and the features it exercises (tags such as {@code attr:GRAPHS}). */
    public record Generated(ModelProto proto, Set<String> features) {}

    private static final int MAX_GRAPH_DEPTH = 2;
    private static final String[] STANDARD_OPS = {
        "Conv", "Relu", "Add", "MatMul", "Gemm", "Reshape", "Concat", "Split", "If", "Loop", "Scan",
        "BatchNormalization", "Dropout", "LSTM", "Resize", "Identity", "Constant", "TopK"
    };
    private static final String[] CUSTOM_OPS = {"FusedConv", "Gelu", "QuantizeLinearX", "Attention", "MyOp"};
    private static final String[] CUSTOM_DOMAINS = {"com.acme", "com.acme.vision", "com.microsoft", "ai.onnx.ml"};
    private static final String[] NAME_PARTS = {
        "conv", "bn", "/model/layer1/Conv", "onnx::Mul_12", "weight", "層", "Grüße", "x:0", "tmp_0", "🙂"
    };
    private static final int[] GRAPH_RESERVED_FIELDS = {3, 4, 6, 7, 8, 9};
    private static final int[] ATTRIBUTE_RESERVED_FIELDS = {12, 16, 17, 18, 19};
    private static final int[] MODEL_UNUSED_FIELDS = {9, 10, 11, 12, 13, 15, 21};
    private static final int[] TENSOR_UNUSED_FIELDS = {15, 17};

    private final Random r;
    private final Set<String> features = new TreeSet<>();
    private int counter;

    private RandomModels(long seed) {
        this.r = new Random(seed);
    }

    /** The model of {@code seed}. */
    public static Generated generate(long seed) {
        RandomModels g = new RandomModels(seed);
        ModelProto proto = g.model();
        return new Generated(proto, Set.copyOf(g.features));
    }

    // ---- model ------------------------------------------------------------------------------

    private ModelProto model() {
        ModelProto.Builder m = ModelProto.newBuilder();
        if (chance(0.95)) {
            m.setIrVersion(3 + r.nextInt(9));
        }
        m.addOpsetImport(opset(chance(0.8) ? "" : "ai.onnx", 7 + r.nextInt(17)));
        m.addOpsetImport(opset("com.acme", 1 + r.nextInt(3)));
        if (chance(0.5)) {
            m.addOpsetImport(opset("ai.onnx.ml", 1 + r.nextInt(4)));
        }
        if (chance(0.3)) {
            m.addOpsetImport(opset("com.microsoft", 1));
        }
        if (chance(0.8)) {
            m.setProducerName(pick("pytorch", "tf2onnx", "PaddlePaddle", "onnx2trt", "skl2onnx", "ünïcødé"));
        }
        if (chance(0.7)) {
            m.setProducerVersion(r.nextInt(3) + "." + r.nextInt(20) + "." + r.nextInt(5));
        }
        if (chance(0.3)) {
            m.setDomain("com.acme.models");
        }
        if (chance(0.3)) {
            m.setModelVersion(r.nextLong());
        }
        if (chance(0.5)) {
            m.setDocString(text());
        }
        m.addAllMetadataProps(metadata("model", 0.6));
        int functions = r.nextInt(3);
        for (int i = 0; i < functions; i++) {
            m.addFunctions(function());
        }
        if (chance(0.3)) {
            m.addTrainingInfo(trainingInfo());
        }
        if (chance(0.3)) {
            m.addConfiguration(DeviceConfigurationProto.newBuilder().setName("mesh" + r.nextInt(4))
                    .setNumDevices(2).addDevice("cuda:0").addDevice("cuda:1"));
            features.add("model:configuration");
        }
        m.setGraph(graph(0, List.of()));
        if (chance(0.5)) {
            m.setUnknownFields(unknown(MODEL_UNUSED_FIELDS));
            features.add("unknown:model");
        }
        return m.build();
    }

    private OperatorSetIdProto opset(String domain, long version) {
        return OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version).build();
    }

    private FunctionProto function() {
        FunctionProto.Builder f = FunctionProto.newBuilder().setName(fresh("Fn")).setDomain("com.acme");
        List<String> names = new ArrayList<>();
        int inputs = 1 + r.nextInt(3);
        for (int i = 0; i < inputs; i++) {
            String in = fresh("fin");
            f.addInput(in);
            names.add(in);
        }
        f.addAttribute("alpha");
        if (chance(0.5)) {
            f.addAttributeProto(AttributeProto.newBuilder().setName("beta").setType(AttributeType.FLOAT).setF(0.5f));
        }
        String last = names.get(0);
        int nodes = 1 + r.nextInt(3);
        for (int i = 0; i < nodes; i++) {
            List<String> defined = new ArrayList<>();
            NodeProto.Builder n = node(MAX_GRAPH_DEPTH, names, defined).toBuilder();
            if (chance(0.5)) { // an attribute bound to the function's own attribute
                n.addAttribute(AttributeProto.newBuilder().setName("alpha_ref").setRefAttrName("alpha")
                        .setType(AttributeType.FLOAT));
                features.add("attr:ref_attr_name");
            }
            f.addNode(n);
            names.addAll(defined);
            last = defined.get(0);
        }
        f.addOutput(last);
        f.addOpsetImport(opset("", 13 + r.nextInt(8)));
        if (chance(0.5)) {
            f.addValueInfo(valueInfo(names.get(r.nextInt(names.size()))));
        }
        if (chance(0.3)) {
            f.setOverload("v" + r.nextInt(3));
        }
        if (chance(0.5)) {
            f.setDocString(text());
        }
        f.addAllMetadataProps(metadata("function", 0.3));
        features.add("model:function");
        return f.build();
    }

    private TrainingInfoProto trainingInfo() {
        TrainingInfoProto.Builder t = TrainingInfoProto.newBuilder()
                .setInitialization(graph(MAX_GRAPH_DEPTH, List.of()))
                .setAlgorithm(graph(MAX_GRAPH_DEPTH, List.of()));
        t.addInitializationBinding(entry("state.w", "init.w"));
        t.addUpdateBinding(entry("state.w", "new.w"));
        features.add("model:training_info");
        return t.build();
    }

    // ---- graphs and nodes -------------------------------------------------------------------

    /**
     * A graph at nesting {@code depth} (0: the main graph) whose nodes may read {@code outer}, the
     * names visible from enclosing graphs.
     */
    private GraphProto graph(int depth, List<String> outer) {
        GraphProto.Builder g = GraphProto.newBuilder();
        if (chance(0.9)) {
            g.setName(fresh(depth == 0 ? "main" : "body"));
        }
        List<String> local = new ArrayList<>();
        List<String> nodeOutputs = new ArrayList<>();
        List<ValueInfoProto> inputs = new ArrayList<>();

        int runtimeInputs = depth == 0 ? 1 + r.nextInt(3) : r.nextInt(3);
        for (int i = 0; i < runtimeInputs; i++) {
            String name = fresh("in");
            inputs.add(valueInfo(name));
            local.add(name);
        }
        int initializers = r.nextInt(depth == 0 ? 7 : 3);
        for (int i = 0; i < initializers; i++) {
            String name = fresh("w");
            g.addInitializer(tensor(name, true));
            local.add(name);
            if (chance(0.3)) { // an initializer listed as an input too: a default a caller may override
                inputs.add(r.nextInt(inputs.size() + 1), valueInfo(name));
                features.add("graph:initializer_as_input");
            }
        }
        if (chance(0.3)) {
            String name = fresh("sparse");
            g.addSparseInitializer(sparse(name));
            local.add(name);
            features.add("graph:sparse_initializer");
            if (chance(0.3)) {
                inputs.add(valueInfo(name));
            }
        }
        g.addAllInput(inputs);

        List<NodeProto> nodes = new ArrayList<>();
        int nodeCount = depth == 0 ? 2 + r.nextInt(8) : 1 + r.nextInt(3);
        for (int i = 0; i < nodeCount; i++) {
            List<String> readable = new ArrayList<>(outer);
            readable.addAll(local);
            List<String> defined = new ArrayList<>();
            nodes.add(node(depth, readable, defined));
            local.addAll(defined);
            nodeOutputs.addAll(defined);
        }
        if (nodes.size() >= 2 && chance(0.15)) { // files need not be in topological order
            int a = r.nextInt(nodes.size());
            int b = r.nextInt(nodes.size());
            nodes.set(a, nodes.set(b, nodes.get(a)));
            features.add("graph:non_topological");
        }
        g.addAllNode(nodes);

        int outputs = (depth == 0 ? 1 : 0) + r.nextInt(3);
        for (int i = 0; i < outputs; i++) {
            List<String> from = nodeOutputs.isEmpty() || chance(0.1) ? local : nodeOutputs;
            if (depth > 0 && !outer.isEmpty() && chance(0.1)) { // a body that passes an outer value through
                from = outer;
                features.add("subgraph:outer_output");
            }
            if (!from.isEmpty()) {
                g.addOutput(valueInfo(from.get(r.nextInt(from.size()))));
            }
        }
        for (String name : local) {
            if (chance(0.3)) {
                g.addValueInfo(valueInfo(name));
                features.add("graph:value_info");
            }
        }
        if (!local.isEmpty() && chance(0.3)) {
            TensorAnnotation.Builder q = TensorAnnotation.newBuilder().setTensorName(local.get(r.nextInt(local.size())));
            q.addQuantParameterTensorNames(entry("SCALE_TENSOR", fresh("scale")));
            q.addQuantParameterTensorNames(entry("ZERO_POINT_TENSOR", fresh("zero_point")));
            g.addQuantizationAnnotation(q);
            features.add("graph:quantization_annotation");
        }
        if (chance(0.3)) {
            g.setDocString(text());
        }
        g.addAllMetadataProps(metadata("graph", 0.3));
        if (chance(0.3)) {
            g.setUnknownFields(unknown(GRAPH_RESERVED_FIELDS));
            features.add("unknown:graph");
        }
        return g.build();
    }

    /** A node reading some of {@code readable}; the names of its outputs are added to {@code defined}. */
    private NodeProto node(int depth, List<String> readable, List<String> defined) {
        NodeProto.Builder n = NodeProto.newBuilder();
        int domainKind = r.nextInt(10);
        if (domainKind < 6) {
            n.setOpType(pick(STANDARD_OPS)); // domain left unset, the usual form
        } else if (domainKind < 8) {
            n.setDomain(domainKind == 6 ? "" : "ai.onnx").setOpType(pick(STANDARD_OPS));
        } else {
            n.setDomain(pick(CUSTOM_DOMAINS)).setOpType(pick(CUSTOM_OPS));
            features.add("node:custom_domain");
        }
        if (chance(0.8)) {
            n.setName(fresh(n.getOpType()));
        }
        int inputs = r.nextInt(5);
        for (int i = 0; i < inputs; i++) {
            if (readable.isEmpty() || chance(0.15)) {
                n.addInput(""); // an omitted optional input
                features.add("node:empty_input");
            } else {
                n.addInput(readable.get(r.nextInt(readable.size())));
            }
        }
        int outputs = 1 + r.nextInt(3);
        for (int i = 0; i < outputs; i++) {
            if (i > 0 && chance(0.2)) {
                n.addOutput(""); // an omitted optional output
                features.add("node:empty_output");
            } else {
                String out = fresh(n.getOpType().toLowerCase() + "_out");
                n.addOutput(out);
                defined.add(out);
            }
        }
        int attributes = r.nextInt(5);
        for (int i = 0; i < attributes; i++) {
            n.addAttribute(attribute("a" + i, depth, readable));
        }
        if (chance(0.2)) {
            if (chance(0.3)) { // damaged text in a doc string must survive byte for byte
                n.setDocStringBytes(ByteString.copyFrom(new byte[] {'b', 'a', 'd', (byte) 0xff, (byte) 0xc0, '!'}));
                features.add("node:invalid_utf8_doc");
            } else {
                n.setDocString(text());
            }
        }
        if (chance(0.1)) {
            n.setOverload("v" + r.nextInt(3));
        }
        n.addAllMetadataProps(metadata("node", 0.2));
        if (chance(0.15)) {
            n.addDeviceConfigurations(deviceConfiguration(n));
            features.add("node:device_configurations");
        }
        if (chance(0.2)) {
            n.setUnknownFields(unknown());
            features.add("unknown:node");
        }
        return n.build();
    }

    private NodeDeviceConfigurationProto deviceConfiguration(NodeProto.Builder n) {
        SimpleShardedDimProto.Builder dim = SimpleShardedDimProto.newBuilder().setNumShards(2);
        if (chance(0.5)) {
            dim.setDimValue(8);
        } else {
            dim.setDimParam("batch");
        }
        return NodeDeviceConfigurationProto.newBuilder()
                .setConfigurationId("mesh" + r.nextInt(4))
                .addShardingSpec(ShardingSpecProto.newBuilder()
                        .setTensorName(n.getOutputCount() > 0 ? n.getOutput(0) : "")
                        .addDevice(0).addDevice(1)
                        .addIndexToDeviceGroupMap(IntIntListEntryProto.newBuilder().setKey(0).addValue(0).addValue(1))
                        .addShardedDim(ShardedDimProto.newBuilder().setAxis(0).addSimpleSharding(dim)))
                .setPipelineStage(r.nextInt(3))
                .build();
    }

    // ---- attributes -------------------------------------------------------------------------

    private AttributeProto attribute(String name, int depth, List<String> readable) {
        AttributeType[] types = AttributeType.values();
        AttributeType type;
        do {
            type = types[r.nextInt(types.length)];
        } while (type == AttributeType.UNDEFINED
                || (depth >= MAX_GRAPH_DEPTH && (type == AttributeType.GRAPH || type == AttributeType.GRAPHS)));
        features.add("attr:" + type);
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (chance(0.9)) {
            a.setType(type);
        } else {
            features.add("attr:type_unset"); // old models leave the type out; the set field says it
        }
        switch (type) {
            case FLOAT -> a.setF(floatValue());
            case INT -> a.setI(r.nextLong());
            case STRING -> a.setS(ByteString.copyFrom(bytes(r.nextInt(12))));
            case TENSOR -> a.setT(tensor(chance(0.5) ? "" : fresh("attr_t"), true));
            case GRAPH -> a.setG(subgraph(depth, readable));
            case SPARSE_TENSOR -> a.setSparseTensor(sparse(fresh("attr_sparse")));
            case TYPE_PROTO -> a.setTp(type(0));
            case FLOATS -> {
                for (int i = 1 + r.nextInt(4); i > 0; i--) {
                    a.addFloats(floatValue());
                }
            }
            case INTS -> {
                for (int i = 1 + r.nextInt(4); i > 0; i--) {
                    a.addInts(r.nextInt(2000) - 1000);
                }
            }
            case STRINGS -> {
                for (int i = 1 + r.nextInt(3); i > 0; i--) {
                    a.addStrings(ByteString.copyFromUtf8(text()));
                }
            }
            case TENSORS -> {
                for (int i = 1 + r.nextInt(3); i > 0; i--) {
                    a.addTensors(tensor(fresh("attr_ts"), true));
                }
            }
            case GRAPHS -> {
                for (int i = 1 + r.nextInt(2); i > 0; i--) {
                    a.addGraphs(subgraph(depth, readable));
                }
            }
            case SPARSE_TENSORS -> {
                for (int i = 1 + r.nextInt(2); i > 0; i--) {
                    a.addSparseTensors(sparse(fresh("attr_sparses")));
                }
            }
            case TYPE_PROTOS -> {
                for (int i = 1 + r.nextInt(3); i > 0; i--) {
                    a.addTypeProtos(type(0));
                }
            }
            default -> throw new AssertionError(type);
        }
        if (chance(0.1)) {
            a.setDocString(text());
        }
        if (chance(0.15)) {
            a.setUnknownFields(unknown(ATTRIBUTE_RESERVED_FIELDS));
            features.add("unknown:attribute");
        }
        return a.build();
    }

    /** A subgraph whose nodes may read the enclosing graphs' {@code readable} names. */
    private GraphProto subgraph(int depth, List<String> readable) {
        GraphProto g = graph(depth + 1, readable);
        if (!readable.isEmpty() && g.getNodeCount() > 0 && !readsAny(g, readable)) {
            // Make sure the body captures an outer value, as If/Loop bodies do.
            NodeProto first = g.getNode(0).toBuilder().addInput(readable.get(r.nextInt(readable.size()))).build();
            g = g.toBuilder().setNode(0, first).build();
        }
        if (readsAny(g, readable)) {
            features.add("subgraph:reads_outer");
        }
        if (depth + 1 == MAX_GRAPH_DEPTH) {
            features.add("subgraph:nested");
        }
        return g;
    }

    private static boolean readsAny(GraphProto g, List<String> names) {
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                if (names.contains(in)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- tensors and types ------------------------------------------------------------------

    /** A tensor of a random type and shape, data in raw_data (if {@code allowRaw}) or typed fields. */
    private TensorProto tensor(String name, boolean allowRaw) {
        DataType[] all = DataType.values();
        DataType type = all[1 + r.nextInt(all.length - 1)];
        int rank = r.nextInt(4);
        long count = 1;
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(type.code());
        if (!name.isEmpty()) {
            t.setName(name);
        }
        for (int i = 0; i < rank; i++) {
            long d = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(4);
            t.addDims(d);
            count *= d;
        }
        if (type == DataType.STRING) {
            for (long i = 0; i < count; i++) {
                t.addStringData(chance(0.8) ? ByteString.copyFromUtf8(text()) : ByteString.copyFrom(bytes(5)));
            }
            features.add("tensor:string");
        } else if (allowRaw && chance(0.5)) {
            t.setRawData(ByteString.copyFrom(bytes((int) type.byteSize(count))));
            features.add("tensor:raw:" + type);
        } else {
            typedData(t, type, count);
            features.add("tensor:typed:" + type);
        }
        if (chance(0.1)) {
            t.setDocString(text());
        }
        if (chance(0.05)) {
            t.setSegment(TensorProto.Segment.newBuilder().setBegin(0).setEnd(count));
            features.add("tensor:segment");
        }
        t.addAllMetadataProps(metadata("tensor", 0.1));
        if (chance(0.15)) {
            t.setUnknownFields(unknown(TENSOR_UNUSED_FIELDS));
            features.add("unknown:tensor");
        }
        return t.build();
    }

    /** Elements in the typed field the ONNX specification gives each type. */
    private void typedData(TensorProto.Builder t, DataType type, long count) {
        switch (type) {
            case FLOAT -> repeat(count, () -> t.addFloatData(floatValue()));
            case COMPLEX64 -> repeat(2 * count, () -> t.addFloatData(floatValue()));
            case DOUBLE -> repeat(count, () -> t.addDoubleData(r.nextGaussian()));
            case COMPLEX128 -> repeat(2 * count, () -> t.addDoubleData(r.nextGaussian()));
            case INT64 -> repeat(count, () -> t.addInt64Data(r.nextLong()));
            case UINT32 -> repeat(count, () -> t.addUint64Data(r.nextInt() & 0xffffffffL));
            case UINT64 -> repeat(count, () -> t.addUint64Data(r.nextLong()));
            case INT32 -> repeat(count, () -> t.addInt32Data(r.nextInt()));
            case INT16 -> repeat(count, () -> t.addInt32Data((short) r.nextInt()));
            case UINT16, FLOAT16, BFLOAT16 -> repeat(count, () -> t.addInt32Data(r.nextInt(1 << 16)));
            case INT8 -> repeat(count, () -> t.addInt32Data((byte) r.nextInt()));
            case BOOL -> repeat(count, () -> t.addInt32Data(r.nextInt(2)));
            // uint8, the float8 types, and packed sub-byte types: one byte per int32_data entry
            default -> repeat(type.byteSize(count), () -> t.addInt32Data(r.nextInt(256)));
        }
    }

    private SparseTensorProto sparse(String name) {
        long rows = 2 + r.nextInt(4);
        long cols = 2 + r.nextInt(4);
        int nnz = 1 + r.nextInt(3);
        TensorProto.Builder values = TensorProto.newBuilder().setName(name)
                .setDataType(DataType.FLOAT.code()).addDims(nnz);
        TensorProto.Builder indices = TensorProto.newBuilder().setDataType(DataType.INT64.code()).addDims(nnz);
        for (int i = 0; i < nnz; i++) {
            values.addFloatData(floatValue());
            indices.addInt64Data(i); // increasing linear indices, all below rows * cols
        }
        return SparseTensorProto.newBuilder().setValues(values).setIndices(indices)
                .addDims(rows).addDims(cols).build();
    }

    private TypeProto type(int depth) {
        TypeProto.Builder t = TypeProto.newBuilder();
        int kind = depth >= 2 ? 0 : r.nextInt(12);
        switch (kind) {
            case 6 -> t.setSequenceType(TypeProto.Sequence.newBuilder().setElemType(type(depth + 1)));
            case 7 -> t.setMapType(TypeProto.Map.newBuilder()
                    .setKeyType(chance(0.5) ? DataType.INT64.code() : DataType.STRING.code())
                    .setValueType(type(depth + 1)));
            case 8 -> t.setOptionalType(TypeProto.Optional.newBuilder().setElemType(type(depth + 1)));
            case 9 -> {
                TypeProto.SparseTensor.Builder s = TypeProto.SparseTensor.newBuilder().setElemType(DataType.FLOAT.code());
                s.setShape(shape());
                t.setSparseTensorType(s);
            }
            case 10 -> t.setOpaqueType(TypeProto.Opaque.newBuilder().setDomain("com.acme").setName("Handle"));
            default -> {
                TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder();
                if (chance(0.95)) {
                    tensor.setElemType(1 + r.nextInt(28));
                }
                if (chance(0.85)) {
                    tensor.setShape(shape());
                }
                t.setTensorType(tensor);
            }
        }
        if (chance(0.05)) {
            t.setDenotation("TENSOR");
        }
        features.add("type:" + t.getValueCase());
        return t.build();
    }

    private TensorShapeProto shape() {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        int rank = r.nextInt(5);
        for (int i = 0; i < rank; i++) {
            TensorShapeProto.Dimension.Builder d = s.addDimBuilder();
            switch (r.nextInt(4)) {
                case 0 -> d.setDimParam(pick("batch", "seq", "N", "height", "unk__3"));
                case 1 -> { } // neither value nor symbol: unknown
                default -> d.setDimValue(r.nextInt(64));
            }
            if (chance(0.05)) {
                d.setDenotation(pick("DATA_BATCH", "DATA_CHANNEL"));
            }
        }
        return s.build();
    }

    private ValueInfoProto valueInfo(String name) {
        ValueInfoProto.Builder v = ValueInfoProto.newBuilder().setName(name);
        if (chance(0.9)) {
            v.setType(type(0));
        }
        if (chance(0.1)) {
            v.setDocString(text());
        }
        v.addAllMetadataProps(metadata("value_info", 0.1));
        if (chance(0.05)) {
            v.setUnknownFields(unknown());
            features.add("unknown:value_info");
        }
        return v.build();
    }

    // ---- small pieces -----------------------------------------------------------------------

    /** 1-3 unknown fields of every wire type, numbered from {@code numbers} or above any the schema uses. */
    private UnknownFieldSet unknown(int... numbers) {
        UnknownFieldSet.Builder b = UnknownFieldSet.newBuilder();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            int number = numbers.length > 0 && chance(0.4) ? numbers[r.nextInt(numbers.length)] : 1000 + r.nextInt(4000);
            UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
            switch (r.nextInt(5)) {
                case 0 -> f.addVarint(r.nextLong());
                case 1 -> f.addFixed32(r.nextInt());
                case 2 -> f.addFixed64(r.nextLong());
                case 3 -> f.addLengthDelimited(ByteString.copyFrom(bytes(r.nextInt(24))));
                default -> f.addGroup(UnknownFieldSet.newBuilder()
                        .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(r.nextInt(100)).build())
                        .build());
            }
            b.mergeField(number, f.build());
        }
        return b.build();
    }

    /** 0-3 metadata_props entries for a message of the given level; each is added with chance {@code p}. */
    private List<StringStringEntryProto> metadata(String level, double p) {
        List<StringStringEntryProto> out = new ArrayList<>();
        while (chance(p) && out.size() < 3) {
            out.add(entry(pick("author", "license", "onnx2trt.note", "键"), text()));
            features.add("metadata:" + level);
        }
        return out;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private float floatValue() {
        return switch (r.nextInt(12)) {
            case 0 -> Float.NaN;
            case 1 -> -0.0f;
            case 2 -> Float.NEGATIVE_INFINITY;
            case 3 -> Float.MIN_VALUE;
            default -> (float) r.nextGaussian();
        };
    }

    private String fresh(String prefix) {
        String decoration = chance(0.2) ? "/" + pick(NAME_PARTS) : "";
        return prefix + decoration + "_" + counter++;
    }

    private String text() {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(4); i >= 0; i--) {
            sb.append(pick(NAME_PARTS)).append(' ');
        }
        return sb.toString().trim();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private boolean chance(double p) {
        return r.nextDouble() < p;
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }

    private static void repeat(long times, Runnable action) {
        for (long i = 0; i < times; i++) {
            action.run();
        }
    }
}
