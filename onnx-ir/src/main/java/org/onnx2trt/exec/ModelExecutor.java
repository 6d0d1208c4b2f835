package org.onnx2trt.exec;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Model;
import org.onnx2trt.tensor.Tensor;

/**
 * Runs ONNX models: what a transform that must compute something (constant folding of ops Java does
 * not evaluate, shape folding by running the model) asks for, without knowing the runtime. The
 * verifier implements it with onnxruntime ({@code org.onnx2trt.verify.OnnxRuntime#EXECUTOR}).
 */
@FunctionalInterface
public interface ModelExecutor {
    /**
     * A session over {@code model} that returns its graph outputs and then {@code extraOutputs}
     * (names of intermediate values of the main graph). Fails with {@link RunException} when the
     * runtime cannot load the model or an extra name is unknown.
     */
    Session open(Model model, Collection<String> extraOutputs);

    /** A session returning the graph outputs only. */
    default Session open(Model model) {
        return open(model, List.of());
    }

    /** An open model, run as often as needed; closing it frees the runtime's resources. */
    interface Session extends AutoCloseable {
        /** The names {@link #run} returns, in order: graph outputs, then the extra outputs asked for. */
        List<String> outputNames();

        /** The outputs for one set of inputs; {@link RunException} when the runtime fails. */
        Map<String, Tensor> run(Map<String, Tensor> inputs);

        @Override
        void close();
    }
}
