package org.onnx2trt.verify.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;
import org.onnx2trt.verify.ModelRunner;

/**
 * Deep classification networks of the shapes deployment engineers ship (ResNet-50, RegNetX-400MF,
 * EfficientNet-B0: full depth, width scaled by a divisor), with batch-norm statistics that look
 * trained: each BatchNormalization's mean and variance are those its input really has on random
 * images (calibrated by running the model), jittered, a few channels nearly dead (variance near 0, where
 * ε dominates), scales and shifts spread as in trained networks. Random statistics would let the
 * activations grow or vanish over 50 layers; these keep them at the scale a real export has, so the
 * float32 rounding of a rewrite accumulates as it does on a real model.
 *
 * <p>Opset 17, one input {@code image} of shape [1, 3, size, size], one output {@code logits} [1, 1000].
 */
public final class DeepModels {
    private final GraphBuilder b;
    private final Random random;
    private int counter;

    private DeepModels(String name, long seed) {
        this.b = new GraphBuilder(name, seed);
        this.random = new Random(seed);
    }

    /** ResNet-50: bottleneck stages of 3, 4, 6 and 3 blocks, widths 64–2048 divided by {@code divisor}. */
    public static Model resnet50(int divisor, int size, long seed) {
        DeepModels m = new DeepModels("resnet50", seed);
        Value x = m.b.input("image", DataType.FLOAT, 1, 3, size, size);
        int stem = 64 / divisor;
        Value y = m.relu(m.bn(m.conv(x, 3, stem, 7, 2, 1), stem));
        y = m.b.op("MaxPool", y).attr("kernel_shape", 3, 3).attr("strides", 2, 2).attr("pads", 1, 1, 1, 1).out();
        int in = stem;
        int[] blocks = {3, 4, 6, 3};
        for (int stage = 0; stage < 4; stage++) {
            int mid = (64 << stage) / divisor;
            int out = mid * 4;
            for (int i = 0; i < blocks[stage]; i++) {
                y = m.bottleneck(y, in, mid, out, i == 0 && stage > 0 ? 2 : 1, 1, i == 0);
                in = out;
            }
        }
        return m.finish(y, in, seed);
    }

    /** RegNetX-400MF: stages of 1, 2, 7 and 12 blocks, widths 32–400 divided by {@code divisor}, groups of 16 channels. */
    public static Model regnetX400mf(int divisor, int size, long seed) {
        DeepModels m = new DeepModels("regnetx400mf", seed);
        Value x = m.b.input("image", DataType.FLOAT, 1, 3, size, size);
        int stem = Math.max(8, 32 / divisor);
        Value y = m.relu(m.bn(m.conv(x, 3, stem, 3, 2, 1), stem));
        int in = stem;
        int[] depths = {1, 2, 7, 12};
        int[] widths = {32, 64, 160, 400};
        for (int stage = 0; stage < 4; stage++) {
            int w = Math.max(16, widths[stage] / divisor / 16 * 16);
            int groups = w / 16;
            for (int i = 0; i < depths[stage]; i++) {
                y = m.bottleneck(y, in, w, w, i == 0 ? 2 : 1, groups, i == 0);
                in = w;
            }
        }
        return m.finish(y, in, seed);
    }

    /** EfficientNet-B0: 16 MBConv blocks (depthwise convolutions, squeeze-excitation, SiLU), widths divided by {@code divisor}. */
    public static Model efficientnetB0(int divisor, int size, long seed) {
        DeepModels m = new DeepModels("efficientnetb0", seed);
        Value x = m.b.input("image", DataType.FLOAT, 1, 3, size, size);
        int stem = Math.max(8, 32 / divisor);
        Value y = m.silu(m.bn(m.conv(x, 3, stem, 3, 2, 1), stem));
        int in = stem;
        int[][] stages = {{1, 16, 1, 1, 3}, {6, 24, 2, 2, 3}, {6, 40, 2, 2, 5}, {6, 80, 3, 2, 3}, {6, 112, 3, 1, 5},
                {6, 192, 4, 2, 5}, {6, 320, 1, 1, 3}}; // expansion, width, repeats, stride, kernel
        for (int[] s : stages) {
            int out = Math.max(8, s[1] / divisor);
            for (int i = 0; i < s[2]; i++) {
                int stride = i == 0 ? s[3] : 1;
                int wide = in * s[0];
                Value h = y;
                if (s[0] != 1) {
                    h = m.silu(m.bn(m.conv(h, in, wide, 1, 1, 1), wide));
                }
                h = m.silu(m.bn(m.conv(h, wide, wide, s[4], stride, wide), wide));
                h = m.squeezeExcite(h, wide, Math.max(1, in / 4));
                h = m.bn(m.conv(h, wide, out, 1, 1, 1), out);
                y = stride == 1 && in == out ? m.b.op("Add", h, y).out() : h;
                in = out;
            }
        }
        int head = Math.max(16, 1280 / divisor);
        y = m.silu(m.bn(m.conv(y, in, head, 1, 1, 1), head));
        return m.finish(y, head, seed);
    }

    // ---- the layers --------------------------------------------------------------------------------

    /**
     * A residual bottleneck: 1×1 to {@code mid}, 3×3 of {@code stride} in {@code groups}, 1×1 to
     * {@code out}, each with its BN, added to the input (through a strided 1×1 with BN when {@code project}).
     */
    private Value bottleneck(Value y, int in, int mid, int out, int stride, int groups, boolean project) {
        Value h = relu(bn(conv(y, in, mid, 1, 1, 1), mid));
        h = relu(bn(conv(h, mid, mid, 3, stride, groups), mid));
        h = bn(conv(h, mid, out, 1, 1, 1), out);
        Value skip = project ? bn(conv(y, in, out, 1, stride, 1), out) : y;
        return relu(b.op("Add", h, skip).out());
    }

    /** A Conv without bias, He-initialized; now and then a nearly dead output channel (a pruned filter). */
    private Value conv(Value x, int in, int out, int kernel, int stride, int groups) {
        String p = "layer" + (counter++);
        long[] dims = {out, in / groups, kernel, kernel};
        double std = Math.sqrt(2.0 / (in / groups * kernel * kernel));
        Tensor w = b.randomTensor(p + ".weight", dims, 0, (float) std);
        TensorView view = w.mutableView();
        int perFilter = (in / groups) * kernel * kernel;
        for (int o = 0; o < out; o++) {
            if (random.nextInt(33) == 0) {
                for (int k = 0; k < perFilter; k++) {
                    view.setFloat(o * perFilter + k, view.getFloat(o * perFilter + k) * 1e-3f);
                }
            }
        }
        int pad = kernel / 2;
        return b.op("Conv", x, b.initializer(w)).attr("kernel_shape", kernel, kernel).attr("strides", stride, stride)
                .attr("pads", pad, pad, pad, pad).attr("group", groups).out();
    }

    /** A BatchNormalization whose statistics {@link #calibrate} fills in; scale and shift as trained ones spread. */
    private Value bn(Value x, int channels) {
        String p = "layer" + (counter++);
        float[] gamma = new float[channels];
        float[] beta = new float[channels];
        for (int c = 0; c < channels; c++) {
            gamma[c] = (float) Math.abs(0.6 + 0.35 * random.nextGaussian());
            beta[c] = (float) (0.25 * random.nextGaussian());
        }
        long[] dims = {channels};
        return b.op("BatchNormalization", x, b.floats(p + ".weight", dims, gamma), b.floats(p + ".bias", dims, beta),
                b.floats(p + ".running_mean", dims, new float[channels]), b.floats(p + ".running_var", dims, ones(channels)))
                .attr("epsilon", 1e-5f).out();
    }

    private Value relu(Value x) {
        return b.op("Relu", x).out();
    }

    private Value silu(Value x) {
        return b.op("Mul", x, b.op("Sigmoid", x).out()).out();
    }

    private Value squeezeExcite(Value x, int channels, int reduced) {
        Value s = b.op("GlobalAveragePool", x).out();
        s = b.op("Conv", s, b.randomWeights("layer" + (counter++) + ".weight", reduced, channels, 1, 1),
                b.floats("layer" + (counter++) + ".bias", new long[] {reduced}, new float[reduced])).out();
        s = silu(s);
        s = b.op("Conv", s, b.randomWeights("layer" + (counter++) + ".weight", channels, reduced, 1, 1),
                b.floats("layer" + (counter++) + ".bias", new long[] {channels}, new float[channels])).out();
        return b.op("Mul", x, b.op("Sigmoid", s).out()).out();
    }

    private Model finish(Value y, int channels, long seed) {
        Value pooled = b.op("GlobalAveragePool", y).out();
        Value flat = b.op("Flatten", pooled).attr("axis", 1).out();
        Value logits = b.op("Gemm", flat, b.randomWeights("fc.weight", 1000, channels),
                b.floats("fc.bias", new long[] {1000}, new float[1000])).attr("transB", 1).outputNames("logits").out();
        b.output(logits, DataType.FLOAT, 1, 1000);
        Model model = b.build(17);
        calibrate(model, seed);
        return model;
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    // ---- statistics ---------------------------------------------------------------------------------

    /**
     * Sets every BatchNormalization's mean and variance to those of its input on a random image,
     * layer by layer: a BN is calibrated once every BN before it is (one run per level of BNs, in one
     * onnxruntime session that takes the statistics as inputs), then jittered as trained statistics are
     * (mean by 5% of the spread, variance by a factor e^N(0, 0.2)).
     */
    private void calibrate(Model model, long seed) {
        Map<Node, Integer> level = new java.util.LinkedHashMap<>();
        Map<Value, Integer> upstream = new java.util.HashMap<>();
        for (Node n : model.graph().nodes()) {
            int before = 0;
            for (Value in : n.inputs()) {
                before = Math.max(before, in == null ? 0 : upstream.getOrDefault(in, 0));
            }
            int here = before;
            if (n.opType().equals("BatchNormalization")) {
                here = before + 1;
                level.put(n, here);
            }
            for (Value out : n.outputs()) {
                upstream.put(out, here);
            }
        }
        org.onnx2trt.proto.Onnx.ModelProto.Builder proto = model.toProto().toBuilder();
        Map<String, Tensor> statistics = new java.util.LinkedHashMap<>();
        for (Node bn : level.keySet()) {
            for (int k = 3; k <= 4; k++) { // running mean and variance: fed as inputs while calibrating
                Tensor t = bn.input(k).initializer();
                statistics.put(t.name(), t);
                proto.getGraphBuilder().addInput(org.onnx2trt.proto.Onnx.ValueInfoProto.newBuilder().setName(t.name())
                        .setType(org.onnx2trt.ir.Types.tensor(DataType.FLOAT, t.dims()[0])));
            }
        }
        // Plain inputs, not initializers listed as inputs: onnxruntime's Java API feeds required inputs only.
        List<org.onnx2trt.proto.Onnx.TensorProto> weights = new ArrayList<>(proto.getGraph().getInitializerList());
        weights.removeIf(t -> statistics.containsKey(t.getName()));
        proto.getGraphBuilder().clearInitializer().addAllInitializer(weights);
        Model overridable = Model.fromProto(proto.build());
        List<String> bnInputs = level.keySet().stream().map(n -> n.input(0).name()).toList();
        Map<String, Tensor> feed = new java.util.LinkedHashMap<>(RandomInputs.forModel(model, seed, Map.of(), 1));
        int levels = level.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        try (ModelRunner runner = ModelRunner.open(overridable, bnInputs)) {
            for (int l = 1; l <= levels; l++) {
                feed.putAll(statistics);
                Map<String, Tensor> values = runner.run(feed);
                for (Map.Entry<Node, Integer> e : level.entrySet()) {
                    if (e.getValue() == l) {
                        setStatistics(e.getKey(), values.get(e.getKey().input(0).name()));
                    }
                }
            }
        }
    }

    private void setStatistics(Node bn, Tensor input) {
        long[] dims = input.dims();
        int channels = (int) dims[1];
        int spatial = (int) (input.elementCount() / dims[0] / channels);
        TensorView x = input.view();
        TensorView mean = bn.input(3).initializer().mutableView();
        TensorView var = bn.input(4).initializer().mutableView();
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            double squares = 0;
            int count = 0;
            for (int n = 0; n < dims[0]; n++) {
                int base = (n * channels + c) * spatial;
                for (int k = 0; k < spatial; k++) {
                    double v = x.getDouble(base + k);
                    sum += v;
                    squares += v * v;
                    count++;
                }
            }
            double m = sum / count;
            double v = Math.max(squares / count - m * m, 1e-12);
            mean.setFloat(c, (float) (m + 0.05 * Math.sqrt(v) * random.nextGaussian()));
            var.setFloat(c, (float) (v * Math.exp(0.2 * random.nextGaussian())));
        }
    }
}
