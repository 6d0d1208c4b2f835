package org.onnx2trt.builder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * Writes small graphs in a few readable lines, for tests, samples and users' own tools:
 *
 * <pre>{@code
 * GraphBuilder b = new GraphBuilder("convbn", 42);
 * Value x = b.input("x", DataType.FLOAT, "batch", 3, 32, 32);
 * Value y = b.op("Conv", x, b.randomWeights("w", 8, 3, 3, 3)).attr("pads", 1, 1, 1, 1).out();
 * y = b.op("Relu", y).out();
 * b.output(y);
 * Model model = b.build();
 * }</pre>
 *
 * Weights come from a seeded generator, so the same calls make the same model. Node and value
 * names are generated ({@code Conv_0}, {@code Conv_0_out}) unless given.
 */
public final class GraphBuilder {
    /** The IR version of built models: 8 is read by every onnxruntime and TensorRT in use. */
    public static final long DEFAULT_IR_VERSION = 8;
    public static final long DEFAULT_OPSET = 17;

    private final Graph graph;
    private final Random random;
    private int nodeCounter;

    public GraphBuilder(String name, long seed) {
        this.graph = Graph.create(name);
        this.random = new Random(seed);
    }

    public GraphBuilder(String name) {
        this(name, 0);
    }

    public Graph graph() {
        return graph;
    }

    /** A graph input; dims are numbers or symbolic names ({@code "batch"}); null is an unknown dim. */
    public Value input(String name, DataType type, Object... dims) {
        return graph.addInput(name, Types.tensor(type, Arrays.asList(dims)));
    }

    /** An initializer holding {@code tensor}. */
    public Value initializer(Tensor tensor) {
        return graph.addInitializer(tensor);
    }

    /** A float32 initializer of the given values. */
    public Value floats(String name, long[] dims, float... values) {
        return initializer(Tensor.ofFloats(name, dims, values));
    }

    /** A 1-D float32 initializer. */
    public Value floats(String name, float... values) {
        return floats(name, new long[] {values.length}, values);
    }

    /** A 1-D int64 initializer (shapes, axes, pads). */
    public Value longs(String name, long... values) {
        return initializer(Tensor.ofLongs(name, new long[] {values.length}, values));
    }

    /** A float32 initializer of standard normal values scaled by {@code 1/sqrt(fan-in)}. */
    public Value randomWeights(String name, long... dims) {
        long fanIn = 1;
        for (int i = 1; i < dims.length; i++) {
            fanIn *= dims[i];
        }
        float scale = (float) (1 / Math.sqrt(Math.max(1, fanIn)));
        return initializer(randomTensor(name, dims, 0, scale));
    }

    /** A float32 initializer of values uniform in [lo, hi). */
    public Value randomUniform(String name, float lo, float hi, long... dims) {
        int n = Math.toIntExact(Tensor.elementCount(dims));
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(lo + (hi - lo) * random.nextFloat());
        }
        return initializer(Tensor.of(name, DataType.FLOAT, dims, b.flip()));
    }

    /** A float32 tensor of normal values with the given mean and standard deviation. */
    public Tensor randomTensor(String name, long[] dims, float mean, float std) {
        int n = Math.toIntExact(Tensor.elementCount(dims));
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(mean + std * (float) random.nextGaussian());
        }
        return Tensor.of(name, DataType.FLOAT, dims, b.flip());
    }

    /** Starts a node of a default-domain op; finish it with {@link Op#out()} or {@link Op#outs(int)}. */
    public Op op(String opType, Value... inputs) {
        return new Op(opType, Arrays.asList(inputs));
    }

    /** A {@code Conv → BatchNormalization → Relu} unit with seeded weights and non-trivial statistics. */
    public Value convBnRelu(Value x, long inChannels, long outChannels, int kernel, int stride) {
        String p = "unit" + nodeCounter;
        int pad = kernel / 2;
        Value conv = op("Conv", x, randomWeights(p + ".conv.weight", outChannels, inChannels, kernel, kernel))
                .attr("kernel_shape", kernel, kernel).attr("pads", pad, pad, pad, pad)
                .attr("strides", stride, stride).out();
        Value bn = batchNorm(conv, p + ".bn", outChannels);
        return op("Relu", bn).out();
    }

    /** A BatchNormalization with random scale, shift, mean and positive variance. */
    public Value batchNorm(Value x, String prefix, long channels) {
        return op("BatchNormalization", x,
                randomUniform(prefix + ".weight", 0.5f, 1.5f, channels),
                randomUniform(prefix + ".bias", -0.5f, 0.5f, channels),
                randomUniform(prefix + ".running_mean", -0.5f, 0.5f, channels),
                randomUniform(prefix + ".running_var", 0.5f, 2f, channels))
                .attr("epsilon", 1e-5f).out();
    }

    /** Lists {@code v} as a graph output of type float32, shape unknown unless the value knows it. */
    public void output(Value v) {
        TypeProto type = v.type();
        graph.addOutput(v, type != null ? type : Types.tensor(DataType.FLOAT));
    }

    /** Lists {@code v} as a graph output of a declared type and shape. */
    public void output(Value v, DataType type, Object... dims) {
        graph.addOutput(v, Types.tensor(type, Arrays.asList(dims)));
    }

    /** The model at IR version 8, opset 17. */
    public Model build() {
        return build(DEFAULT_OPSET);
    }

    public Model build(long opset) {
        return Model.create(graph, DEFAULT_IR_VERSION, opset, "onnx2trt");
    }

    /** A node being built. */
    public final class Op {
        private final String opType;
        private final List<Value> inputs;
        private final List<Attribute> attributes = new ArrayList<>();
        private String domain = "";
        private String name;
        private List<String> outputNames;

        private Op(String opType, List<Value> inputs) {
            this.opType = opType;
            this.inputs = inputs;
        }

        public Op name(String name) {
            this.name = name;
            return this;
        }

        public Op domain(String domain) {
            this.domain = domain;
            return this;
        }

        /** Names the outputs (the default is {@code <node>_out}, {@code <node>_out1}, ...). */
        public Op outputNames(String... names) {
            this.outputNames = List.of(names);
            return this;
        }

        public Op attr(String key, long value) {
            attributes.add(Attribute.ofInt(key, value));
            return this;
        }

        public Op attr(String key, long... values) {
            attributes.add(Attribute.ofInts(key, values));
            return this;
        }

        public Op attr(String key, float value) {
            attributes.add(Attribute.ofFloat(key, value));
            return this;
        }

        public Op attr(String key, float... values) {
            attributes.add(Attribute.ofFloats(key, values));
            return this;
        }

        public Op attr(String key, String value) {
            attributes.add(Attribute.ofString(key, value));
            return this;
        }

        public Op attr(Attribute attribute) {
            attributes.add(attribute);
            return this;
        }

        /** Adds the node with one output and returns it. */
        public Value out() {
            return outs(1).get(0);
        }

        /** Adds the node with {@code count} outputs and returns them. */
        public List<Value> outs(int count) {
            String nodeName = name != null ? name : graph.freshName(opType + "_" + nodeCounter);
            nodeCounter++;
            List<String> names = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                names.add(outputNames != null && i < outputNames.size() ? outputNames.get(i)
                        : graph.freshName(nodeName + "_out" + (i == 0 ? "" : Integer.toString(i))));
            }
            Node n = graph.createNode(domain, opType, nodeName, inputs, names);
            attributes.forEach(n::setAttribute);
            graph.append(n);
            return n.outputs();
        }
    }
}
