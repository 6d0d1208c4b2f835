package org.onnx2trt.verify;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.onnx2trt.proto.Onnx;

/**
 * What onnxruntime's CPU provider runs a model as after its own graph optimizations (level
 * "extended": constant folding, QDQ fusions, op fusions; no NCHWc layout): the op types of the graph
 * it saves, counted. A QDQ model meant for int8 on CPU shows whether the fusions took: QLinearConv,
 * QGemm, MatMulIntegerToFloat in place of DQ → Conv → Q.
 */
public final class OrtKernels {
    /** The ops that run on integers in onnxruntime's CPU provider (default and com.microsoft domains). */
    public static final Set<String> INT8_KERNELS = Set.of("QLinearConv", "QGemm", "QLinearMatMul", "MatMulIntegerToFloat",
            "MatMulInteger", "ConvInteger", "QLinearAdd", "QLinearMul", "QLinearGlobalAveragePool", "QLinearAveragePool",
            "QLinearConcat", "QLinearLeakyRelu", "QLinearSigmoid", "DynamicQuantizeMatMul");

    private OrtKernels() {}

    /** The op types (domain-qualified outside the default domain) of the graph onnxruntime runs, with their counts. */
    public static Map<String, Integer> afterFusion(Path model) {
        try {
            Path optimized = Files.createTempFile("ort-optimized", ".onnx");
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
                options.setOptimizedModelFilePath(optimized.toString());
                try (OrtSession ignored = OnnxRuntime.environment().createSession(model.toString(), options)) {
                    // the session writes the optimized graph as it is created
                }
                Map<String, Integer> counts = new TreeMap<>();
                for (Onnx.NodeProto n : Onnx.ModelProto.parseFrom(Files.readAllBytes(optimized)).getGraph().getNodeList()) {
                    String domain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? "" : n.getDomain() + "::";
                    counts.merge(domain + n.getOpType(), 1, Integer::sum);
                }
                return counts;
            } finally {
                Files.deleteIfExists(optimized);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("onnxruntime could not load " + model + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many nodes of {@code counts} run in int8 ({@link #INT8_KERNELS}, in any domain). */
    public static int int8Count(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .filter(e -> INT8_KERNELS.contains(e.getKey().substring(e.getKey().lastIndexOf(':') + 1)))
                .mapToInt(Map.Entry::getValue).sum();
    }
}
