package org.onnx2trt.cli;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.onnx2trt.verify.OnnxRuntime;

/**
 * onnxruntime's offline graph optimization at BASIC level (constant folding, redundant-node
 * elimination), each model written with {@code setOptimizedModelFilePath}: the baseline that
 * {@code bench optimize} times beside ours, in-process and as a process of its own.
 */
final class OrtBasicOffline {
    private OrtBasicOffline() {}

    /** Optimizes {@code model} into {@code optimized}. */
    static void optimize(Path model, Path optimized) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            o.setOptimizedModelFilePath(optimized.toString());
            OnnxRuntime.environment().createSession(model.toString(), o).close();
        }
    }

    /** {@code OUT_DIR MODEL...}: each model optimized into OUT_DIR under its file name (bench's cold-start baseline). */
    public static void main(String[] args) throws Exception {
        Path folder = Files.createDirectories(Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            Path model = Path.of(args[i]);
            optimize(model, folder.resolve(model.getFileName()));
        }
    }
}
