package org.onnx2trt.cli.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.StringStringEntryProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.sample.npy.Npz;
import org.onnx2trt.tensor.Tensor;

/**
 * The files fault cases start from: the built-in sample classifier (input {@code image}
 * float32[batch, 3, 32, 32], output {@code scores}), inline or with external data, and edits of it.
 */
final class FaultInputs {
    private static byte[] sampleBytes;

    private FaultInputs() {}

    /** The sample model's bytes (inline weights). */
    static synchronized byte[] sampleBytes() throws IOException {
        if (sampleBytes == null) {
            Path tmp = Files.createTempFile("onnx2trt-fault-sample", ".onnx");
            try {
                ModelWriter.write(SampleModels.classifier(), tmp, WriteOptions.inline());
                sampleBytes = Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return sampleBytes.clone();
    }

    /** The sample as {@code dir/name}. */
    static Path sample(Path dir, String name) throws IOException {
        return write(dir, name, sampleBytes());
    }

    /** The sample as {@code dir/m.onnx} with every tensor in {@code dir/m.onnx.data}. */
    static Path external(Path dir) {
        Path m = dir.resolve("m.onnx");
        ModelWriter.write(SampleModels.classifier(), m, WriteOptions.external(0));
        return m;
    }

    /** The external-data sample with its first tensor's location replaced by {@code location}. */
    static Path withLocation(Path dir, String location) throws IOException {
        Path m = external(dir);
        ModelProto p = org.onnx2trt.io.ModelReader.parse(m);
        TensorProto t = p.getGraph().getInitializer(0);
        TensorProto.Builder b = t.toBuilder().clearExternalData();
        for (StringStringEntryProto e : t.getExternalDataList()) {
            b.addExternalData(e.getKey().equals("location") ? e.toBuilder().setValue(location) : e.toBuilder());
        }
        return write(dir, "m.onnx", p.toBuilder().setGraph(p.getGraph().toBuilder().setInitializer(0, b)).build().toByteArray());
    }

    /** The sample with its graph edited, as {@code dir/bad.onnx}. */
    static Path withGraph(Path dir, UnaryOperator<GraphProto.Builder> edit) throws IOException {
        ModelProto p = ModelProto.parseFrom(sampleBytes());
        return write(dir, "bad.onnx", p.toBuilder().setGraph(edit.apply(p.getGraph().toBuilder())).build().toByteArray());
    }

    /** The sample model edited as a whole, as {@code dir/bad.onnx}. */
    static Path withModel(Path dir, UnaryOperator<ModelProto.Builder> edit) throws IOException {
        return write(dir, "bad.onnx", edit.apply(ModelProto.parseFrom(sampleBytes()).toBuilder()).build().toByteArray());
    }

    /** {@code arrays} as an .npz file {@code dir/name}. */
    static Path npz(Path dir, String name, Map<String, Tensor> arrays) throws IOException {
        return write(dir, name, Npz.write(arrays));
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, bytes);
    }

    static Path text(Path dir, String name, String text) throws IOException {
        return write(dir, name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
