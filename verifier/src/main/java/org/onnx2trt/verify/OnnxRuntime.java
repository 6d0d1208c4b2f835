package org.onnx2trt.verify;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * Runs models in onnxruntime (CPU). One environment per process; every session and tensor made
 * here is closed before a call returns, so thousands of runs leak no native memory.
 */
public final class OnnxRuntime {
    private static OrtEnvironment environment;

    /** onnxruntime as the {@link ModelExecutor} of transforms: each session is a {@link ModelRunner}. */
    public static final ModelExecutor EXECUTOR = ModelRunner::open;

    private OnnxRuntime() {}

    /**
     * The process-wide environment, made on first use (loads the native library, ~0.3 s). Logging is
     * fatal-only: every failure reaches the caller as an exception carrying onnxruntime's message.
     */
    public static synchronized OrtEnvironment environment() {
        if (environment == null) {
            environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "onnx2trt");
        }
        return environment;
    }

    /**
     * Runs the model file (its external data resolved next to it) on {@code inputs}, keyed by input
     * name, and returns every graph output by name, in the graph's order. Optimizations are off so
     * the model runs as written.
     */
    public static Map<String, Tensor> run(Path model, Map<String, Tensor> inputs) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = environment().createSession(model.toString(), options)) {
                return run(session, inputs);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("onnxruntime could not run " + model + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Tensor> run(OrtSession session, Map<String, Tensor> inputs) throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                feeds.put(e.getKey(), toOrt(e.getValue()));
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    out.put(e.getKey(), fromOrt(e.getKey(), e.getValue()));
                }
            }
            return out;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    static OnnxTensor toOrt(Tensor t) throws OrtException {
        ByteBuffer src = t.bytes();
        ByteBuffer direct = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
        direct.put(src).flip();
        return OnnxTensor.createTensor(environment(), direct, t.dims(), javaType(t.dataType()));
    }

    private static Tensor fromOrt(String name, OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new IllegalStateException("output `" + name + "` is a " + value.getType() + ", not a tensor");
        }
        TensorInfo info = tensor.getInfo();
        DataType type = dataType(info.type);
        ByteBuffer bytes = tensor.getByteBuffer(); // a heap copy of onnxruntime's memory, in native order
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && !bytes.isDirect()) {
            return Tensor.of(name, type, info.getShape(), bytes.order(ByteOrder.LITTLE_ENDIAN)); // ours already: no copy
        }
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(bytes.order(ByteOrder.nativeOrder())).flip();
        return Tensor.of(name, type, info.getShape(), copy);
    }

    private static OnnxJavaType javaType(DataType t) {
        return switch (t) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case BOOL -> OnnxJavaType.BOOL;
            default -> throw new IllegalArgumentException("onnxruntime's Java API takes no " + t + " inputs");
        };
    }

    private static DataType dataType(OnnxJavaType t) {
        return switch (t) {
            case FLOAT -> DataType.FLOAT;
            case DOUBLE -> DataType.DOUBLE;
            case FLOAT16 -> DataType.FLOAT16;
            case BFLOAT16 -> DataType.BFLOAT16;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case BOOL -> DataType.BOOL;
            default -> throw new IllegalArgumentException("unsupported onnxruntime output type " + t);
        };
    }
}
