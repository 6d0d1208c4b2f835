package org.onnx2trt.trt.build;

import static org.bytedeco.cuda.global.cudart.cudaEventCreate;
import static org.bytedeco.cuda.global.cudart.cudaEventElapsedTime;
import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaEventSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemcpy;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreate;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.LayerInformationFormat;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IRuntime;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * Runs a serialized TensorRT engine on the GPU (JavaCPP presets): inputs copied to device buffers,
 * {@code enqueueV3} on a stream, outputs copied back as {@link Tensor}s; latency from CUDA events
 * around {@code enqueueV3} (the presets give no profiler callback); the engine's layers from its
 * inspector as JSON (which layers fused, in which precision, with reformats). Needs what
 * {@link TrtProbe} checks; an engine built elsewhere must come from the same TensorRT version.
 */
public final class EngineRunner implements AutoCloseable {
    /** Latency percentiles in milliseconds of GPU time per inference. */
    public record Latency(double p50, double p90, double p99, double mean, int runs) {}

    private final IRuntime runtime;
    private final ICudaEngine engine;
    private final IExecutionContext context;
    private final CUstream_st stream = new CUstream_st();
    private final List<Pointer> device = new ArrayList<>();

    private EngineRunner(IRuntime runtime, ICudaEngine engine, IExecutionContext context) {
        this.runtime = runtime;
        this.engine = engine;
        this.context = context;
        check(cudaStreamCreate(stream), "cudaStreamCreate");
    }

    /** Deserializes {@code file}; fails with TensorRT's own message (a version mismatch names both versions). */
    public static EngineRunner open(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EngineBuilder.Log log = new EngineBuilder.Log();
        IRuntime runtime = nvinfer.createInferRuntime(log);
        if (runtime == null || runtime.isNull()) {
            throw new EngineBuilder.BuildFailed("TensorRT made no runtime (no usable GPU?): " + log.errors());
        }
        ICudaEngine engine = runtime.deserializeCudaEngine(new BytePointer(bytes), bytes.length);
        if (engine == null || engine.isNull()) {
            throw new EngineBuilder.BuildFailed("TensorRT could not read the engine " + file + ": " + log.errors());
        }
        IExecutionContext context = engine.createExecutionContext();
        if (context == null || context.isNull()) {
            throw new EngineBuilder.BuildFailed("TensorRT made no execution context: " + log.errors());
        }
        return new EngineRunner(runtime, engine, context);
    }

    /** The engine's input and output names, in its order. */
    public List<String> inputs() {
        return io(TensorIOMode.kINPUT);
    }

    public List<String> outputs() {
        return io(TensorIOMode.kOUTPUT);
    }

    /** One inference on {@code inputs} (by name, their shapes within the engine's profile). */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        enqueue(inputs);
        check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < outputNames.size(); i++) {
            String name = outputNames.get(i);
            long[] dims = dims(context.getTensorShape(name));
            DataType type = type(engine.getTensorDataType(name));
            long bytes = Tensor.elementCount(dims) * (type.bits() / 8);
            BytePointer host = new BytePointer(bytes);
            check(cudaMemcpy(host, outputBuffers.get(i), bytes, cudaMemcpyDeviceToHost), "cudaMemcpy to host");
            byte[] data = new byte[(int) bytes];
            host.get(data);
            out.put(name, Tensor.of(name, type, dims, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN)));
            host.close();
        }
        return out;
    }

    /** GPU time of {@code runs} inferences after {@code warmup}, from CUDA events around each {@code enqueueV3}. */
    public Latency time(Map<String, Tensor> inputs, int warmup, int runs) {
        enqueue(inputs);
        check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
        CUevent_st start = new CUevent_st();
        CUevent_st stop = new CUevent_st();
        check(cudaEventCreate(start), "cudaEventCreate");
        check(cudaEventCreate(stop), "cudaEventCreate");
        for (int i = 0; i < warmup; i++) {
            launch();
        }
        double[] ms = new double[runs];
        float[] elapsed = new float[1];
        for (int i = 0; i < runs; i++) {
            check(cudaEventRecord(start, stream), "cudaEventRecord");
            launch();
            check(cudaEventRecord(stop, stream), "cudaEventRecord");
            check(cudaEventSynchronize(stop), "cudaEventSynchronize");
            check(cudaEventElapsedTime(elapsed, start, stop), "cudaEventElapsedTime");
            ms[i] = elapsed[0];
        }
        double[] s = ms.clone();
        Arrays.sort(s);
        return new Latency(rank(s, 50), rank(s, 90), rank(s, 99), Arrays.stream(s).average().orElse(0), runs);
    }

    /** The engine's layers as TensorRT's inspector reports them (JSON; detailed when built with detailed verbosity). */
    public String layers() {
        var inspector = engine.createEngineInspector();
        inspector.setExecutionContext(context);
        return inspector.getEngineInformation(LayerInformationFormat.kJSON);
    }

    private final List<String> outputNames = new ArrayList<>();
    private final List<Pointer> outputBuffers = new ArrayList<>();

    /** Copies the inputs in, sets shapes and addresses, launches once (not synchronized). */
    private void enqueue(Map<String, Tensor> inputs) {
        freeBuffers();
        for (String name : inputs()) {
            Tensor t = inputs.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no value for the engine's input `" + name + "`; it reads " + inputs());
            }
            if (!context.setInputShape(name, EngineBuilder.dims(t.dims()))) {
                throw new EngineBuilder.BuildFailed("input `" + name + "` of shape " + Arrays.toString(t.dims())
                        + " is outside the engine's optimization profile");
            }
            byte[] bytes = new byte[t.bytes().remaining()];
            t.bytes().duplicate().get(bytes);
            Pointer buffer = malloc(bytes.length);
            BytePointer host = new BytePointer(bytes);
            check(cudaMemcpy(buffer, host, bytes.length, cudaMemcpyHostToDevice), "cudaMemcpy to device");
            host.close();
            context.setTensorAddress(name, buffer);
        }
        outputNames.clear();
        outputBuffers.clear();
        for (String name : outputs()) {
            long[] dims = dims(context.getTensorShape(name));
            long bytes = Math.max(1, Tensor.elementCount(dims) * (type(engine.getTensorDataType(name)).bits() / 8));
            Pointer buffer = malloc(bytes);
            context.setTensorAddress(name, buffer);
            outputNames.add(name);
            outputBuffers.add(buffer);
        }
        launch();
    }

    private void launch() {
        if (!context.enqueueV3(stream)) {
            throw new EngineBuilder.BuildFailed("TensorRT's enqueueV3 failed");
        }
    }

    private Pointer malloc(long bytes) {
        PointerPointer<Pointer> p = new PointerPointer<>(1);
        check(cudaMalloc(p, bytes), "cudaMalloc of " + bytes + " bytes");
        Pointer buffer = p.get(0);
        device.add(buffer);
        return buffer;
    }

    private void freeBuffers() {
        device.forEach(b -> cudaFree(b));
        device.clear();
    }

    private List<String> io(TensorIOMode mode) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < engine.getNbIOTensors(); i++) {
            String name = engine.getIOTensorName(i);
            if (engine.getTensorIOMode(name).value == mode.value) { // from native code: compare values
                out.add(name);
            }
        }
        return out;
    }

    private static DataType type(nvinfer.DataType t) {
        int v = t.value;
        if (v == nvinfer.DataType.kFLOAT.value) {
            return DataType.FLOAT;
        } else if (v == nvinfer.DataType.kHALF.value) {
            return DataType.FLOAT16;
        } else if (v == nvinfer.DataType.kINT32.value) {
            return DataType.INT32;
        } else if (v == nvinfer.DataType.kINT64.value) {
            return DataType.INT64;
        } else if (v == nvinfer.DataType.kINT8.value) {
            return DataType.INT8;
        } else if (v == nvinfer.DataType.kUINT8.value) {
            return DataType.UINT8;
        } else if (v == nvinfer.DataType.kBOOL.value) {
            return DataType.BOOL;
        } else if (v == nvinfer.DataType.kBF16.value) {
            return DataType.BFLOAT16;
        }
        throw new EngineBuilder.BuildFailed("an engine input or output of TensorRT type " + t + ", which is not read back here");
    }

    private static long[] dims(Dims64 d) {
        long[] out = new long[d.nbDims()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.d(i);
        }
        return out;
    }

    private static double rank(double[] sorted, double p) {
        int r = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))];
    }

    private static void check(int cudaError, String call) {
        if (cudaError != 0) {
            throw new EngineBuilder.BuildFailed(call + " failed: " + cudaGetErrorString(cudaError).getString());
        }
    }

    @Override
    public void close() {
        freeBuffers();
        context.close();
        engine.close();
        runtime.close();
    }
}
