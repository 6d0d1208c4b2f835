package org.onnx2trt.ir;

import com.google.protobuf.ByteString;
import java.util.List;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.AttributeProto.AttributeType;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.TensorProto;

/**
 * A node attribute. Plain attributes are their {@code AttributeProto}; graph attributes (the bodies
 * of If, Loop and Scan) also hold their subgraphs as IR {@link Graph}s, which are written back in
 * place of the proto's graphs.
 */
public final class Attribute {
    private final AttributeProto proto;
    private final List<Graph> graphs;

    private Attribute(AttributeProto proto, List<Graph> graphs) {
        this.proto = proto;
        this.graphs = graphs == null ? List.of() : List.copyOf(graphs);
    }

    /** An attribute as read, with its subgraphs converted (empty when it has none). */
    static Attribute read(AttributeProto proto, List<Graph> graphs) {
        return new Attribute(proto, graphs);
    }

    public static Attribute of(AttributeProto proto) {
        if (proto.hasG() || proto.getGraphsCount() > 0) {
            throw new IllegalArgumentException("graph attribute `" + proto.getName() + "`: use Graph.newSubgraph");
        }
        return new Attribute(proto, null);
    }

    public static Attribute ofInt(String name, long value) {
        return of(AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build());
    }

    public static Attribute ofInts(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return of(b.build());
    }

    public static Attribute ofFloat(String name, float value) {
        return of(AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value).build());
    }

    public static Attribute ofFloats(String name, float... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS);
        for (float v : values) {
            b.addFloats(v);
        }
        return of(b.build());
    }

    public static Attribute ofString(String name, String value) {
        return of(AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build());
    }

    public static Attribute ofTensor(String name, TensorProto value) {
        return of(AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(value).build());
    }

    /** A graph attribute over subgraphs made with {@link Graph#newSubgraph}. */
    public static Attribute ofGraph(String name, Graph body) {
        return new Attribute(AttributeProto.newBuilder().setName(name).setType(AttributeType.GRAPH).build(),
                List.of(body));
    }

    public String name() {
        return proto.getName();
    }

    /** The attribute's type; inferred from the set field for old models that leave it out. */
    public AttributeType type() {
        if (proto.hasType() && proto.getType() != AttributeType.UNDEFINED) {
            return proto.getType();
        }
        if (proto.hasF()) return AttributeType.FLOAT;
        if (proto.hasI()) return AttributeType.INT;
        if (proto.hasS()) return AttributeType.STRING;
        if (proto.hasT()) return AttributeType.TENSOR;
        if (proto.hasG()) return AttributeType.GRAPH;
        if (proto.getFloatsCount() > 0) return AttributeType.FLOATS;
        if (proto.getIntsCount() > 0) return AttributeType.INTS;
        if (proto.getStringsCount() > 0) return AttributeType.STRINGS;
        if (proto.getTensorsCount() > 0) return AttributeType.TENSORS;
        if (proto.getGraphsCount() > 0) return AttributeType.GRAPHS;
        return AttributeType.UNDEFINED;
    }

    /** The proto, with subgraphs as read (see {@link #graphs()} for the live ones). */
    public AttributeProto proto() {
        return proto;
    }

    /** The subgraphs this attribute holds: one for GRAPH, several for GRAPHS, none otherwise. */
    public List<Graph> graphs() {
        return graphs;
    }

    public long asInt() {
        return proto.getI();
    }

    public float asFloat() {
        return proto.getF();
    }

    public String asString() {
        return proto.getS().toStringUtf8();
    }

    public List<Long> asInts() {
        return proto.getIntsList();
    }

    public List<Float> asFloats() {
        return proto.getFloatsList();
    }

    public TensorProto asTensor() {
        return proto.getT();
    }

    /** The proto to write: the original, with the live subgraphs written in. */
    AttributeProto toProto(TensorEncoder encoder) {
        if (graphs.isEmpty()) {
            return proto;
        }
        AttributeProto.Builder b = proto.toBuilder();
        if (type() == AttributeType.GRAPH) {
            b.setG(graphs.get(0).toProto(encoder));
        } else {
            b.clearGraphs();
            for (Graph g : graphs) {
                b.addGraphs(g.toProto(encoder));
            }
        }
        return b.build();
    }

    static boolean hasGraphs(AttributeProto proto) {
        return proto.hasG() || proto.getGraphsCount() > 0;
    }

    static List<GraphProto> graphProtos(AttributeProto proto) {
        return proto.hasG() ? List.of(proto.getG()) : proto.getGraphsList();
    }
}
