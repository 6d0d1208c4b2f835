package org.onnx2trt.verify;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.onnx2trt.exec.RunException;

/**
 * onnxruntime's offline graph optimization at BASIC level (constant folding, redundant-node
 * elimination), each model written with {@code setOptimizedModelFilePath}: the baseline that
 * {@code bench optimize} times beside ours, in-process and as a process of its own.
 */
public final class OrtBasicOffline {
    private OrtBasicOffline() {}

    /** Optimizes {@code model} into {@code optimized}. */
    public static void optimize(Path model, Path optimized) {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            o.setOptimizedModelFilePath(optimized.toString());
            OnnxRuntime.environment().createSession(model.toString(), o).close();
        } catch (OrtException e) {
            throw new RunException(model + ": onnxruntime's BASIC optimization failed: " + e.getMessage(), e);
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
