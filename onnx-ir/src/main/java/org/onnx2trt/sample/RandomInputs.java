package org.onnx2trt.sample;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;

/**
 * Seeded random inputs for a model's graph inputs: standard normal floats, small non-negative
 * integers (valid as indices into any non-empty axis), random booleans. Symbolic and unknown dims
 * take the size given for their name, else {@code defaultDim}.
 */
public final class RandomInputs {
    private RandomInputs() {}

    /**
     * Inputs for every runtime input of {@code model}.
     *
     * @param symbolSizes sizes for symbolic dims by name (e.g. {@code batch → 2})
     * @param defaultDim the size of any other non-static dim
     */
    public static Map<String, Tensor> forModel(Model model, long seed, Map<String, Long> symbolSizes, long defaultDim) {
        return forModel(model, seed, new InputShapes(Map.of(), symbolSizes, defaultDim));
    }

    /**
     * Inputs for every runtime input of {@code model}, shaped by {@code shapes}. Floats read by an op
     * that needs them non-negative (Sqrt, Log) are drawn as |N(0, 1)|.
     */
    public static Map<String, Tensor> forModel(Model model, long seed, InputShapes shapes) {
        Random random = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Value v : model.graph().runtimeInputs()) {
            int code = Types.elemType(v.type());
            DataType type = DataType.fromCode(code).orElse(DataType.UNDEFINED);
            long[] dims = shapes.shapes().get(v.name());
            if (dims == null) {
                List<Types.Dim> shape = Types.shape(v.type());
                if (shape == null) {
                    throw new IllegalArgumentException("input `" + v.name() + "` has no declared shape; give it with"
                            + " --input-shape " + v.name() + ":D0,D1,...");
                }
                dims = new long[shape.size()];
                for (int i = 0; i < dims.length; i++) {
                    Types.Dim d = shape.get(i);
                    dims[i] = d.isKnown() ? d.value()
                            : d.symbol() != null ? shapes.symbols().getOrDefault(d.symbol(), shapes.defaultDim()) : shapes.defaultDim();
                }
            }
            Tensor t = random(v.name(), type, dims, random);
            if (needsNonNegative(v)) {
                TensorView view = t.mutableView();
                for (int i = 0; i < view.size(); i++) {
                    view.setDouble(i, Math.abs(view.getDouble(i)));
                }
            }
            out.put(v.name(), t);
        }
        return out;
    }

    private static boolean needsNonNegative(Value v) {
        return v.uses().stream().anyMatch(u -> u.index() == 0
                && (u.user().opType().equals("Sqrt") || u.user().opType().equals("Log")));
    }

    /** One random tensor of the given type and shape. */
    public static Tensor random(String name, DataType type, long[] dims, Random random) {
        if (!TensorView.supports(type)) {
            throw new IllegalArgumentException("input `" + name + "`: no random generator for " + type);
        }
        long elements = Tensor.elementCountWithin(dims, InputShapes.MAX_ELEMENTS);
        if (elements < 0) {
            throw new IllegalArgumentException("input `" + name + "` of shape " + java.util.Arrays.toString(dims) + " holds more"
                    + " than " + InputShapes.MAX_ELEMENTS + " elements (the limit of a generated sample: 2 GiB of float32);"
                    + " give a smaller shape with --input-shape " + name + ":D0,D1,..., or samples with --inputs");
        }
        long bytes = type.byteSize(elements);
        Tensor t = Tensor.of(name, type, dims, ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN));
        TensorView view = t.mutableView();
        for (int i = 0; i < view.size(); i++) {
            switch (type) {
                case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> view.setDouble(i, random.nextGaussian());
                case BOOL -> view.setBoolean(i, random.nextBoolean());
                default -> view.setLong(i, random.nextInt(2));
            }
        }
        return t;
    }
}
