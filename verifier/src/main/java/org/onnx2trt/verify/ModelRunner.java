package org.onnx2trt.verify;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.exec.RunException;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.rewrite.LogitOutputs;
import org.onnx2trt.tensor.Tensor;

/**
 * One onnxruntime session (CPU, graph optimizations off, so the model runs as written) over a model,
 * open for as many runs as needed and closed with the runner. Intermediate values can be exposed as
 * extra outputs for layer-wise comparison.
 *
 * <p>Models whose weights are all inline are handed to onnxruntime as bytes; a model with external
 * data is written to a temporary folder first (onnxruntime resolves side files from a path), which
 * is deleted on close.
 */
public final class ModelRunner implements ModelExecutor.Session {
    private final OrtSession session;
    private final List<String> outputs;
    private final Path scratch;
    private final List<String> logitOutputs;

    private ModelRunner(OrtSession session, List<String> outputs, Path scratch, List<String> logitOutputs) {
        this.session = session;
        this.outputs = outputs;
        this.scratch = scratch;
        this.logitOutputs = logitOutputs;
    }

    /**
     * Outputs the model's metadata lists as logits of what they were ({@link LogitOutputs}): a
     * comparison with the original applies a sigmoid to them first.
     */
    public List<String> logitOutputs() {
        return logitOutputs;
    }

    /** A runner for {@code model} returning its graph outputs. */
    public static ModelRunner open(Model model) {
        return open(model, List.of());
    }

    /**
     * A runner returning the graph outputs and then {@code extraOutputs} (names of values of the main
     * graph; unknown names are refused).
     */
    public static ModelRunner open(Model model, Collection<String> extraOutputs) {
        return open(model, extraOutputs, OrtSession.SessionOptions.OptLevel.NO_OPT);
    }

    /**
     * A runner with onnxruntime's own graph optimizations on (its fusions of Conv and BN, of MatMul
     * and Add, ...): the same function computed with other float32 roundings, which is what a
     * {@link NoiseFloor} measures.
     */
    public static ModelRunner openOptimized(Model model, Collection<String> extraOutputs) {
        return open(model, extraOutputs, OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    private static ModelRunner open(Model model, Collection<String> extraOutputs, OrtSession.SessionOptions.OptLevel level) {
        Path scratch = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(level);
            OrtSession session;
            ModelProto proto;
            if (!hasExternalData(model)) {
                proto = withOutputs(model.toProto(), model.graph(), extraOutputs);
                session = OnnxRuntime.environment().createSession(proto.toByteArray(), options);
            } else {
                scratch = Files.createTempDirectory("onnx2trt-run");
                Path file = scratch.resolve("model.onnx");
                ModelWriter.write(model, file, WriteOptions.external(WriteOptions.DEFAULT_SIZE_THRESHOLD));
                // The written .onnx holds only references to its side file: small to read and amend.
                proto = withOutputs(ModelProto.parseFrom(Files.readAllBytes(file)), model.graph(), extraOutputs);
                Files.write(file, proto.toByteArray());
                session = OnnxRuntime.environment().createSession(file.toString(), options);
            }
            List<String> names = proto.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList();
            return new ModelRunner(session, names, scratch, LogitOutputs.of(model));
        } catch (OrtException e) {
            deleteQuietly(scratch);
            throw new RunException("onnxruntime cannot load the model: " + e.getMessage(), e);
        } catch (IOException e) {
            deleteQuietly(scratch);
            throw new UncheckedIOException(e);
        }
    }

    /** The names {@link #run} returns, graph outputs first. */
    @Override
    public List<String> outputNames() {
        return outputs;
    }

    /** Runs once; inputs by name, outputs by name in {@link #outputNames()} order. */
    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        try {
            return OnnxRuntime.run(session, inputs);
        } catch (OrtException e) {
            throw new RunException("onnxruntime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new RunException("closing the session failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    /** Every value of the main graph a layer-wise comparison can read: node outputs in node order. */
    public static List<String> intermediateValues(Model model) {
        Set<String> out = new LinkedHashSet<>();
        Set<String> graphOutputs = new LinkedHashSet<>();
        model.graph().outputs().forEach(p -> graphOutputs.add(p.name()));
        for (Node n : model.graph().nodes()) {
            for (Value v : n.outputs()) {
                if (v != null && !graphOutputs.contains(v.name())) {
                    out.add(v.name());
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static ModelProto withOutputs(ModelProto proto, Graph g, Collection<String> extra) {
        if (extra.isEmpty()) {
            return proto;
        }
        Set<String> present = new LinkedHashSet<>();
        for (Port p : g.outputs()) {
            present.add(p.name());
        }
        ModelProto.Builder b = proto.toBuilder();
        for (String name : extra) {
            Value v = g.lookup(name);
            if (v == null || v.graph() != g) {
                throw new IllegalArgumentException("no value `" + name + "` in the main graph");
            }
            if (present.add(name)) {
                ValueInfoProto.Builder info = ValueInfoProto.newBuilder().setName(name);
                if (v.type() != null) {
                    info.setType(v.type());
                }
                b.getGraphBuilder().addOutput(info);
            }
        }
        return b.build();
    }

    private static boolean hasExternalData(Model model) {
        return model.graph().initializers().stream().anyMatch(v -> v.initializer().isExternal());
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is not worth failing a run for
        }
    }
}
